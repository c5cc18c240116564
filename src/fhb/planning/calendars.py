"""The consultants' calendars as the core reads them: working patterns, absences, closing days, the
standard's visiting hours, the length of a visit, and the travel-time source the settings choose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings

from fhb.core.planning.calendar import Absence as CoreAbsence
from fhb.core.planning.calendar import ClosedDay, VisitingHours, WorkingPattern
from fhb.core.planning.matrix_cache import MatrixCache
from fhb.core.planning.model import Consultant as CoreConsultant
from fhb.core.planning.osrm import OsrmClient
from fhb.core.planning.travel import TravelModel, TravelTimes
from fhb.core.standard.schema import QualityStandard
from fhb.local_time import day_bounds, naive_local
from fhb.offers.models import Offer
from fhb.planning.models import Absence, ClosingDay, Consultant
from fhb.visits.models import Visit

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BUSY = (Visit.Status.PLANNED, Visit.Status.HELD, Visit.Status.CLOSED_DOOR)
"""A visit in one of these states means the offer needs no new one."""


def travel_times() -> TravelTimes:
    """The travel-time source the settings choose (``FHB_TRAVEL``)."""
    if settings.FHB_TRAVEL == "osrm":
        return OsrmClient(
            settings.FHB_OSRM_URL,
            cache=MatrixCache(settings.DATA_DIR / "osrm-cache"),
            stop_overhead_s=TravelModel().stop_overhead_s,  # OSRM drives; parking and the walk are ours
        )
    return TravelModel()


def core_consultant(consultant: Consultant, absences: Iterable[Absence]) -> CoreConsultant:
    return CoreConsultant(
        id=consultant.user_id,
        name=str(consultant),
        base=consultant.base,
        pattern=WorkingPattern(
            weekdays=consultant.weekday_numbers(),
            start=consultant.day_start,
            end=consultant.day_end,
            lunch_at=consultant.lunch_at,
            lunch_min=consultant.lunch_min if consultant.lunch_at else 0,
            max_visits=consultant.max_visits,
        ),
        absences=tuple(
            CoreAbsence(naive_local(a.start), naive_local(a.end), a.get_kind_display()) for a in absences
        ),
    )


def core_consultants(first: dt.date, last: dt.date) -> list[CoreConsultant]:
    """The active consultants with their absences touching ``first``..``last``."""
    since, until = day_bounds(first, last)
    out = []
    for consultant in Consultant.objects.filter(active=True).select_related("user"):
        absences = consultant.absences.filter(start__lt=until, end__gt=since)
        out.append(core_consultant(consultant, absences))
    return out


def closing_days(first: dt.date, last: dt.date) -> list[ClosedDay]:
    return [ClosedDay(c.day, c.reason) for c in ClosingDay.objects.filter(day__range=(first, last))]


def visiting_hours(standard: QualityStandard) -> VisitingHours | None:
    hours = standard.visiting_hours
    if hours is None:
        return None
    return VisitingHours(
        weekdays=frozenset(WEEKDAY_KEYS.index(str(d)) for d in hours.weekdays),
        start=hours.start,
        end=hours.end,
    )


def visit_minutes(offers: Sequence[Offer], standard: QualityStandard) -> int:
    """Length of one visit for these offers: the standard's couple length when two citizens share it; else
    the longest of the offers' own lengths (one citizen in two target groups gets one visit of one length)."""
    single = max((o.duration_min or standard.visit.duration_min) for o in offers)
    if len({o.citizen_id for o in offers}) > 1 and standard.visit.couple_duration_min:
        return standard.visit.couple_duration_min
    return single
