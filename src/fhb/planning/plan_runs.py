"""The planner's shell: read calendars, visits and offers from the database, write the plan back.

:func:`fhb.planning.actions.run_plan` runs the core's planner between the two.

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

from django.utils.translation import gettext as _

from fhb.core.planning.model import Plan, Promise, VisitNeed
from fhb.core.planning.planner import PlanRequest
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.local_time import aware, day_bounds, naive_local
from fhb.offers.models import Offer
from fhb.planning.calendars import BUSY, closing_days, core_consultants, visit_minutes, visiting_hours
from fhb.visits.models import Visit


@dataclass
class Needs:
    """The planner's input and what each key stands for in the database."""

    needs: list[VisitNeed] = field(default_factory=list)
    visits: dict[str, Visit] = field(default_factory=dict)
    offers: dict[str, list[Offer]] = field(default_factory=dict)
    missing_place: list[Offer] = field(default_factory=list)
    """Offers (or visits' offers) whose dwelling has no coordinates: they cannot be routed."""


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


def planning_needs(first: dt.date, last: dt.date, standard: QualityStandard) -> Needs:
    since, until = day_bounds(first, last)
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
            # Missing from the latest extract: a leader decides first ("Ikke i seneste udtræk"); her
            # planned visits stay where they are, but no new one is placed.
            citizen__in_extract=True,
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
        point = offers[0].citizen.dwelling.point
        if point is None:
            out.missing_place.extend(offers)
            continue
        key = f"visit:{visit.pk}"
        start, end = naive_local(visit.start), naive_local(visit.end)
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
        point = group[0].citizen.dwelling.point
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
                save_with_reason(
                    visit, _("Planlagt af planlæggeren"), update_fields=["start", "end", "consultant"]
                )
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
