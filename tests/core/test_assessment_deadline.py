"""The deadline of an assessment: inside the window, on a working day, never before it can start."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fhb.core.assessment_deadline import assessment_deadline
from fhb.core.standard.schema import Deadlines
from fhb.core.working_days import is_working_day

days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))


@given(days, days, st.integers(0, 200), st.integers(1, 60))
def test_the_deadline_is_a_working_day_inside_the_window(
    known: dt.date, due_from: dt.date, length: int, within: int
) -> None:
    due_to = due_from + dt.timedelta(days=length)
    deadlines = Deadlines(assess_within_days=within)
    deadline = assessment_deadline(known, due_from, due_to, deadlines)
    start = max(known, due_from)
    assert is_working_day(deadline)
    assert deadline >= start
    latest = start + dt.timedelta(days=within)
    if due_to >= start:
        latest = min(latest, due_to)
    span = [start + dt.timedelta(days=i) for i in range((latest - start).days + 1)]
    if deadline > latest:  # no working day at all from the start to the latest day: the next one
        assert not any(is_working_day(d) for d in span)
    else:  # the last working day on or before the latest day
        assert not any(is_working_day(d) for d in span if d > deadline)


def test_a_deadline_on_maundy_thursday_moves_to_the_wednesday() -> None:
    deadline = assessment_deadline(
        dt.date(2027, 3, 11), dt.date(2027, 3, 1), dt.date(2027, 5, 24), Deadlines()
    )
    assert deadline == dt.date(2027, 3, 24)


def test_a_window_that_ends_sooner_sets_the_deadline() -> None:
    deadline = assessment_deadline(dt.date(2027, 3, 1), dt.date(2027, 2, 1), dt.date(2027, 3, 7), Deadlines())
    assert deadline == dt.date(2027, 3, 5)  # Sunday 7 March: the Friday before
