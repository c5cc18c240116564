"""Consultants' calendars: weekdays, holidays, closing days, absences, visiting hours."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fhb.core.planning.calendar import (
    Absence,
    ClosedDay,
    VisitingHours,
    WorkingPattern,
    closed_days,
    consultant_shifts,
    public_holidays,
)

WEEK = WorkingPattern(weekdays=frozenset(range(5)), start=dt.time(8), end=dt.time(15, 30), max_visits=4)


def shifts(first: dt.date, last: dt.date, **kwargs: object) -> list:  # type: ignore[type-arg]
    closed = closed_days(first, last, kwargs.pop("closing", ()))  # type: ignore[arg-type]
    pattern = kwargs.pop("pattern", WEEK)
    return consultant_shifts(1, pattern, first, last, closed=closed, **kwargs)  # type: ignore[arg-type]


def test_danish_public_holidays_are_closed_days() -> None:
    days = public_holidays(dt.date(2027, 3, 20), dt.date(2027, 5, 31))
    # Easter 2027: Maundy Thursday 25 March, Good Friday 26, Easter Monday 29;
    # Ascension 6 May; Whit Monday 17 May.
    for day in (
        dt.date(2027, 3, 25),
        dt.date(2027, 3, 26),
        dt.date(2027, 3, 29),
        dt.date(2027, 5, 6),
        dt.date(2027, 5, 17),
    ):
        assert day in days, f"{day} should be a Danish public holiday"


def test_no_shift_on_holidays_weekends_or_closing_days() -> None:
    closing = [ClosedDay(dt.date(2027, 3, 24), "Personaledag")]
    days = {s.day for s in shifts(dt.date(2027, 3, 22), dt.date(2027, 4, 2), closing=closing)}
    assert dt.date(2027, 3, 24) not in days, "closing day"
    assert dt.date(2027, 3, 25) not in days and dt.date(2027, 3, 29) not in days, "Easter"
    assert dt.date(2027, 3, 27) not in days, "Saturday"
    assert dt.date(2027, 3, 23) in days and dt.date(2027, 3, 30) in days


def test_a_holiday_absence_removes_whole_days() -> None:
    away = (Absence(dt.datetime(2027, 3, 8), dt.datetime(2027, 3, 13), "Ferie"),)
    days = {s.day for s in shifts(dt.date(2027, 3, 1), dt.date(2027, 3, 19), absences=away)}
    assert not any(dt.date(2027, 3, 8) <= d <= dt.date(2027, 3, 12) for d in days)
    assert dt.date(2027, 3, 5) in days and dt.date(2027, 3, 15) in days


def test_a_meeting_splits_the_day_and_shares_max_visits() -> None:
    meeting = (Absence(dt.datetime(2027, 3, 3, 10), dt.datetime(2027, 3, 3, 11), "Møde"),)
    day = [s for s in shifts(dt.date(2027, 3, 3), dt.date(2027, 3, 3), absences=meeting)]
    assert [(s.start.time(), s.end.time()) for s in day] == [
        (dt.time(8), dt.time(10)),
        (dt.time(11), dt.time(15, 30)),
    ]
    assert sum(s.max_visits for s in day) == 4
    assert [s.lunch_at is not None for s in day] == [False, True], "lunch goes to the piece holding noon"


def test_a_short_leftover_holds_no_visit() -> None:
    course = (Absence(dt.datetime(2027, 3, 3, 8, 30), dt.datetime(2027, 3, 3, 15), "Kursus"),)
    assert shifts(dt.date(2027, 3, 3), dt.date(2027, 3, 3), absences=course) == []


def test_visiting_hours_narrow_the_day() -> None:
    ishoej = VisitingHours(frozenset(range(5)), dt.time(9, 30), dt.time(16))
    (shift,) = shifts(dt.date(2027, 3, 3), dt.date(2027, 3, 3), visiting_hours=ishoej)
    assert (shift.start.time(), shift.end.time()) == (dt.time(9, 30), dt.time(15, 30))


def test_bad_patterns_are_refused() -> None:
    with pytest.raises(ValueError, match="before it ends"):
        WorkingPattern(weekdays=frozenset({0}), start=dt.time(15), end=dt.time(8))
    with pytest.raises(ValueError, match="weekdays"):
        WorkingPattern(weekdays=frozenset({7}), start=dt.time(8), end=dt.time(15))
    with pytest.raises(ValueError, match="max_visits"):
        WorkingPattern(weekdays=frozenset({0}), start=dt.time(8), end=dt.time(15), max_visits=0)


@given(
    start=st.integers(min_value=0, max_value=60 * 24 * 14),
    length=st.integers(min_value=1, max_value=60 * 24 * 3),
)
def test_no_shift_overlaps_an_absence(start: int, length: int) -> None:
    origin = dt.datetime(2027, 3, 1)
    absence = Absence(origin + dt.timedelta(minutes=start), origin + dt.timedelta(minutes=start + length))
    for shift in shifts(dt.date(2027, 3, 1), dt.date(2027, 3, 19), absences=(absence,)):
        assert shift.end <= absence.start or shift.start >= absence.end, f"{shift} overlaps {absence}"
        assert shift.end - shift.start >= dt.timedelta(hours=1)
        assert shift.max_visits >= 1
