"""Date inputs are filled in the format ``<input type="date">`` takes, and receipts cannot lie ahead."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.offers.forms import AnswerForm, RequestForm
from fhb.offers.models import Request
from tests.citizens.builders import BASE, citizens_csv
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CPR = "0101501234"


@pytest.fixture
def staff(client: Any, make_user: Any) -> Any:
    make_user("consultant")
    assert client.login(username="consultant", password=PASSWORD)
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    return client


def date_value(html: str, name: str) -> str:
    tag = re.search(rf'<input type="date" name="{name}"[^>]*>', html)
    assert tag is not None, f"no date input {name!r} on the page"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_new_request_form_shows_today_as_the_date_of_receipt(staff: Any) -> None:
    html = staff.get(reverse("request-new", args=[CPR])).content.decode()
    assert date_value(html, "received") == timezone.localdate().isoformat(), (
        "the date input must hold an ISO date, or the browser shows it empty"
    )


@pytest.mark.parametrize("form_class", [RequestForm, AnswerForm])
def test_date_inputs_render_iso_dates_in_danish(form_class: Any) -> None:
    day = timezone.localdate()
    html = str(form_class(initial={"received": day})["received"])
    assert f'value="{day.isoformat()}"' in html, f"{form_class.__name__}: {html}"


def test_a_request_received_in_the_future_is_refused(staff: Any) -> None:
    ahead = timezone.localdate() + timedelta(days=1)
    data = {"received": ahead.isoformat(), "came_from": "citizen", "channel": "phone"}
    html = staff.post(reverse("request-new", args=[CPR]), data).content.decode()
    assert "Datoen kan ikke ligge i fremtiden" in html and not Request.objects.exists()
    data["received"] = timezone.localdate().isoformat()
    assert staff.post(reverse("request-new", args=[CPR]), data).status_code == 302
    assert Request.objects.count() == 1, "today is accepted"


def test_an_answer_received_in_the_future_is_refused() -> None:
    ahead = timezone.localdate() + timedelta(days=1)
    form = AnswerForm({"reply": "no", "channel": "phone", "received": ahead.isoformat()})
    assert not form.is_valid() and "received" in form.errors
