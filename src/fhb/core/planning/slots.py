"""Free slots for a citizen on the phone: the times that add the least driving to a consultant's day.

An opt-in citizen calls to book. Every visit already on the calendar stays where it is (it may be promised);
the new visit goes into a gap between two of them (or before the first, or after the last) when the drive
in, the visit and the drive on to the next stop fit the gap, the day has room under its ``max_visits``, and
it keeps clear of the lunch break at its preferred time. Slots are ranked by extra driving, then by date; at
most one per consultant-day, so the citizen hears different days.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from fhb.core.planning.calendar import ClosedDay, VisitingHours, closed_days, consultant_shifts
from fhb.core.planning.model import Consultant
from fhb.core.planning.travel import Point, TravelTimes

ROUND = dt.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Booked:
    """A visit already on a consultant's calendar."""

    consultant: int
    point: Point
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True, slots=True)
class Slot:
    consultant: int
    start: dt.datetime
    end: dt.datetime
    extra_driving_s: int


def _round_up(when: dt.datetime) -> dt.datetime:
    midnight = dt.datetime.combine(when.date(), dt.time())
    steps = -(-(when - midnight) // ROUND)
    return midnight + steps * ROUND


def free_slots(
    point: Point,
    duration_min: int,
    first: dt.date,
    last: dt.date,
    consultants: Sequence[Consultant],
    booked: Sequence[Booked],
    travel: TravelTimes,
    *,
    closing_days: Sequence[ClosedDay] = (),
    visiting_hours: VisitingHours | None = None,
    count: int = 3,
) -> list[Slot]:
    """The ``count`` best slots from ``first`` to ``last`` for a visit of ``duration_min`` at ``point``."""
    closed = closed_days(first, last, closing_days)
    by_id = {c.id: i for i, c in enumerate(consultants)}
    points = [point, *(c.base for c in consultants), *(b.point for b in booked)]
    driving = travel.matrix(points).duration_s
    new = 0
    duration = dt.timedelta(minutes=duration_min)
    candidates: list[Slot] = []
    for consultant in consultants:
        home = 1 + by_id[consultant.id]
        mine = [(1 + len(consultants) + j, b) for j, b in enumerate(booked) if b.consultant == consultant.id]
        for shift in consultant_shifts(
            consultant.id,
            consultant.pattern,
            first,
            last,
            closed=closed,
            absences=consultant.absences,
            visiting_hours=visiting_hours,
        ):
            day = sorted(
                ((loc, b.start, b.end) for loc, b in mine if shift.start <= b.start < shift.end),
                key=lambda x: x[1],
            )
            if len(day) >= shift.max_visits:
                continue
            lunch = None
            if shift.lunch_at is not None:
                lunch = (shift.lunch_at, shift.lunch_at + dt.timedelta(minutes=shift.lunch_min))
            stops = [(home, shift.start, shift.start), *day, (home, shift.end, shift.end)]
            best: Slot | None = None
            for (prev_loc, _, prev_end), (next_loc, next_start, _) in itertools.pairwise(stops):
                start = _round_up(prev_end + dt.timedelta(seconds=int(driving[prev_loc, new])))
                if lunch is not None and start < lunch[1] and start + duration > lunch[0]:
                    start = _round_up(lunch[1])
                end = start + duration
                if end + dt.timedelta(seconds=int(driving[new, next_loc])) > next_start:
                    continue
                extra = int(driving[prev_loc, new] + driving[new, next_loc] - driving[prev_loc, next_loc])
                if best is None or extra < best.extra_driving_s:
                    best = Slot(consultant.id, start, end, extra)
            if best is not None:
                candidates.append(best)
    candidates.sort(key=lambda s: (s.extra_driving_s, s.start, s.consultant))
    return candidates[:count]
