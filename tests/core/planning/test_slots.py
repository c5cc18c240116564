"""Free slots for a citizen on the phone: least extra driving, existing visits untouched."""

from __future__ import annotations

import datetime as dt

from fhb.core.planning.calendar import WorkingPattern
from fhb.core.planning.model import Consultant
from fhb.core.planning.slots import Booked, free_slots
from fhb.core.planning.travel import Point, TravelModel

TRAVEL = TravelModel()
BASE = Point(57.4643, 9.9822)
FAR = Point(57.58, 10.30)
PATTERN = WorkingPattern(weekdays=frozenset(range(5)), start=dt.time(8), end=dt.time(15, 30), max_visits=4)
TEAM = [Consultant(1, "K1", BASE, PATTERN), Consultant(2, "K2", BASE, PATTERN)]


def test_three_slots_on_different_days_without_clashes() -> None:
    booked = [Booked(1, Point(57.47, 9.99), dt.datetime(2027, 3, 2, 9, 0), dt.datetime(2027, 3, 2, 10, 0))]
    slots = free_slots(FAR, 60, dt.date(2027, 3, 1), dt.date(2027, 3, 5), TEAM, booked, TRAVEL)
    assert len(slots) == 3
    assert len({(s.consultant, s.start.date()) for s in slots}) == 3
    for slot in slots:
        assert slot.end - slot.start == dt.timedelta(minutes=60)
        assert slot.start.minute % 5 == 0
        assert not (slot.consultant == 1 and slot.start < booked[0].end and booked[0].start < slot.end)
        assert not (slot.start.time() < dt.time(12, 30) and slot.end.time() > dt.time(12, 0)), "lunch is kept"


def test_a_day_with_a_neighbour_visit_comes_first() -> None:
    near_far = Point(57.581, 10.301)
    booked = [Booked(2, near_far, dt.datetime(2027, 3, 3, 9, 0), dt.datetime(2027, 3, 3, 10, 0))]
    (best, *_) = free_slots(FAR, 60, dt.date(2027, 3, 1), dt.date(2027, 3, 5), TEAM, booked, TRAVEL)
    assert (best.consultant, best.start.date()) == (2, dt.date(2027, 3, 3))
    assert best.extra_driving_s < 600


def test_full_days_and_holidays_give_no_slot() -> None:
    day = dt.date(2027, 3, 1)
    booked = [
        Booked(c.id, BASE, dt.datetime(2027, 3, 1, h, 0), dt.datetime(2027, 3, 1, h, 50))
        for c in TEAM
        for h in (8, 9, 10, 13)
    ]
    assert free_slots(FAR, 60, day, day, TEAM, booked, TRAVEL) == [], "four visits is the day's most"
    good_friday = dt.date(2027, 3, 26)
    assert free_slots(FAR, 60, good_friday, good_friday, TEAM, [], TRAVEL) == []
