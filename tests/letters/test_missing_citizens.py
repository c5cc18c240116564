"""A citizen missing from the latest extract may have moved away: until a leader decides ("Ikke i seneste
udtræk"), she gets no offer letter and no newly planned visit; her planned visits stay."""

from __future__ import annotations

from datetime import date

import pytest

from fhb.letters.sending import offers_without_letter
from fhb.planning.plan_runs import planning_needs
from fhb.standards.current import current_standard
from tests.letters.world import PEOPLE, WIFE80, load, world

pytestmark = pytest.mark.django_db


def offered(cprs: set[str]) -> set[str]:
    return cprs & {o.citizen.cpr for o in offers_without_letter(2027)}


def planned_for() -> set[str]:
    needs = planning_needs(date(2027, 1, 4), date(2027, 12, 31), current_standard(), today=date(2027, 1, 1))
    return {o.citizen.cpr for offers in needs.offers.values() for o in offers}


def test_a_citizen_missing_from_the_extract_gets_no_letter_and_no_new_visit() -> None:
    world()
    assert offered({WIFE80["cpr"]}) and WIFE80["cpr"] in planned_for()
    load([p for p in PEOPLE if p is not WIFE80], force=True)
    assert not offered({WIFE80["cpr"]}), "no letter to a citizen who may have moved away"
    assert WIFE80["cpr"] not in planned_for(), "no new visit either"
    assert offers_without_letter(2027), "the others' letters still go"
    load(PEOPLE, force=True)  # back in the next extract: as before
    assert offered({WIFE80["cpr"]}) and WIFE80["cpr"] in planned_for()
