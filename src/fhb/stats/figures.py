"""The leader's figures for one year, counted from stored facts.

Every figure is a count or a sum over rows that stay when a citizen is anonymised (offers, visits,
requests, event sign-ups and club visits keep their year, group, dates, replies and minutes; see
``fhb.privacy.retention``), so a past year's figures do not change when its citizens are later erased.

What is counted, and on which date:

- *I målgruppen* (due): distinct citizens with an offer of the plan year in the group made by a run
  (``origin = run``, decision *offer*). An offer withdrawn before it was made (the citizen died or moved
  away first) does not count: the standard's goal is about the citizens who could be offered a visit.
- *Tilbudt* (offered): of those, the citizens whose offer was made (``Offer.offered_on``: the offering
  letter was delivered, a request was granted, or another visit was agreed at a visit).
- Answers are per offer made: yes (or another time), no (or never again), no answer yet.
- Visits are counted in the calendar year they took place (or were to take place), in the group of their
  offers; a couple's visit counts once per group. Hours are the recorded length of held visits and the
  driving kept on each visit when its outcome was recorded (``Visit.drive_minutes``).
- Requests are counted in the year they were received; on time means decided by the deadline.

The consultant filter narrows the visits, the hours and the offers to those with a visit by that
consultant; coverage and requests are the municipality's and say so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.core.standard.schema import QualityStandard
from fhb.offers.groups import group_order
from fhb.offers.models import Offer, Request
from fhb.offers.requests import REQUEST_GROUP
from fhb.visits.models import Visit

MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
ACCEPTED = (Offer.Reply.YES, Offer.Reply.OTHER_TIME)
DECLINED = (Offer.Reply.NO, Offer.Reply.NEVER_AGAIN)
VISIT_STATUSES = (
    Visit.Status.HELD,
    Visit.Status.CLOSED_DOOR,
    Visit.Status.DECLINED,
    Visit.Status.CANCELLED,
    Visit.Status.PLANNED,
)


@dataclass(frozen=True, slots=True)
class Filters:
    """What the leader asked for: a year, optionally one target group and one consultant (a user id)."""

    year: int
    group: str = ""
    consultant_id: int | None = None


def group_names(standard: QualityStandard) -> dict[str, str]:
    """Group id -> "Målgruppe 1: Borgere, der bor alene, ..." for the standard's groups and requests."""
    names = {group.id: f"{group.label}: {group.title}" for group in standard.groups}
    names.setdefault(REQUEST_GROUP, _("Efter henvendelse"))
    return names


def short_names(standard: QualityStandard) -> dict[str, str]:
    """Group id -> the short label charts use ("Målgruppe 1")."""
    names = {group.id: group.label for group in standard.groups}
    names.setdefault(REQUEST_GROUP, _("Henvendelser"))
    return names


def years_with_data(today: dt.date) -> list[int]:
    """The plan years from the first with offers to the last (and this year), newest first.

    The first and last year come from the offers' ``(year, ...)`` index (two index look-ups; a DISTINCT
    over all offers read every row on each page view)."""
    span = Offer.objects.aggregate(first=Min("year"), last=Max("year"))
    first = min(span["first"] or today.year, today.year)
    last = max(span["last"] or today.year, today.year)
    return list(range(last, first - 1, -1))


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz))


def _visits(filters: Filters) -> QuerySet[Visit]:
    since, until = _year_range(filters.year)
    visits = Visit.objects.filter(start__gte=since, start__lt=until)
    if filters.consultant_id is not None:
        visits = visits.filter(consultant_id=filters.consultant_id)
    if filters.group:
        visits = visits.filter(offers__group=filters.group).distinct()
    return visits


def _offers(filters: Filters) -> QuerySet[Offer]:
    offers = Offer.objects.filter(year=filters.year, decision=Offer.Decision.OFFER).exclude(
        status=Offer.Status.WITHDRAWN, offered_on__isnull=True
    )
    if filters.group:
        offers = offers.filter(group=filters.group)
    if filters.consultant_id is not None:
        offers = offers.filter(
            Exists(Visit.objects.filter(offers=OuterRef("pk"), consultant_id=filters.consultant_id))
        )
    return offers


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


def ordered(groups: Iterable[str], standard: QualityStandard) -> list[str]:
    """The distinct group ids in the standard's order (:func:`fhb.offers.groups.group_order`)."""
    return sorted(set(groups), key=group_order(standard))


def offers_by_group(filters: Filters) -> dict[str, dict[str, int]]:
    """Per group: due and offered citizens, offers made, and their answers."""
    made = Q(offered_on__isnull=False)
    rows = (
        _offers(filters)
        .values("group")
        .annotate(
            due=Count("citizen", distinct=True, filter=Q(origin=Offer.Origin.RUN)),
            offered=Count("citizen", distinct=True, filter=Q(origin=Offer.Origin.RUN) & made),
            made=Count("id", filter=made),
            yes=Count("id", filter=made & Q(reply__in=ACCEPTED)),
            no=Count("id", filter=made & Q(reply__in=DECLINED)),
            none=Count("id", filter=made & Q(reply="")),
        )
        .order_by()
    )
    return {
        row["group"]: {
            "due": row["due"],
            "offered": row["offered"],
            "made": row["made"],
            "yes": row["yes"],
            "no": row["no"],
            "none": row["none"],
        }
        for row in rows
    }


def visits_by_group(filters: Filters) -> dict[str, dict[str, int]]:
    """Per group: the number of visits in each status (a visit for two offers in one group counts once)."""
    since, until = _year_range(filters.year)
    visits = Visit.objects.filter(start__gte=since, start__lt=until)
    if filters.consultant_id is not None:
        visits = visits.filter(consultant_id=filters.consultant_id)
    if filters.group:
        visits = visits.filter(offers__group=filters.group)
    rows = visits.values("offers__group", "status").annotate(n=Count("id", distinct=True)).order_by()
    found: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(VISIT_STATUSES, 0))
    for row in rows:
        if row["offers__group"] is not None and (not filters.group or row["offers__group"] == filters.group):
            found[row["offers__group"]][row["status"]] = row["n"]
    return dict(found)


@dataclass(frozen=True, slots=True)
class ConsultantHours:
    name: str
    held: int
    closed_door: int
    visit_hours: float
    drive_hours: float


def hours_by_consultant(filters: Filters) -> list[ConsultantHours]:
    """Per consultant: visits held, closed doors, hours on visits and hours driving."""
    rows = (
        _visits(filters)
        .filter(status__in=(Visit.Status.HELD, Visit.Status.CLOSED_DOOR))
        .values("consultant_id", "consultant__first_name", "consultant__last_name", "consultant__username")
        .annotate(
            held=Count("id", filter=Q(status=Visit.Status.HELD), distinct=True),
            closed=Count("id", filter=Q(status=Visit.Status.CLOSED_DOOR), distinct=True),
            visit_min=Sum("held_minutes"),
            drive_min=Sum("drive_minutes"),
        )
        .order_by("consultant__first_name", "consultant__last_name", "consultant__username")
    )
    result = []
    for row in rows:
        name = " ".join(filter(None, (row["consultant__first_name"], row["consultant__last_name"])))
        result.append(
            ConsultantHours(
                name=name or row["consultant__username"] or _("Ingen konsulent"),
                held=row["held"],
                closed_door=row["closed"],
                visit_hours=_hours(row["visit_min"]),
                drive_hours=_hours(row["drive_min"]),
            )
        )
    return result


def by_month(filters: Filters) -> tuple[list[int], list[int]]:
    """Offers made and visits held in each month of the calendar year (12 numbers each)."""
    offers = Offer.objects.filter(offered_on__year=filters.year, decision=Offer.Decision.OFFER)
    if filters.group:
        offers = offers.filter(group=filters.group)
    if filters.consultant_id is not None:
        offers = offers.filter(
            Exists(Visit.objects.filter(offers=OuterRef("pk"), consultant_id=filters.consultant_id))
        )
    made = [0] * 12
    for month, n in offers.values_list("offered_on__month").annotate(n=Count("id")).order_by():
        made[month - 1] = n
    held = [0] * 12
    visits = _visits(filters).filter(status=Visit.Status.HELD)
    held_rows = visits.annotate(month=ExtractMonth("start")).values_list("month").annotate(n=Count("id"))
    for month, n in held_rows.order_by():
        held[month - 1] = n
    return made, held


def requests_figures(year: int, today: dt.date) -> dict[str, int]:
    """Requests received in ``year``: decided on time, late, and waiting (inside or past the deadline)."""
    decided = Q(decided_on__isnull=False)
    return Request.objects.filter(received__year=year).aggregate(
        received=Count("id"),
        on_time=Count("id", filter=decided & Q(decided_on__lte=F("deadline"))),
        late=Count("id", filter=decided & Q(decided_on__gt=F("deadline"))),
        waiting=Count("id", filter=Q(decided_on__isnull=True) & Q(deadline__gte=today)),
        overdue=Count("id", filter=Q(decided_on__isnull=True) & Q(deadline__lt=today)),
        no_deadline=Count("id", filter=decided & Q(deadline__isnull=True)),
    )


@dataclass(frozen=True, slots=True)
class Coverage:
    """A quality goal's figures: ``due`` is None for a goal "by need", which has no share."""

    goal_id: str
    groups: tuple[str, ...]
    due: int | None
    offered: int
    percent: float | None
    goal: str


def coverage(standard: QualityStandard, offers: dict[str, dict[str, int]]) -> list[Coverage]:
    """One row per quality goal of the standard (or per target group when it states no goals)."""
    rows = []
    for goal in standard.quality_goals:
        groups = tuple(goal.groups)
        if goal.goal == "all_offered_in_year":
            due = sum(offers.get(g, {}).get("due", 0) for g in groups)
            offered = sum(offers.get(g, {}).get("offered", 0) for g in groups)
            rows.append(Coverage(goal.id, groups, due, offered, percent(offered, due), _("alle (100 %)")))
        else:
            made = sum(offers.get(g, {}).get("made", 0) for g in groups)
            rows.append(Coverage(goal.id, groups, None, made, None, _("efter behov")))
    if not standard.quality_goals:
        for group in standard.groups:
            due = offers.get(group.id, {}).get("due", 0)
            offered = offers.get(group.id, {}).get("offered", 0)
            rows.append(Coverage(group.id, (group.id,), due, offered, percent(offered, due), "–"))
    return rows
