"""Offers made by phone (issue 20): a group's ``letter = "phone"`` gives offers that get no letter from the
run's sending, a "Ring til borgeren" task, and a page where the call is recorded; after the standard's
``[deadlines] contact_tries`` failed tries the offer goes out as one letter without a time."""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

import fhb.standards
from fhb.accounts.models import User
from fhb.commands.eligibility import csv_lines
from fhb.core.eligibility import evaluate
from fhb.core.letters.model import LetterKind
from fhb.core.standard import parse_standard
from fhb.core.standard.schema import QualityStandard
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.letters.sending import offers_without_letter
from fhb.offers.actions import start_run
from fhb.offers.models import Answer, Channel, Offer
from fhb.offers.population import stored_population
from fhb.outcomes.phone_calls import CallError, record_call
from fhb.pages import worklist
from fhb.pages.worklist import At, Kind
from tests.conftest import PASSWORD
from tests.letters.world import PAPER80, WIFE80, load, offer, sender_settings
from tests.visible_text import problems_in, shipped_group_ids, visible_text

pytestmark = pytest.mark.django_db

WITH_TIME = 'letter = "with_time"      # the letter carries the visit\'s date and time'


def phone_standard() -> QualityStandard:
    """Hjørring's standard with the 80-year-olds offered by phone."""
    shipped = (Path(fhb.standards.__file__).parent / "hjoerring.toml").read_text(encoding="utf-8")
    assert shipped.count(WITH_TIME) == 1
    return parse_standard(shipped.replace(WITH_TIME, 'letter = "phone"'), "hjoerring-phone.toml")


PHONE = phone_standard()


@pytest.fixture
def run() -> Any:
    load()
    sender_settings()
    return start_run(2027, "yearly", on=date(2027, 1, 1), standard=PHONE)


def at(day: date) -> At:
    return At(dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC), day)


def calls(user: User, day: date) -> list[worklist.Task]:
    return worklist.tasks(worklist.scope_for(user), at(day), limit=50).get(Kind.CALL, [])


def letters_of(target: Offer) -> list[Letter]:
    return list(Letter.objects.filter(offers=target).exclude(status=Letter.Status.CANCELLED))


def test_the_standard_may_offer_by_phone_and_the_output_stays_in_the_contract(run: Any) -> None:
    decisions = [
        d for d in evaluate(PHONE, stored_population(), 2027, date(2027, 1, 1)) if d.letter == "phone"
    ]
    assert {d.group for d in decisions} == {"age80"}
    assert all("tilbud ved telefonopkald" in d.reason for d in decisions)
    # The contract's letter column allows only with_time/without_time for an offer: a phone offer has no time.
    assert all(d.as_row()["letter"] == "without_time" for d in decisions)
    assert all(",offer,without_time," in line for line in csv_lines(decisions))
    stored = offer(WIFE80["cpr"], "age80")
    assert stored.letter == Offer.Letter.PHONE and stored.get_letter_display() == "Telefonopkald"
    assert "tilbud ved telefonopkald" in stored.reason


def test_a_phone_offer_gets_a_call_task_and_no_letter_until_the_tries_are_used(
    run: Any, make_user: Any
) -> None:
    karen = make_user("consultant", "karen")
    demens = make_user("dementia_coordinator", "demens")
    target = offer(WIFE80["cpr"], "age80")
    send_run_letters(run, today=date(2027, 1, 4), standard=PHONE)
    assert letters_of(target) == [], "no offer letter: the offer is made by a call"
    assert Letter.objects.exists(), "the other groups' letters go as before"

    (task,) = [t for t in calls(karen, date(2027, 1, 4)) if t.citizen_cpr == WIFE80["cpr"]]
    assert task.what == "Ring og giv tilbuddet om besøg" and task.owner_id is None
    assert task.due == target.due_from + dt.timedelta(days=14)
    assert task.url == reverse("offer-call", args=[target.pk])
    assert calls(demens, date(2027, 1, 4)) == [], "the dementia coordinator makes no offer calls"

    for n, day in enumerate((date(2027, 1, 4), date(2027, 1, 5)), 1):
        result = record_call(target, "not_reached", today=day, standard=PHONE, user=karen)
        assert (result.tries, result.letter_queued) == (n, False)
    with pytest.raises(CallError, match="allerede registreret et forsøg i dag"):
        record_call(target, "not_reached", today=date(2027, 1, 5), standard=PHONE, user=karen)
    (task,) = [t for t in calls(karen, date(2027, 1, 6)) if t.citizen_cpr == WIFE80["cpr"]]
    assert task.what == "Ring og giv tilbuddet om besøg (2 forsøg uden svar)"
    assert target.pk not in {o.pk for o in offers_without_letter(2027)}
    assert letters_of(target) == []

    result = record_call(target, "not_reached", today=date(2027, 1, 6), standard=PHONE, user=karen)
    assert (result.tries, result.letter_queued) == (3, True)
    (letter,) = letters_of(target)
    assert letter.kind == LetterKind.OFFER_WITHOUT_TIME.value
    target.refresh_from_db()
    assert (target.call_tries, target.response) == (3, Offer.Response.OPT_OUT), "the group's response kept"
    with pytest.raises(CallError, match="Alle forsøg"):
        record_call(target, "not_reached", today=date(2027, 1, 7), standard=PHONE, user=karen)
    send_run_letters(run, today=date(2027, 1, 7), standard=PHONE)
    assert len(letters_of(target)) == 1, "one letter, however often the letters are sent"
    assert [t for t in calls(karen, date(2027, 1, 7)) if t.citizen_cpr == WIFE80["cpr"]] == []


def test_a_no_on_the_phone_closes_the_offer(run: Any, make_user: Any) -> None:
    karen = make_user("consultant", "karen")
    target = offer(PAPER80["cpr"], "age80")
    record_call(target, "no", today=date(2027, 1, 4), standard=PHONE, user=karen)
    target.refresh_from_db()
    assert target.reply == Offer.Reply.NO and not target.is_open
    answer = Answer.objects.get(offer=target)
    assert answer.channel == Channel.PHONE
    with pytest.raises(CallError, match="ikke længere åbent"):
        record_call(target, "no", today=date(2027, 1, 4), standard=PHONE, user=karen)
    assert Answer.objects.filter(offer=target).count() == 1, "a second press changes nothing"
    assert [t for t in calls(karen, date(2027, 1, 4)) if t.citizen_cpr == PAPER80["cpr"]] == []
    send_run_letters(run, today=date(2027, 1, 4), standard=PHONE)
    assert letters_of(target) == []


def test_the_call_page_in_plain_danish(client: Any, run: Any, make_user: Any) -> None:
    make_user("consultant", "karen")
    make_user("dementia_coordinator", "demens")
    target = offer(WIFE80["cpr"], "age80")
    url = reverse("offer-call", args=[target.pk])
    assert client.login(username="demens", password=PASSWORD)
    assert client.get(url).status_code == 403
    assert client.login(username="karen", password=PASSWORD)
    text = visible_text(client.get(url).content.decode())
    assert "Ring til borgeren" in text and "Birte Øster" in text
    assert "Truffet: vil gerne have besøg" in text and "Truffet: takker nej" in text
    assert "Ikke truffet (3 forsøg tilbage)" in text
    assert not problems_in(text, group_ids=shipped_group_ids())
    page = client.post(url, {"outcome": "yes"})
    assert page.status_code == 302 and page.url == reverse("offer-slots", args=[target.pk])
    target.refresh_from_db()
    assert target.reply == Offer.Reply.YES
    again = visible_text(client.get(url).content.decode())
    assert "Borgerens svar er allerede registreret." in again and "Ikke truffet (" not in again
