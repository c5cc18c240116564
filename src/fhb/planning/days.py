"""What a consultant's week and day look like: visits, days off and closed days, and the day's route.

The route is read from the visits as they stand (whoever placed them): leave the start place in time to
reach the first visit, drive from visit to visit, come back after the last. Driving times come from the
same travel model the planner uses (:func:`fhb.planning.calendars.travel_times`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from fhb.citizens.models import Citizen, Dwelling
from fhb.core.planning.calendar import closed_days
from fhb.core.planning.travel import Point
from fhb.letters.models import Letter
from fhb.local_time import aware, day_bounds, naive_local
from fhb.planning.booking import clock
from fhb.planning.calendars import closing_days, travel_times
from fhb.planning.models import Consultant
from fhb.ui.forms import YEARS
from fhb.visits.models import Visit

ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
SHOWN = (Visit.Status.PLANNED, Visit.Status.HELD, Visit.Status.CLOSED_DOOR)
"""Visits a calendar shows: cancelled and declined ones will not (or did not) take place."""


def week_of(text: str | None, today: dt.date) -> dt.date:
    """The Monday of ISO week ``text`` ("2027-W02"), or of ``today``'s week when absent or malformed."""
    match = ISO_WEEK.match(text or "")
    if match and int(match[1]) in YEARS:
        try:
            return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return today - dt.timedelta(days=today.weekday())


def iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def calendar_visits(consultant: Consultant, first: dt.date, last: dt.date) -> list[Visit]:
    """The consultant's visits from ``first`` to ``last``, each with ``is_promised`` set, in time order."""
    since, until = day_bounds(first, last)
    visits = list(
        Visit.objects.filter(
            consultant_id=consultant.user_id, status__in=SHOWN, start__gte=since, start__lt=until
        )
        .annotate(
            lettered=Exists(
                Letter.objects.filter(visit=OuterRef("pk")).exclude(status=Letter.Status.CANCELLED)
            )
        )
        .prefetch_related("offers__citizen__dwelling")
        .order_by("start")
    )
    for visit in visits:
        visit.is_promised = visit.fixed or visit.lettered  # type: ignore[attr-defined]
        visit.citizens = _citizens(visit)  # type: ignore[attr-defined]
        visit.dwelling = visit.citizens[0].dwelling if visit.citizens else None  # type: ignore[attr-defined]
    return visits


def _citizens(visit: Visit) -> list[Citizen]:
    seen: dict[int, Citizen] = {}
    for offer in visit.offers.all():
        seen.setdefault(offer.citizen.pk, offer.citizen)
    return list(seen.values())


@dataclass
class CalendarDay:
    day: dt.date
    working: bool
    """One of the consultant's weekdays."""
    closed: str = ""
    """Why the service is closed: a public holiday's name or a closing day's reason."""
    absences: list[str] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)


def calendar_week(consultant: Consultant, monday: dt.date) -> list[CalendarDay]:
    """Monday to Friday, and Saturday and Sunday when they have visits."""
    sunday = monday + dt.timedelta(days=6)
    closed = closed_days(monday, sunday, closing_days(monday, sunday))
    weekdays = consultant.weekday_numbers()
    days = {
        monday + dt.timedelta(days=i): CalendarDay(
            monday + dt.timedelta(days=i),
            working=i in weekdays,
            closed=closed.get(monday + dt.timedelta(days=i), ""),
        )
        for i in range(7)
    }
    for visit in calendar_visits(consultant, monday, sunday):
        days[naive_local(visit.start).date()].visits.append(visit)
    since, until = day_bounds(monday, sunday)
    for absence in consultant.absences.filter(start__lt=until, end__gt=since):
        start, end = naive_local(absence.start), naive_local(absence.end)
        for day, shown in days.items():
            day_start = dt.datetime.combine(day, dt.time())
            day_end = day_start + dt.timedelta(days=1)
            if start >= day_end or end <= day_start:
                continue
            if start <= day_start and end >= day_end:
                when = _("hele dagen")
            else:
                when = f"{clock(max(start, day_start))}–{clock(min(end, day_end))}"
            note = f" ({absence.note})" if absence.note else ""
            shown.absences.append(f"{absence.get_kind_display()} {when}{note}")
    return [d for d in days.values() if d.day.weekday() < 5 or d.visits]


@dataclass(frozen=True, slots=True)
class RouteStop:
    number: int
    visit: Visit
    citizens: list[Citizen]
    dwelling: Dwelling | None
    point: Point | None
    drive_min: int | None
    """Driving from the previous stop (or the start place); None when either end has no coordinates."""
    promised: bool


@dataclass(frozen=True, slots=True)
class DayRoute:
    consultant: Consultant
    day: dt.date
    stops: list[RouteStop]
    leave: dt.datetime | None
    """When to leave the start place to reach the first visit on time."""
    back: dt.datetime | None
    back_drive_min: int | None
    lunch: tuple[dt.datetime, dt.datetime] | None
    lunch_missing: bool
    """The consultant has a lunch break, but the day leaves no room for it."""
    driving_min: int
    unknown_legs: bool
    """Some drives are unknown (a home without coordinates): ``driving_min`` is too low."""

    @property
    def base(self) -> Point:
        return self.consultant.base


def _minutes(seconds: int) -> int:
    return math.ceil(seconds / 60)


def day_route(consultant: Consultant, day: dt.date) -> DayRoute:
    """The consultant's visits on ``day`` in order, with the driving between them and the lunch break."""
    visits = calendar_visits(consultant, day, day)
    base = consultant.base
    points: list[Point | None] = [base]
    for visit in visits:
        dwelling = visit.dwelling  # type: ignore[attr-defined]
        points.append(dwelling.point if dwelling is not None else None)
    known: list[Point] = []
    index: dict[int, int] = {}
    for i, point in enumerate(points):
        if point is not None:
            index[i] = len(known)
            known.append(point)
    driving = travel_times().matrix(known).duration_s if len(known) > 1 else None

    def leg(a: int, b: int) -> int | None:
        if a not in index or b not in index:
            return None
        return _minutes(int(driving[index[a], index[b]])) if driving is not None else 0

    stops = [
        RouteStop(
            number=n,
            visit=visit,
            citizens=visit.citizens,  # type: ignore[attr-defined]
            dwelling=visit.dwelling,  # type: ignore[attr-defined]
            point=points[n],
            drive_min=leg(n - 1, n),
            promised=visit.is_promised,  # type: ignore[attr-defined]
        )
        for n, visit in enumerate(visits, start=1)
    ]
    if not stops:
        return DayRoute(consultant, day, [], None, None, None, None, False, 0, False)
    back_drive = leg(len(stops), 0)
    first_drive = stops[0].drive_min
    leave = stops[0].visit.start - dt.timedelta(minutes=first_drive) if first_drive is not None else None
    back = stops[-1].visit.end + dt.timedelta(minutes=back_drive) if back_drive is not None else None
    legs = [s.drive_min for s in stops] + [back_drive]
    busy = [
        (naive_local(s.visit.start) - dt.timedelta(minutes=s.drive_min or 0), naive_local(s.visit.end))
        for s in stops
    ]
    busy.append(
        (
            naive_local(stops[-1].visit.end),
            naive_local(stops[-1].visit.end) + dt.timedelta(minutes=back_drive or 0),
        )
    )
    lunch = None
    if consultant.lunch_at is not None and consultant.lunch_min:
        found = place_lunch(
            busy,
            dt.datetime.combine(day, consultant.lunch_at),
            consultant.lunch_min,
            dt.datetime.combine(day, consultant.day_start),
            dt.datetime.combine(day, consultant.day_end),
        )
        if found is not None:
            lunch = (aware(found), aware(found + dt.timedelta(minutes=consultant.lunch_min)))
    return DayRoute(
        consultant,
        day,
        stops,
        leave=leave,
        back=back,
        back_drive_min=back_drive,
        lunch=lunch,
        lunch_missing=consultant.lunch_at is not None and consultant.lunch_min > 0 and lunch is None,
        driving_min=sum(m for m in legs if m is not None),
        unknown_legs=any(m is None for m in legs),
    )


def place_lunch(
    busy: Sequence[tuple[dt.datetime, dt.datetime]],
    lunch_at: dt.datetime,
    lunch_min: int,
    day_start: dt.datetime,
    day_end: dt.datetime,
) -> dt.datetime | None:
    """The start of the lunch break nearest ``lunch_at`` that overlaps no busy time (visits and the drives
    to them) and lies inside the working day; None when no gap is long enough.

    The candidates are the preferred time itself and the edges of the busy times: the nearest free start is
    always one of them.
    """
    length = dt.timedelta(minutes=lunch_min)
    candidates = {lunch_at, day_start, day_end - length}
    for start, end in busy:
        candidates.update((end, start - length))
    free = [
        c
        for c in candidates
        if day_start <= c
        and c + length <= day_end
        and all(c + length <= start or c >= end for start, end in busy)
    ]
    return min(free, key=lambda c: (abs(c - lunch_at), c), default=None)
