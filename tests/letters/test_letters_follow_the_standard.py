"""The standard's own words reach the letters fhb writes (issue 20): Ishøj's planner proposes the time of
the 80-year-olds and sets the 82-year-olds', its letters state its visiting hours, what it asks of the
citizen, that one cannot complain to Ankestyrelsen, the law, and that a couple with a letter each may have a
visit each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fhb.accounts.models import User
from fhb.core.letters import render_pdf
from fhb.letters import compose
from fhb.offers.actions import start_run
from fhb.planning.actions import run_plan
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from tests.citizens.builders import person
from tests.letters.test_outbox import pdf_text
from tests.letters.world import load, offer, sender_settings

pytestmark = pytest.mark.django_db

TURNS80 = person("0101471231", "Anna Firs", "adr-1")
AGED85 = person("0202421232", "Bent Femogfirs", "adr-2")
WIFE = person("0404471232", "Grete Par", "adr-9", civil_status="G", spouse_cpr="0808471238")
HUSBAND = person("0808471238", "Hans Par", "adr-9", civil_status="G", spouse_cpr="0404471232")
MONDAY = dt.date(2027, 1, 4)
PLANNED_ON = MONDAY - dt.timedelta(days=14)


def squash(text: str) -> str:
    return "".join(text.split())


def says(text: str, *phrases: str) -> bool:
    return all(squash(p) in squash(text) for p in phrases)


@pytest.fixture
def ishoej(settings: Any) -> None:
    settings.FHB_STANDARD = "ishoej"
    load([TURNS80, AGED85, WIFE, HUSBAND])
    sender_settings()
    start_run(2027, "yearly", on=dt.date(2027, 1, 1), standard=current_standard())
    user = User.objects.create_user("karen", password="x", first_name="Karen", role="consultant")
    Consultant.objects.create(user=user, base_lat=57.4643, base_lon=9.9822)


def letter_text(cpr: str, group: str) -> str:
    standard = current_standard()
    the_offer = offer(cpr, group)
    letter = compose.offer_letter(
        [the_offer], standard, today=PLANNED_ON, reference="ref", the_sender=compose.sender(standard)
    )
    return pdf_text(render_pdf(letter))


def test_the_planner_proposes_the_80_year_olds_time_and_sets_the_82_year_olds(ishoej: None) -> None:
    run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=PLANNED_ON)
    assert offer(TURNS80["cpr"], "age80").visits.get().proposed
    assert not offer(AGED85["cpr"], "age82plus").visits.get().proposed

    proposed = letter_text(TURNS80["cpr"], "age80")
    assert says(proposed, "Vi foreslår, at vi besøger dig:", "Passer tidspunktet ikke, så ring til os")
    assert not says(proposed, "Vi har planlagt")
    fixed = letter_text(AGED85["cpr"], "age82plus")
    assert says(fixed, "Vi har planlagt dit forebyggende hjemmebesøg til:")
    assert not says(fixed, "Vi foreslår")


def test_ishoej_letters_say_the_standards_hours_asks_notes_and_law(ishoej: None) -> None:
    run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=PLANNED_ON)
    for text in (letter_text(TURNS80["cpr"], "age80"), letter_text(WIFE["cpr"], "age80")):
        assert says(text, "Vi kommer på hverdage kl. 9.30–16.00.")
        assert says(text, "Godt at vide", "Der må så vidt muligt ikke ryges i hjemmet, mens vi er på besøg.")
        assert says(text, "Man kan ikke klage til Ankestyrelsen over de forebyggende hjemmebesøg.")
        assert says(text, "Tilbuddet gives efter Ældreloven.")


def test_ishoej_couples_with_a_letter_each_are_told_they_may_have_a_visit_each(ishoej: None) -> None:
    run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=PLANNED_ON)
    for cpr in (WIFE["cpr"], HUSBAND["cpr"]):
        assert offer(cpr, "age80").couple_cpr, "both turn 80: the couples' rule gives a letter each"
        text = letter_text(cpr, "age80")
        assert says(text, "Ønsker I at få et besøg hver for sig, aftaler vi det, når I kontakter os.")
    assert not says(letter_text(TURNS80["cpr"], "age80"), "hver for sig")
