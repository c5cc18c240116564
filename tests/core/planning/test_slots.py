"""Free slots for a citizen on the phone: little extra driving, existing visits untouched, spread over days
and times, and narrowed by week, day, time of day and consultant."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.core.planning.calendar import WorkingPattern
from fhb.core.planning.model import Consultant
from fhb.core.planning.slots import AFTERNOON, MIN_APART, MORNING, Booked, Slot, free_slots
from fhb.core.planning.travel import Point, TravelModel

TRAVEL = TravelModel()
BASE = Point(57.4643, 9.9822)
FAR = Point(57.58, 10.30)
PATTERN = WorkingPattern(weekdays=frozenset(range(5)), start=dt.time(8), end=dt.time(15, 30), max_visits=4)
TEAM = [Consultant(1, "K1", BASE, PATTERN), Consultant(2, "K2", BASE, PATTERN)]
MONDAY = dt.date(2027, 3, 1)
FRIDAY = dt.date(2027, 3, 5)


def slots(first: dt.date = MONDAY, last: dt.date = FRIDAY, **kwargs: object) -> list[Slot]:
    booked = kwargs.pop("booked", [])
    team = kwargs.pop("team", TEAM)
    return free_slots(FAR, 60, first, last, team, booked, TRAVEL, **kwargs)  # type: ignore[arg-type]


def clear_of_lunch(slot: Slot) -> bool:
    return not (slot.start.time() < dt.time(12, 30) and slot.end.time() > dt.time(12, 0))


def test_free_calendars_give_at_least_ten_slots_over_five_working_days_at_different_times() -> None:
    found = slots()
    assert len(found) >= 10, f"ten choices or more, got {len(found)}"
    days = {s.start.date() for s in found}
    assert len(days) >= 5, f"spread over five working days, got {sorted(days)}"
    assert len({s.start.time() for s in found}) >= 3, "not all at the same time of day"
    for day in days:
        starts = sorted(s.start for s in found if s.start.date() == day)
        assert all(b - a >= MIN_APART for a, b in itertools.pairwise(starts)), (
            f"two slots close together on {day}: {starts}"
        )


def test_a_long_window_still_spreads_the_choices_over_five_days() -> None:
    found = slots(MONDAY, MONDAY + dt.timedelta(weeks=8))
    assert len(found) == 12 and len({s.start.date() for s in found}) >= 5


def test_slots_keep_clear_of_visits_lunch_and_the_working_day() -> None:
    booked = [Booked(1, Point(57.47, 9.99), dt.datetime(2027, 3, 2, 9, 0), dt.datetime(2027, 3, 2, 10, 0))]
    for slot in slots(booked=booked):
        assert slot.end - slot.start == dt.timedelta(minutes=60)
        assert slot.start.minute % 5 == 0
        assert not (slot.consultant == 1 and slot.start < booked[0].end and booked[0].start < slot.end)
        assert clear_of_lunch(slot), f"lunch is kept: {slot}"
        assert dt.time(8) < slot.start.time() and slot.end.time() < dt.time(15, 30)


def test_a_day_with_a_neighbour_visit_comes_first() -> None:
    near_far = Point(57.581, 10.301)
    booked = [Booked(2, near_far, dt.datetime(2027, 3, 3, 9, 0), dt.datetime(2027, 3, 3, 10, 0))]
    (best, *_) = slots(booked=booked)
    assert (best.consultant, best.start.date()) == (2, dt.date(2027, 3, 3))
    assert best.extra_driving_s < 600


def test_morning_and_afternoon() -> None:
    morning, afternoon = slots(starts_between=MORNING), slots(starts_between=AFTERNOON)
    assert morning and all(s.start.time() < dt.time(12) for s in morning), "formiddag starts before noon"
    assert afternoon and all(s.start.time() >= dt.time(12) for s in afternoon), "eftermiddag from noon"
    assert len({s.start.date() for s in afternoon}) == 5, "every day has an afternoon"


def test_one_consultant_one_day_one_week() -> None:
    only_k2 = slots(team=[TEAM[1]])
    assert only_k2 and {s.consultant for s in only_k2} == {2}
    wednesday = dt.date(2027, 3, 3)
    on_wednesday = slots(wednesday, wednesday)
    assert len(on_wednesday) >= 3 and {s.start.date() for s in on_wednesday} == {wednesday}
    next_week = slots(MONDAY + dt.timedelta(weeks=1), FRIDAY + dt.timedelta(weeks=1))
    assert {s.start.date().isocalendar()[1] for s in next_week} == {10}


def test_full_days_and_holidays_give_no_slot() -> None:
    day = dt.date(2027, 3, 1)
    booked = [
        Booked(c.id, BASE, dt.datetime(2027, 3, 1, h, 0), dt.datetime(2027, 3, 1, h, 50))
        for c in TEAM
        for h in (8, 9, 10, 13)
    ]
    assert slots(day, day, booked=booked) == [], "four visits is the day's most"
    good_friday = dt.date(2027, 3, 26)
    assert slots(good_friday, good_friday) == []


@settings(max_examples=40, deadline=None)
@given(
    hours=st.lists(st.integers(min_value=8, max_value=14), max_size=6),
    days=st.lists(st.integers(min_value=0, max_value=4), min_size=6, max_size=6),
    who=st.lists(st.sampled_from([1, 2]), min_size=6, max_size=6),
    part=st.sampled_from([None, MORNING, AFTERNOON]),
)
def test_no_slot_overlaps_a_booked_visit_or_lunch_and_each_fits_its_filter(
    hours: list[int], days: list[int], who: list[int], part: tuple[dt.time, dt.time] | None
) -> None:
    booked = [
        Booked(c, Point(57.5, 10.0), dt.datetime(2027, 3, 1 + d, h, 0), dt.datetime(2027, 3, 1 + d, h, 45))
        for h, d, c in zip(hours, days, who, strict=False)
    ]
    found = slots(booked=booked, starts_between=part)
    assert len(found) <= 12
    for slot in found:
        assert clear_of_lunch(slot)
        assert not any(
            b.consultant == slot.consultant and b.start < slot.end and slot.start < b.end for b in booked
        )
        if part is not None:
            assert part[0] <= slot.start.time() <= part[1]
