"""A request or an answer cannot have been received after today: the form refuses it, and so does the
service behind it (the form is not its only caller)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fhb.offers.actions import register_answer, register_request
from fhb.offers.answers import AnswerError
from fhb.offers.forms import AnswerForm, RequestForm
from fhb.offers.models import Answer, Offer, Request
from fhb.offers.requests import RequestError
from fhb.planning.actions import answer_with_time
from fhb.standards.current import current_standard
from tests.letters.world import ALONE70, WIFE80, at, offer, world

pytestmark = pytest.mark.django_db

TODAY = date(2027, 2, 1)
TOMORROW = TODAY + timedelta(days=1)


def test_a_request_received_tomorrow_is_refused_by_the_service() -> None:
    world()
    citizen = offer(ALONE70["cpr"], "alone70").citizen
    standard = current_standard()
    with pytest.raises(RequestError, match=r"fremtiden: 02\.02\.2027 ligger efter i dag \(01\.02\.2027\)"):
        register_request(
            citizen, received=TOMORROW, today=TODAY, came_from="citizen", channel="phone", standard=standard
        )
    assert not Request.objects.exists()
    register_request(
        citizen, received=TODAY, today=TODAY, came_from="citizen", channel="phone", standard=standard
    )
    assert Request.objects.count() == 1, "today is accepted"


def test_an_answer_received_tomorrow_is_refused_by_the_service() -> None:
    world()
    wife = offer(WIFE80["cpr"], "age80")
    with pytest.raises(AnswerError, match="fremtiden"):
        register_answer(
            wife, "no", channel="phone", received=TOMORROW, today=TODAY, standard=current_standard()
        )
    with pytest.raises(AnswerError, match="fremtiden"):
        answer_with_time(
            wife,
            "yes",
            at(3, 3, 9),
            channel="phone",
            received=TOMORROW,
            today=TODAY,
            standard=current_standard(),
        )
    wife.refresh_from_db()
    assert wife.reply == Offer.Reply.NONE and not Answer.objects.exists() and not wife.visits.exists()
    register_answer(wife, "no", channel="phone", received=TODAY, today=TODAY, standard=current_standard())
    assert Answer.objects.count() == 1, "today is accepted"


@pytest.mark.parametrize("form_class", [RequestForm, AnswerForm])
def test_the_forms_refuse_a_date_of_receipt_tomorrow(form_class: type) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {"received": tomorrow.isoformat(), "came_from": "citizen", "channel": "phone", "reply": "no"}
    form = form_class(data)
    assert not form.is_valid()
    assert form.errors["received"] == ["Datoen kan ikke ligge i fremtiden."]
