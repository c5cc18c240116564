"""The planner's shell: read calendars, visits and offers from the database, write the plan back.

:func:`fhb.planning.actions.run_plan` runs the core's planner between the two.

What goes in for a horizon ``first``..``last``:

- every planned visit starting in the horizon. A *promised* one (set or moved by hand, or told the
  citizen in a letter) is fixed where it is; any other may move, or give way;
- every open offer whose letter carries a time, whose window overlaps the horizon and which has no visit
  yet. One citizen's offers whose windows overlap get one visit, in the overlap of their windows (a citizen
  in two target groups gets one visit and one letter, not two); spouses at one address who both need a
  time get one visit (the standard's couple length). An offer whose window overlaps a draft visit of the
  same citizen (planned, no letter sent) joins that visit; one beside a promised visit of hers is planned on
  its own, and the run's report names it (the letter already sent speaks only of the visit's own offers).

A visit the citizen is still to be told of by letter (a new one, or a draft) goes no sooner than ``today``
+ the standard's ``letter_notice_days`` (:attr:`~fhb.core.planning.model.VisitNeed.notice_from`): the
planner reports one whose window ends before that instead of placing it.

What comes out: moved and new visits, and a :class:`PlanRun` naming what could not be placed and why. A
visit that was only a draft (not promised) and finds no place is removed again: no citizen knew of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fhb.core.planning.model import Plan, Promise, VisitNeed
from fhb.core.planning.planner import PlanRequest
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.local_time import aware, day_bounds, naive_local
from fhb.offers.assessments import previous_consultants
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
    joined: dict[str, list[Offer]] = field(default_factory=dict)
    """Waiting offers that join a draft visit of the same citizen (by the visit's key), written to it when
    the plan is applied."""
    beside_promised: list[tuple[Offer, Visit]] = field(default_factory=list)
    """Waiting offers whose window overlaps a promised visit of the same citizen: planned on their own."""
    proposed_groups: frozenset[str] = frozenset()
    """The groups whose letter proposes the planner's time (``time = "proposed"``) rather than sets it."""

    def proposed(self, offers: Sequence[Offer]) -> bool:
        """A new visit for ``offers`` is a proposed time: each offer's group proposes its time."""
        return bool(offers) and all(o.group in self.proposed_groups for o in offers)


def _window(offers: Sequence[Offer]) -> tuple[dt.date, dt.date]:
    first, last = max(o.due_from for o in offers), min(o.due_to for o in offers)
    if first > last:  # the windows do not overlap: any of them will do
        first, last = min(o.due_from for o in offers), max(o.due_to for o in offers)
    return first, last


def _overlap(
    first: tuple[dt.date, dt.date], second: tuple[dt.date, dt.date]
) -> tuple[dt.date, dt.date] | None:
    """The days two windows share, or None."""
    start, end = max(first[0], second[0]), min(first[1], second[1])
    return (start, end) if start <= end else None


def _join_open_visits(
    waiting: Sequence[Offer], visits: Sequence[Visit], promised: set[int]
) -> tuple[dict[int, tuple[list[Offer], tuple[dt.date, dt.date]]], list[tuple[Offer, Visit]]]:
    """Waiting offers that overlap an open visit of the same citizen in the horizon.

    Returns the offers each draft visit takes (with the visit's window narrowed to what they all share) and
    the offers beside a promised visit (fixed, or told in a letter), which are left to be planned on their
    own. A draft is preferred to a promise; of several drafts, the earliest.
    """
    of_citizen: dict[int, list[Visit]] = {}
    for visit in visits:
        for citizen_id in {o.citizen_id for o in visit.offers.all()}:
            of_citizen.setdefault(citizen_id, []).append(visit)
    joined: dict[int, tuple[list[Offer], tuple[dt.date, dt.date]]] = {}
    beside: list[tuple[Offer, Visit]] = []
    for offer in waiting:
        window = (offer.due_from, offer.due_to)
        promise = None
        for visit in of_citizen.get(offer.citizen_id, ()):
            taken, visit_window = joined.get(visit.pk) or ([], _window(list(visit.offers.all())))
            shared = _overlap(visit_window, window)
            if shared is None:
                continue
            if visit.fixed or visit.pk in promised:
                promise = promise or visit
                continue
            joined[visit.pk] = ([*taken, offer], shared)
            break
        else:
            if promise is not None:
                beside.append((offer, promise))
    return joined, beside


def planning_needs(first: dt.date, last: dt.date, standard: QualityStandard, *, today: dt.date) -> Needs:
    since, until = day_bounds(first, last)
    notice_from = today + dt.timedelta(days=standard.deadlines.letter_notice_days)
    out = Needs(proposed_groups=frozenset(g.id for g in standard.groups if g.time == "proposed"))
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
    previous = previous_consultants(citizen_ids)
    joined, out.beside_promised = _join_open_visits(waiting, visits, promised)
    joining = {o.pk for offers, _shared in joined.values() for o in offers}
    waiting = [o for o in waiting if o.pk not in joining]

    for visit in visits:
        offers = list(visit.offers.all())
        if not offers:
            continue
        point = offers[0].citizen.dwelling.point
        if point is None:
            out.missing_place.extend([*offers, *joined.get(visit.pk, ([], None))[0]])
            continue
        key = f"visit:{visit.pk}"
        start, end = naive_local(visit.start), naive_local(visit.end)
        due_from, due_to = _window(offers)
        minutes = max(1, int((end - start).total_seconds() // 60))
        is_promised = visit.fixed or visit.pk in promised
        day = start.date()  # the window keeps the visit's own day, unless the visit must move
        if visit.pk in joined:  # a draft that takes waiting offers: it moves into the window they share
            extra, (due_from, due_to) = joined[visit.pk]
            minutes = visit_minutes([*offers, *extra], standard)
            day = min(max(day, due_from), due_to)
            out.joined[key] = extra
        out.needs.append(
            VisitNeed(
                key=key,
                point=point,
                duration_min=minutes,
                due_from=min(due_from, day),
                due_to=max(due_to, day),
                promise=Promise(visit.consultant_id or -1, start) if is_promised else None,
                previous_consultant=visit.consultant_id or previous.get(offers[0].citizen_id),
                notice_from=None if is_promised else notice_from,
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
                notice_from=notice_from,
            )
        )
        out.offers[key] = group
    return out


def _households(offers: Sequence[Offer]) -> list[list[Offer]]:
    """Offers grouped into visits: one citizen's offers whose windows overlap share one
    (:func:`_per_citizen`), and spouses at one address who both wait share one: her group with his group
    whose window overlaps hers, else with his first."""
    groups = _per_citizen(offers)
    of_cpr: dict[str, list[int]] = {}
    for n, (group, _shared) in enumerate(groups):
        of_cpr.setdefault(group[0].citizen.cpr, []).append(n)
    out: list[list[Offer]] = []
    taken: set[int] = set()
    for n, (group, window) in enumerate(groups):
        if n in taken:
            continue
        taken.add(n)
        me = group[0].citizen
        couple_cpr = next((o.couple_cpr for o in group if o.couple_cpr), "")
        spouse = [
            m
            for m in of_cpr.get(couple_cpr, ())
            if m not in taken
            and groups[m][0][0].citizen_id != me.pk
            and groups[m][0][0].citizen.dwelling_id == me.dwelling_id
        ]
        if spouse:
            m = next((m for m in spouse if _overlap(window, groups[m][1])), spouse[0])
            taken.add(m)
            group = [*group, *groups[m][0]]
        out.append(group)
    return out


def _per_citizen(offers: Sequence[Offer]) -> list[tuple[list[Offer], tuple[dt.date, dt.date]]]:
    """Each citizen's offers in groups whose windows share at least one day, with the days they share.

    Taken in order of their start, an offer joins the citizen's first group whose shared days it overlaps
    (narrowing them), else starts a group of its own. The groups come in the order of their first offer in
    ``offers``.
    """
    groups: list[tuple[list[Offer], tuple[dt.date, dt.date]]] = []
    of_citizen: dict[int, list[int]] = {}
    for offer in sorted(offers, key=lambda o: (o.due_from, o.due_to, o.pk)):
        window = (offer.due_from, offer.due_to)
        for n in of_citizen.get(offer.citizen_id, ()):
            shared = _overlap(groups[n][1], window)
            if shared is not None:
                groups[n] = ([*groups[n][0], offer], shared)
                break
        else:
            of_citizen.setdefault(offer.citizen_id, []).append(len(groups))
            groups.append(([offer], window))
    place = {o.pk: i for i, o in enumerate(offers)}
    return sorted(groups, key=lambda g: min(place[o.pk] for o in g[0]))


def plan_request(
    first: dt.date, last: dt.date, standard: QualityStandard, *, today: dt.date
) -> tuple[PlanRequest, Needs]:
    needs = planning_needs(first, last, standard, today=today)
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
            if placed.key in needs.joined:
                visit.offers.add(*needs.joined[placed.key])
            if (visit.start, visit.end, visit.consultant_id) != (start, end, placed.consultant):
                visit.start, visit.end, visit.consultant_id = start, end, placed.consultant
                save_with_reason(
                    visit, _("Planlagt af planlæggeren"), update_fields=["start", "end", "consultant"]
                )
                moved += 1
        else:
            offers = needs.offers[placed.key]
            visit = Visit.objects.create(
                start=start, end=end, consultant_id=placed.consultant, proposed=needs.proposed(offers)
            )
            visit.offers.set(offers)
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
        "joined": sum(len(offers) for offers in needs.joined.values()),
        "beside_promised": [
            {
                "cpr": o.citizen.cpr,
                "name": o.citizen.name,
                "visit": visit.pk,
                "start": naive_local(visit.start).isoformat(timespec="minutes"),
            }
            for o, visit in needs.beside_promised
        ],
    }
