"""The events' figures for the statistics dashboard and the events pages: queries over stored rows.

Every count comes from rows that anonymisation keeps (``fhb.privacy.retention``): letters (kind, status,
their offers), offers (year, window), registrations (event, attendance) and club visits, so a year's
figures stay the same when its citizens are later anonymised.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from fhb.events.models import ClubVisit, Event
from fhb.events.services import event_day
from fhb.letters.invitations import invited_by_event


def seniormesse_figures(year: int) -> list[dict[str, Any]]:
    """One dict per event of ``year`` (local start), in date order.

    Keys: ``id``, ``name``, ``activity``, ``date`` (the local day), ``place``, ``capacity`` (None: no
    limit), ``invited`` (citizens with an invitation letter naming the event, see
    :mod:`fhb.events.services`), ``registered`` (sign-ups), ``registered_invited`` (sign-ups among the
    invited), ``attended`` (sign-ups registered as having come) and ``attendance_recorded`` (sign-ups whose
    attendance is recorded, came or not).
    """
    return _figures(Event.objects.filter(start__year=year))


def upcoming_event_figures(today: dt.date) -> list[dict[str, Any]]:
    """The same dicts as :func:`seniormesse_figures` for every event from ``today`` on, whatever its year."""
    return _figures(Event.objects.filter(start__date__gte=today))


def _figures(selected: QuerySet[Event]) -> list[dict[str, Any]]:
    events = list(
        selected.annotate(
            registered=Count("registrations"),
            attended=Count("registrations", filter=Q(registrations__attended=True)),
            recorded=Count("registrations", filter=Q(registrations__attended__isnull=False)),
        ).order_by("start", "pk")
    )
    invited = invited_by_event(events)
    figures = []
    for event in events:
        registered_ids = set(event.registrations.values_list("citizen_id", flat=True))
        figures.append(
            {
                "id": event.pk,
                "name": event.name,
                "activity": event.activity,
                "date": event_day(event),
                "place": event.place,
                "capacity": event.capacity,
                "invited": len(invited[event.pk]),
                "registered": event.registered,
                "registered_invited": len(registered_ids & invited[event.pk]),
                "attended": event.attended,
                "attendance_recorded": event.recorded,
            }
        )
    return figures


def club_visit_figures(year: int, consultant_id: int | None = None) -> dict[str, Any]:
    """The club talks of ``year`` (all consultants', or one's).

    Keys: ``year``, ``talks``, ``attendees`` (the sum of the attendees given), ``per_month`` (talks in
    January..December, a list of 12), ``attendees_per_month`` (12), and ``per_kind``: for each kind of club
    (``ClubVisit.Kind`` values, every kind present, zeros included) a dict with ``label`` (Danish),
    ``talks`` and ``attendees``.
    """
    visits = ClubVisit.objects.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    if consultant_id is not None:
        visits = visits.filter(consultant_id=consultant_id)
    per_month = [0] * 12
    attendees_per_month = [0] * 12
    by_month = (
        visits.order_by()
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(talks=Count("pk"), people=Sum("attendees"))
    )
    for row in by_month:
        per_month[row["month"] - 1] = row["talks"]
        attendees_per_month[row["month"] - 1] = row["people"] or 0
    per_kind: dict[str, dict[str, Any]] = {
        kind.value: {"label": str(kind.label), "talks": 0, "attendees": 0} for kind in ClubVisit.Kind
    }
    by_kind = visits.order_by().values("kind").annotate(talks=Count("pk"), people=Sum("attendees"))
    for kind_row in by_kind:
        entry = per_kind.setdefault(kind_row["kind"], {"label": kind_row["kind"], "talks": 0, "attendees": 0})
        entry["talks"], entry["attendees"] = kind_row["talks"], kind_row["people"] or 0
    return {
        "year": year,
        "talks": sum(per_month),
        "attendees": sum(attendees_per_month),
        "per_month": per_month,
        "attendees_per_month": attendees_per_month,
        "per_kind": per_kind,
    }
