"""The planner's shell: read calendars, visits and offers from the database, plan, write the plan back.

What goes in for a horizon ``first``..``last``:

- every planned visit starting in the horizon. A *promised* one (set or moved by hand, or told the
  citizen in a letter) is fixed where it is; any other may move, or give way;
- every open offer whose letter carries a time, whose window overlaps the horizon and which has no visit
  yet. Spouses at one address who both need a time get one visit (the standard's couple length).

What comes out: moved and new visits, and a :class:`PlanRun` naming what could not be placed and why. A
visit that was only a draft (not promised) and finds no place is removed again: no citizen knew of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.models import User
from fhb.core.planning.calendar import Absence as CoreAbsence
from fhb.core.planning.calendar import ClosedDay, VisitingHours, WorkingPattern
from fhb.core.planning.matrix_cache import MatrixCache
from fhb.core.planning.model import Consultant as CoreConsultant
from fhb.core.planning.model import Plan, Promise, VisitNeed
from fhb.core.planning.osrm import OsrmClient
from fhb.core.planning.planner import PlanRequest, plan_visits
from fhb.core.planning.travel import Point, TravelModel, TravelTimes
from fhb.core.standard.schema import QualityStandard
from fhb.offers.models import Offer
from fhb.offers.service import current_standard
from fhb.planning.models import Absence, ClosingDay, Consultant, PlanRun
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


def local(when: dt.datetime) -> dt.datetime:
    """An aware datetime as naive local time (the core's convention)."""
    return timezone.localtime(when).replace(tzinfo=None)


def aware(when: dt.datetime) -> dt.datetime:
    return timezone.make_aware(when)


def core_consultant(consultant: Consultant, absences: Iterable[Absence]) -> CoreConsultant:
    return CoreConsultant(
        id=consultant.user_id,
        name=str(consultant),
        base=Point(consultant.base_lat, consultant.base_lon),
        pattern=WorkingPattern(
            weekdays=consultant.weekday_numbers(),
            start=consultant.day_start,
            end=consultant.day_end,
            lunch_at=consultant.lunch_at,
            lunch_min=consultant.lunch_min if consultant.lunch_at else 0,
            max_visits=consultant.max_visits,
        ),
        absences=tuple(CoreAbsence(local(a.start), local(a.end), a.get_kind_display()) for a in absences),
    )


def core_consultants(first: dt.date, last: dt.date) -> list[CoreConsultant]:
    """The active consultants with their absences touching ``first``..``last``."""
    since = aware(dt.datetime.combine(first, dt.time()))
    until = aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
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


@dataclass
class Needs:
    """The planner's input and what each key stands for in the database."""

    needs: list[VisitNeed] = field(default_factory=list)
    visits: dict[str, Visit] = field(default_factory=dict)
    offers: dict[str, list[Offer]] = field(default_factory=dict)
    missing_place: list[Offer] = field(default_factory=list)
    """Offers (or visits' offers) whose dwelling has no coordinates: they cannot be routed."""


def _point(offer: Offer) -> Point | None:
    dwelling = offer.citizen.dwelling
    if dwelling.lat is None or dwelling.lon is None:
        return None
    return Point(dwelling.lat, dwelling.lon)


def _window(offers: Sequence[Offer]) -> tuple[dt.date, dt.date]:
    first, last = max(o.due_from for o in offers), min(o.due_to for o in offers)
    if first > last:  # the windows do not overlap: any of them will do
        first, last = min(o.due_from for o in offers), max(o.due_to for o in offers)
    return first, last


def _previous_consultants(citizen_ids: Iterable[int]) -> dict[int, int]:
    """Each citizen's consultant at her latest held visit."""
    out: dict[int, int] = {}
    held = (
        Visit.objects.filter(status=Visit.Status.HELD, offers__citizen_id__in=list(citizen_ids))
        .exclude(consultant=None)
        .order_by("start")
        .values_list("offers__citizen_id", "consultant_id")
    )
    for citizen_id, consultant_id in held:
        out[citizen_id] = consultant_id
    return out


def visit_minutes(offers: Sequence[Offer], standard: QualityStandard) -> int:
    """Length of one visit for these offers: the standard's couple length when two share it."""
    single = max((o.duration_min or standard.visit.duration_min) for o in offers)
    if len(offers) > 1 and standard.visit.couple_duration_min:
        return standard.visit.couple_duration_min
    return single


def planning_needs(first: dt.date, last: dt.date, standard: QualityStandard) -> Needs:
    since = aware(dt.datetime.combine(first, dt.time()))
    until = aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    out = Needs()
    visits = list(
        Visit.objects.open()
        .filter(start__gte=since, start__lt=until)
        .prefetch_related("offers__citizen__dwelling")
        .order_by("start")
    )
    promised = set(
        Visit.objects.filter(pk__in=[v.pk for v in visits], letters__isnull=False)
        .exclude(letters__status="cancelled")
        .values_list("pk", flat=True)
    )
    waiting = list(
        Offer.objects.filter(
            status=Offer.Status.ACTIVE,
            decision=Offer.Decision.OFFER,
            letter=Offer.Letter.WITH_TIME,
            due_from__lte=last,
            due_to__gte=first,
        )
        .exclude(reply__in=(Offer.Reply.NO, Offer.Reply.NEVER_AGAIN))
        .exclude(visits__status__in=BUSY)
        .select_related("citizen__dwelling")
        .order_by("citizen__dwelling_id", "pk")
    )
    citizen_ids = {o.citizen_id for o in waiting} | {o.citizen_id for v in visits for o in v.offers.all()}
    previous = _previous_consultants(citizen_ids)

    for visit in visits:
        offers = list(visit.offers.all())
        if not offers:
            continue
        point = _point(offers[0])
        if point is None:
            out.missing_place.extend(offers)
            continue
        key = f"visit:{visit.pk}"
        start, end = local(visit.start), local(visit.end)
        due_from, due_to = _window(offers)
        is_promised = visit.fixed or visit.pk in promised
        out.needs.append(
            VisitNeed(
                key=key,
                point=point,
                duration_min=max(1, int((end - start).total_seconds() // 60)),
                due_from=min(due_from, start.date()),
                due_to=max(due_to, start.date()),
                promise=Promise(visit.consultant_id or -1, start) if is_promised else None,
                previous_consultant=visit.consultant_id or previous.get(offers[0].citizen_id),
            )
        )
        out.visits[key] = visit

    for group in _households(waiting):
        point = _point(group[0])
        if point is None:
            out.missing_place.extend(group)
            continue
        key = "offers:" + "+".join(str(o.pk) for o in group)
        due_from, due_to = _window(group)
        out.needs.append(
            VisitNeed(
                key=key,
                point=point,
                duration_min=visit_minutes(group, standard),
                due_from=due_from,
                due_to=due_to,
                previous_consultant=previous.get(group[0].citizen_id),
            )
        )
        out.offers[key] = group
    return out


def _households(offers: Sequence[Offer]) -> list[list[Offer]]:
    """Offers grouped so that spouses at one address who both wait share one visit."""
    by_cpr = {o.citizen.cpr: o for o in offers}
    groups: list[list[Offer]] = []
    taken: set[int] = set()
    for offer in offers:
        if offer.pk in taken:
            continue
        group = [offer]
        partner = by_cpr.get(offer.couple_cpr) if offer.couple_cpr else None
        if (
            partner is not None
            and partner.pk not in taken
            and partner.pk != offer.pk
            and partner.citizen.dwelling_id == offer.citizen.dwelling_id
        ):
            group.append(partner)
        taken.update(o.pk for o in group)
        groups.append(group)
    return groups


def plan_request(first: dt.date, last: dt.date, standard: QualityStandard) -> tuple[PlanRequest, Needs]:
    needs = planning_needs(first, last, standard)
    request = PlanRequest(
        first=first,
        last=last,
        consultants=core_consultants(first, last),
        needs=needs.needs,
        closing_days=closing_days(first, last),
        visiting_hours=visiting_hours(standard),
    )
    return request, needs


def run_plan(
    first: dt.date,
    weeks: int,
    *,
    user: User | None = None,
    seconds: float | None = None,
    seed: int = 0,
    dry_run: bool = False,
) -> tuple[PlanRun, Plan]:
    """Plan ``weeks`` weeks from ``first`` and (unless ``dry_run``) write the visits; returns the record."""
    if not 1 <= weeks <= 26:
        raise ValueError(f"weeks must be 1..26 (got {weeks})")
    last = first + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    standard = current_standard()
    request, needs = plan_request(first, last, standard)
    search_s = settings.FHB_PLAN_SECONDS if seconds is None else seconds
    plan = plan_visits(request, travel_times(), seconds=search_s, seed=seed)
    run = PlanRun(first=first, last=last, seconds=search_s, user=user)
    from fhb.planning.booking import BookingError, one_consultant_time  # booking builds on this module

    try:
        with one_consultant_time():
            changes = {"created": 0, "moved": 0, "removed": 0} if dry_run else apply_plan(plan, needs)
            run.summary = summarise(plan, needs, changes, dry_run=dry_run)
            if not dry_run:
                run.save()
    except BookingError as error:
        # A colleague booked a time while the planner searched: nothing of the plan is stored.
        raise BookingError(
            _("Planen blev ikke gemt: en kollega bookede et besøg, mens planen blev lagt. Læg planen igen.")
        ) from error
    return run, plan


def apply_plan(plan: Plan, needs: Needs) -> dict[str, int]:
    """Write the plan: move drafts, create visits for waiting offers, remove drafts that found no place."""
    created = moved = removed = 0
    for placed in plan.visits:
        start, end = aware(placed.start), aware(placed.end)
        if placed.key in needs.visits:
            visit = needs.visits[placed.key]
            if placed.promised:
                continue
            if (visit.start, visit.end, visit.consultant_id) != (start, end, placed.consultant):
                visit.start, visit.end, visit.consultant_id = start, end, placed.consultant
                visit._change_reason = "Planlagt af planlæggeren"  # type: ignore[attr-defined]
                visit.save(update_fields=["start", "end", "consultant"])
                moved += 1
        else:
            visit = Visit.objects.create(start=start, end=end, consultant_id=placed.consultant)
            visit.offers.set(needs.offers[placed.key])
            created += 1
    for not_placed in plan.not_placed:
        draft = needs.visits.get(not_placed.key)
        if draft is None or draft.fixed or draft.letters.exists():
            continue
        draft.delete()
        removed += 1
    return {"created": created, "moved": moved, "removed": removed}


def _citizens(key: str, needs: Needs) -> list[dict[str, str]]:
    offers = needs.offers.get(key) or (list(needs.visits[key].offers.all()) if key in needs.visits else [])
    return [{"cpr": o.citizen.cpr, "name": o.citizen.name} for o in offers]


def summarise(plan: Plan, needs: Needs, changes: dict[str, int], *, dry_run: bool) -> dict[str, object]:
    visits = plan.visits
    return {
        "visits": len(visits),
        "promised": sum(1 for v in visits if v.promised),
        "days": len(plan.days),
        "driving_min": round(plan.driving_s / 60),
        "driving_min_per_visit": round(plan.driving_s / 60 / len(visits), 1) if visits else 0,
        "driving_share": round(plan.driving_s / plan.working_s, 3) if plan.working_s else 0,
        "dry_run": dry_run,
        **changes,
        "waiting": sum(1 for n in plan.not_placed if not n.is_warning),
        "not_placed": [
            {
                "key": n.key,
                "citizens": _citizens(n.key, needs),
                "reason": str(n.reason),
                "text": n.text,
                "warning": n.is_warning,
            }
            for n in plan.not_placed
            if n.is_warning
        ],
        "missing_place": [{"cpr": o.citizen.cpr, "name": o.citizen.name} for o in needs.missing_place],
    }


def latest_run() -> PlanRun | None:
    return PlanRun.objects.first()
