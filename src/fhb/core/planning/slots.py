"""Free slots for a citizen on the phone: times that add little driving, spread over several days.

An opt-in citizen calls to book. Every visit already on the calendar stays where it is (it may be promised);
the new visit goes into a gap between two of them (or before the first, or after the last) when the drive
in, the visit and the drive on to the next stop fit the gap, the day has room under its ``max_visits``, and
it keeps clear of the lunch break at its preferred time. Inside a gap the visit may start at its earliest
possible time or at any half or whole hour after that until the latest time that still fits: the extra
driving is the same for all of them, so the citizen may pick the time of day.

The choices are spread so that the caller hears several days and several times: the days are ranked by
the least extra driving they offer (then by date), and the best :data:`SPREAD_DAYS` take turns giving one
slot each (the day's best, at least :data:`MIN_APART` from its slots already chosen: see :func:`_pick`), until
``count`` are chosen; a day that has nothing more to give hands its turn to the next best day. The list
comes back in the order chosen, so the first slot is the one that adds the least driving.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from fhb.core.planning.calendar import ClosedDay, VisitingHours, closed_days, consultant_shifts
from fhb.core.planning.model import Consultant
from fhb.core.planning.travel import Point, TravelTimes

ROUND = dt.timedelta(minutes=5)
"""Slots start on the clock's five minutes."""
STEP = dt.timedelta(minutes=30)
"""Later starts inside a gap are offered on the half and whole hours."""
MIN_APART = dt.timedelta(minutes=60)
"""Two slots chosen on the same day start at least this far apart, whoever the consultant."""
DRIVING_TIE_S = 300
"""Slots whose extra driving differs by less than five minutes are as good as each other."""
SPREAD_DAYS = 5
"""This many days take turns giving slots (more when a day runs out)."""

MORNING = (dt.time(0), dt.time(11, 59))
"""``starts_between`` for a slot that starts before noon (formiddag); both ends included."""
AFTERNOON = (dt.time(12), dt.time(23, 59))
"""``starts_between`` for a slot that starts at noon or later (eftermiddag)."""


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


def _starts(earliest: dt.datetime, latest: dt.datetime) -> Iterator[dt.datetime]:
    """``earliest`` (rounded up to five minutes), then every half and whole hour after it up to ``latest``."""
    start = _round_up(earliest)
    if start > latest:
        return
    yield start
    midnight = dt.datetime.combine(start.date(), dt.time())
    tick = midnight + (-(-(start - midnight) // STEP)) * STEP
    if tick == start:
        tick += STEP
    while tick <= latest:
        yield tick
        tick += STEP


def _gap_starts(
    earliest: dt.datetime,
    latest: dt.datetime,
    duration: dt.timedelta,
    lunch: tuple[dt.datetime, dt.datetime] | None,
    window: tuple[dt.time, dt.time] | None,
) -> Iterator[dt.datetime]:
    """The starts from ``earliest`` to ``latest`` clear of ``lunch`` and inside ``window`` (time of day)."""
    pieces = [(earliest, latest)]
    if lunch is not None:
        pieces = [(earliest, min(latest, lunch[0] - duration)), (max(earliest, lunch[1]), latest)]
    if window is not None:
        day = earliest.date()
        low, high = dt.datetime.combine(day, window[0]), dt.datetime.combine(day, window[1])
        pieces = [(max(a, low), min(b, high)) for a, b in pieces]
    for a, b in pieces:
        yield from _starts(a, b)


def _candidates(
    point: Point,
    duration_min: int,
    first: dt.date,
    last: dt.date,
    consultants: Sequence[Consultant],
    booked: Sequence[Booked],
    travel: TravelTimes,
    closing_days: Sequence[ClosedDay],
    visiting_hours: VisitingHours | None,
    starts_between: tuple[dt.time, dt.time] | None,
    weekdays: Collection[int] | None,
) -> list[Slot]:
    """Every slot that fits, at every offered start, for every consultant and day."""
    closed = closed_days(first, last, closing_days)
    by_id = {c.id: i for i, c in enumerate(consultants)}
    points = [point, *(c.base for c in consultants), *(b.point for b in booked)]
    driving = travel.matrix(points).duration_s
    new = 0
    duration = dt.timedelta(minutes=duration_min)
    found: list[Slot] = []
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
            if weekdays is not None and shift.day.weekday() not in weekdays:
                continue
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
            for (prev_loc, _, prev_end), (next_loc, next_start, _) in itertools.pairwise(stops):
                drive_in = dt.timedelta(seconds=int(driving[prev_loc, new]))
                drive_out = dt.timedelta(seconds=int(driving[new, next_loc]))
                extra = int(driving[prev_loc, new] + driving[new, next_loc] - driving[prev_loc, next_loc])
                latest = next_start - drive_out - duration
                for start in _gap_starts(prev_end + drive_in, latest, duration, lunch, starts_between):
                    found.append(Slot(consultant.id, start, start + duration, extra))
    return found


def _pick(day: Sequence[Slot], starts: Sequence[dt.datetime], used: Counter[int]) -> Slot | None:
    """The day's next slot: at least :data:`MIN_APART` from ``starts``; the least extra driving (to the
    nearest five minutes), then the farthest from ``starts`` (so a day offers morning, afternoon and midday
    rather than three mornings), then the consultant with the fewest slots chosen so far (``used``), then
    the earliest."""
    apart = [s for s in day if all(abs(s.start - t) >= MIN_APART for t in starts)]

    def distance(slot: Slot) -> dt.timedelta:
        return min((abs(slot.start - t) for t in starts), default=dt.timedelta())

    return min(
        apart,
        key=lambda s: (
            s.extra_driving_s // DRIVING_TIE_S,
            -distance(s),
            used[s.consultant],
            s.start,
            s.consultant,
        ),
        default=None,
    )


def _spread(found: Sequence[Slot], count: int) -> list[Slot]:
    """``count`` of ``found``, the best days taking turns (see the module's docstring)."""
    by_day: dict[dt.date, list[Slot]] = {}
    for slot in sorted(found, key=lambda s: (s.extra_driving_s, s.start, s.consultant)):
        by_day.setdefault(slot.start.date(), []).append(slot)
    waiting = sorted(by_day, key=lambda d: (by_day[d][0].extra_driving_s, d))
    taking, waiting = waiting[:SPREAD_DAYS], waiting[SPREAD_DAYS:]
    chosen: list[Slot] = []
    used: Counter[int] = Counter()
    while taking and len(chosen) < count:
        for day in list(taking):
            starts = [s.start for s in chosen if s.start.date() == day]
            pick = _pick(by_day[day], starts, used)
            if pick is None:
                taking.remove(day)
                if waiting:
                    taking.append(waiting.pop(0))
                continue
            chosen.append(pick)
            used[pick.consultant] += 1
            if len(chosen) == count:
                break
    return chosen


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
    starts_between: tuple[dt.time, dt.time] | None = None,
    weekdays: Collection[int] | None = None,
    count: int = 12,
) -> list[Slot]:
    """``count`` slots from ``first`` to ``last`` for a visit of ``duration_min`` at ``point``, spread
    over days and times, the least extra driving first.

    ``consultants`` are those who may take the visit (one, for a chosen consultant); ``booked`` holds the
    visits of all of them. ``starts_between`` keeps the slots whose start lies in that time of day
    (:data:`MORNING`, :data:`AFTERNOON`); ``weekdays`` (0 is Monday) the slots on those days of the week.
    A week or a single day is chosen by ``first`` and ``last``.
    """
    found = _candidates(
        point,
        duration_min,
        first,
        last,
        consultants,
        booked,
        travel,
        closing_days,
        visiting_hours,
        starts_between,
        weekdays,
    )
    return _spread(found, count)
