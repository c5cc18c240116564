"""When an assessment of need must be decided: the standard's days from when it became known, inside the
window, on a working day.

An assessment becomes known on a run's extract date (or the day a referral is received); it cannot start
before its window opens (a fact in force from 1 January, a visit 6-8 weeks after an event). Its deadline
is ``assess_within_days`` after the later of the two, but no later than the window's last day, so that a
need found can still be met inside the window; a deadline on a weekend or a public holiday moves back to
the working day before it, and never before the day the assessment could start.
"""

from __future__ import annotations

import datetime as dt

from fhb.core.standard.schema import Deadlines
from fhb.core.working_days import working_day_on_or_after, working_day_on_or_before


def assessment_deadline(
    known_on: dt.date, due_from: dt.date, due_to: dt.date, deadlines: Deadlines
) -> dt.date:
    """The day by which the assessment is to be decided (see the module's docstring)."""
    start = max(known_on, due_from)
    last = start + dt.timedelta(days=deadlines.assess_within_days)
    if due_to >= start:
        last = min(last, due_to)
    deadline = working_day_on_or_before(last)
    return deadline if deadline >= start else working_day_on_or_after(start)
