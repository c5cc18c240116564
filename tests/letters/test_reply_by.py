"""An opt-out letter's reply-by date falls on a working day, and a letter too close to its visit waits with
the reason shown to the leader."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from fhb.core.letters.model import Response
from fhb.core.working_days import is_working_day
from fhb.letters import compose
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.standards.current import current_standard
from tests.conftest import PASSWORD
from tests.letters.world import WIFE80, at, offer, plan, world

pytestmark = pytest.mark.django_db

TOO_SOON = (
    "Besøget den 30.03.2027 ligger kun 5 dage efter brevets dato; standarden kræver mindst 10 dages varsel. "
    "Find et nyt tidspunkt."
)


def test_the_reply_by_date_of_a_visit_after_easter_is_a_working_day() -> None:
    world()
    standard = current_standard()
    wife = offer(WIFE80["cpr"], "age80")  # Hjørring: a set time, declined actively (opt-out)
    plan(wife, at(30, 3, 10))  # Tuesday after Easter Monday
    letter = compose.offer_letter(
        [wife], standard, today=date(2027, 3, 1), reference="ref", the_sender=compose.sender(standard)
    )
    assert letter.response is Response.OPT_OUT
    # Three days before is Saturday 27 March; Good Friday and Maundy Thursday are holidays.
    assert letter.reply_by == date(2027, 3, 24)
    assert letter.reply_by is not None and is_working_day(letter.reply_by)


def test_a_letter_too_close_to_its_visit_is_not_written() -> None:
    world()
    standard = current_standard()
    wife = offer(WIFE80["cpr"], "age80")
    plan(wife, at(30, 3, 10))
    with pytest.raises(compose.NotReady) as refused:
        compose.offer_letter(
            [wife], standard, today=date(2027, 3, 25), reference="ref", the_sender=compose.sender(standard)
        )
    assert str(refused.value) == TOO_SOON


def test_the_leader_sees_why_the_letter_waits(client: Any, make_user: Any) -> None:
    run = world()
    wife = offer(WIFE80["cpr"], "age80")
    plan(wife, at(30, 3, 10))
    dispatch = send_run_letters(run, today=date(2027, 3, 25), standard=current_standard())
    assert dispatch.summary["waiting"].get(TOO_SOON) == 1, dispatch.summary["waiting"]
    assert not Letter.objects.filter(offers=wife).exists(), "no letter with a time it cannot give notice of"
    make_user("leader")
    assert client.login(username="leader", password=PASSWORD)
    page = client.get(reverse("dispatch-detail", args=[dispatch.pk])).content.decode()
    assert "ligger kun 5 dage efter brevets dato" in page and "Find et nyt tidspunkt" in page
