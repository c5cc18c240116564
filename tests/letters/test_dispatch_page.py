"""A dispatch's page counts its letters per status, all of them."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.standards.current import current_standard
from tests.conftest import PASSWORD
from tests.letters.world import WIFE80, at, offer, plan, world

pytestmark = pytest.mark.django_db


def test_dispatch_page_counts_every_queued_letter(client: Any, make_user: Any) -> None:
    run = world()
    plan(offer(WIFE80["cpr"], "age80"), at(9, 3, 10))  # her letter names the time: three letters in all
    dispatch = send_run_letters(run, today=date(2027, 2, 1), standard=current_standard())
    ids = list(dispatch.letters.order_by("id").values_list("id", flat=True))
    assert len(ids) >= 3, "the world's run has letters to send"
    Letter.objects.filter(pk=ids[-1]).update(status=Letter.Status.CANCELLED)
    make_user("leader")
    assert client.login(username="leader", password=PASSWORD)
    html = client.get(reverse("dispatch-detail", args=[dispatch.pk])).content.decode()
    counts = dict(re.findall(r'<tr><td>([^<]+)</td><td class="num">(\d+)</td></tr>', html))
    assert counts["I kø"] == str(len(ids) - 1), (
        f"all but one letter wait in the queue, not one row per letter: {counts}"
    )
    assert counts["Annulleret"] == "1" and counts["Afsendt"] == "0"
