"""Consultants' calendars: which hours of which days can hold visits.

A consultant works on her weekdays from ``start`` to ``end`` with a lunch break, except on Danish public
holidays (the ``holidays`` package), the municipality's closing days and her absences (holiday, course,
meeting). The standard's visiting hours narrow the day further: a visit starts and ends inside them, and
the drive from and back to the start place falls inside them too (a simple, safe reading: Ishøj's
"9.30-16" means the consultant leaves at 9.30 at the earliest and is back by 16.00).

A meeting in the middle of a day splits it into two *shifts*, each from and back to the start place; the
day's ``max_visits`` is shared between them by length. Times are naive local times (Europe/Copenhagen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fhb.core.working_days import danish_holidays

MIN_SHIFT = dt.timedelta(minutes=60)
"""A piece of a day shorter than this holds no visit and is left out."""


@dataclass(frozen=True, slots=True)
class WorkingPattern:
    """A consultant's ordinary week."""

    weekdays: frozenset[int]
    """0 = Monday ... 6 = Sunday."""
    start: dt.time
    end: dt.time
    lunch_at: dt.time | None = dt.time(12, 0)
    """Preferred start of the lunch break; None: no break is planned."""
    lunch_min: int = 30
    max_visits: int = 4
    """Most visits in one day."""

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError(f"a working day must start ({self.start}) before it ends ({self.end})")
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise ValueError(f"weekdays must be a non-empty set of 0..6 (got {sorted(self.weekdays)})")
        if self.max_visits < 1:
            raise ValueError(f"max_visits must be at least 1 (got {self.max_visits})")
        if not 0 <= self.lunch_min <= 120:
            raise ValueError(f"lunch_min must be 0..120 minutes (got {self.lunch_min})")


@dataclass(frozen=True, slots=True)
class Absence:
    """Time away: a holiday (whole days), a course, a meeting. ``end`` is exclusive."""

    start: dt.datetime
    end: dt.datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class VisitingHours:
    """The standard's visiting hours (Ishøj: weekdays 9.30-16)."""

    weekdays: frozenset[int]
    start: dt.time
    end: dt.time


@dataclass(frozen=True, slots=True)
class Shift:
    """A stretch of one consultant's day that can hold visits: leave the start place at ``start`` at the
    earliest, be back by ``end``."""

    consultant: int
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    max_visits: int
    lunch_at: dt.datetime | None = None
    """Preferred lunch start when the break falls in this shift."""
    lunch_min: int = 0


@dataclass(frozen=True, slots=True)
class ClosedDay:
    day: dt.date
    reason: str
    """Danish, for the leader: "Juledag", "Kommunen holder lukket"."""


def public_holidays(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Danish public holidays from ``first`` to ``last`` (inclusive), with their Danish names."""
    out: dict[dt.date, str] = {}
    for year in range(first.year, last.year + 1):
        out.update({d: n for d, n in danish_holidays(year).items() if first <= d <= last})
    return out


def closed_days(first: dt.date, last: dt.date, closing_days: Iterable[ClosedDay] = ()) -> dict[dt.date, str]:
    """Public holidays and closing days in the period, each with why it is closed."""
    out = public_holidays(first, last)
    for closing in closing_days:
        if first <= closing.day <= last:
            out.setdefault(closing.day, closing.reason)
    return out


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _subtract(
    pieces: list[tuple[dt.datetime, dt.datetime]], cut: tuple[dt.datetime, dt.datetime]
) -> list[tuple[dt.datetime, dt.datetime]]:
    out = []
    for start, end in pieces:
        if cut[1] <= start or cut[0] >= end:
            out.append((start, end))
            continue
        if cut[0] > start:
            out.append((start, cut[0]))
        if cut[1] < end:
            out.append((cut[1], end))
    return out


def _share(total: int, lengths: Sequence[float]) -> list[int]:
    """Split ``total`` visits over pieces by length (largest remainder), each piece at least 1 if possible."""
    whole = sum(lengths)
    raw = [total * length / whole for length in lengths]
    shares = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def consultant_shifts(
    consultant: int,
    pattern: WorkingPattern,
    first: dt.date,
    last: dt.date,
    *,
    closed: dict[dt.date, str],
    absences: Sequence[Absence] = (),
    visiting_hours: VisitingHours | None = None,
) -> list[Shift]:
    """The shifts of one consultant from ``first`` to ``last`` (inclusive), in time order."""
    shifts: list[Shift] = []
    for day in _days(first, last):
        if day.weekday() not in pattern.weekdays or day in closed:
            continue
        start, end = pattern.start, pattern.end
        if visiting_hours is not None:
            if day.weekday() not in visiting_hours.weekdays:
                continue
            start, end = max(start, visiting_hours.start), min(end, visiting_hours.end)
            if start >= end:
                continue
        pieces = [(dt.datetime.combine(day, start), dt.datetime.combine(day, end))]
        for absence in absences:
            pieces = _subtract(pieces, (absence.start, absence.end))
        pieces = [p for p in pieces if p[1] - p[0] >= MIN_SHIFT]
        if not pieces:
            continue
        lunch = dt.datetime.combine(day, pattern.lunch_at) if pattern.lunch_at and pattern.lunch_min else None
        shares = _share(pattern.max_visits, [(e - s).total_seconds() for s, e in pieces])
        for (s, e), share in zip(pieces, shares, strict=True):
            if share == 0:
                continue
            has_lunch = lunch is not None and s <= lunch < e and (e - s) > dt.timedelta(hours=4)
            shifts.append(
                Shift(
                    consultant=consultant,
                    day=day,
                    start=s,
                    end=e,
                    max_visits=share,
                    lunch_at=lunch if has_lunch else None,
                    lunch_min=pattern.lunch_min if has_lunch else 0,
                )
            )
    return shifts
