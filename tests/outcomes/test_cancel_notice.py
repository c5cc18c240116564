"""Herning: "orienteres, senest samme dags morgen". A letter tells the citizen of a cancellation only when
it reaches her on a day before the visit's (two working days by post); else the consultant phones."""

from __future__ import annotations

import pytest

from fhb.core.standard.loader import load_standard
from fhb.outcomes.actions import OutcomeError, record_cancelled
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.letters.world import WIFE80, at, offer, plan, world

pytestmark = pytest.mark.django_db


def test_herning_a_letter_cannot_tell_of_tomorrows_cancellation() -> None:
    world()
    herning = load_standard("herning")
    assert herning.cancellation is not None and herning.deadlines.letter_delivery_working_days == 2
    visit = plan(offer(WIFE80["cpr"], "age80"), at(10, 3, 13))  # Wednesday
    with pytest.raises(OutcomeError, match="Ring til borgeren") as refused:
        record_cancelled(visit, by="us", told="letter", reason="Sygdom", standard=herning, now=at(9, 3, 8))
    assert "11.03.2027" in str(refused.value), "says when a letter sent today would arrive"
    assert Visit.objects.get().status == Visit.Status.PLANNED, "nothing recorded"
    done = record_cancelled(visit, by="us", told="phone", reason="Sygdom", standard=herning, now=at(9, 3, 8))
    assert not done.letters


def test_herning_a_letter_arriving_the_day_before_is_in_time() -> None:
    world()
    herning = load_standard("herning")
    visit = plan(offer(WIFE80["cpr"], "age80"), at(12, 3, 13))  # Friday; sent Tuesday, there Thursday
    done = record_cancelled(visit, by="us", told="letter", reason="Sygdom", standard=herning, now=at(9, 3, 8))
    assert [letter.kind for letter in done.letters] == ["cancellation"]


def test_herning_the_weekend_does_not_carry_a_letter() -> None:
    world()
    herning = load_standard("herning")
    monday = plan(offer(WIFE80["cpr"], "age80"), at(8, 3, 13))
    with pytest.raises(OutcomeError, match="Ring til borgeren"):  # sent Thursday, there Monday
        record_cancelled(monday, by="us", told="letter", reason="Sygdom", standard=herning, now=at(4, 3, 15))


def test_a_standard_without_a_cancellation_rule_lets_a_letter_go() -> None:
    world()
    standard = current_standard()  # Hjørring: no [cancellation]
    assert standard.cancellation is None
    visit = plan(offer(WIFE80["cpr"], "age80"), at(10, 3, 13))
    done = record_cancelled(
        visit, by="us", told="letter", reason="Sygdom", standard=standard, now=at(9, 3, 8)
    )
    assert [letter.kind for letter in done.letters] == ["cancellation"]


def test_a_new_time_we_give_by_letter_must_reach_her_before_it() -> None:
    """We cancel on Tuesday 9 March 2027 and move the visit: a letter sent that day arrives Thursday 11th,
    so a new time on the 11th is refused (call her), one on Friday 12th goes by letter. Any standard."""
    world()
    standard = current_standard()
    visit = plan(offer(WIFE80["cpr"], "age80"), at(15, 3, 13))
    with pytest.raises(OutcomeError, match="Ring til borgeren og aftal tiden") as refused:
        record_cancelled(
            visit,
            by="us",
            told="letter",
            reason="Sygdom",
            standard=standard,
            new_start=at(11, 3, 10),
            now=at(9, 3, 8),
        )
    assert "først fremme 11.03.2027, og det nye tidspunkt er 11.03.2027" in str(refused.value)
    assert Visit.objects.get().status == Visit.Status.PLANNED, "nothing recorded"
    done = record_cancelled(
        visit,
        by="us",
        told="letter",
        reason="Sygdom",
        standard=standard,
        new_start=at(12, 3, 10),
        now=at(9, 3, 8),
    )
    assert [letter.kind for letter in done.letters] == ["new_time"]


def test_a_new_time_the_citizen_gave_when_she_cancelled_is_only_confirmed() -> None:
    world()
    standard = current_standard()
    visit = plan(offer(WIFE80["cpr"], "age80"), at(15, 3, 13))
    done = record_cancelled(
        visit,
        by="citizen",
        told="letter",
        reason="Syg",
        standard=standard,
        new_start=at(10, 3, 10),
        now=at(9, 3, 8),
    )
    assert [letter.kind for letter in done.letters] == ["new_time"], "a confirmation, whenever it arrives"
