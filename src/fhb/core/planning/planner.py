"""Place visits on consultants' shifts with short routes: the model handed to PyVRP, and its reading back.

The horizon is one timeline in seconds from midnight of its first day. Each shift (a consultant's day, or
a piece of it around a meeting) is a vehicle that leaves the consultant's start place no earlier than the
shift's start and is back by its end; its capacity is the day's ``max_visits`` and its longest route the
shift less the lunch break. Each visit is a stop whose window runs from midnight of its first due day to
the end of its last; the shift decides the hours. The cost is driving time in seconds.

- Promised visits are stops with a window of one second at the promised time, on the promising
  consultant's profile only (any other consultant pays a prohibitive extra cost), and with a prize no
  detour can outweigh: they never move. One the solver cannot keep is reported, never moved.
- Continuity: a citizen's previous consultant drives to her at the plain cost; the others pay
  :data:`CONTINUITY_S` extra.
- Urgency: every visit is optional with a prize. One whose window closes inside the horizon is worth twice
  what one that could wait is, and of those the sooner due the more; all are worth more than any detour,
  so everything that fits is placed, the most urgent first.
- Notice: a visit whose citizen is still to be told its time by letter is placed no sooner than its
  ``notice_from``; one whose window ends before that is not placed (the letter could not reach the citizen
  in time).
- Spreading the load: first each shift may take only a fair share (all visits over all shifts, plus one);
  only if that leaves urgent visits out is the plan solved again with each day's full ``max_visits``.

After solving, each route is timed: visits start on the next five minutes, and the lunch break goes where
the day ends soonest (no idle hour waiting for a late lunch), then nearest the preferred time, within an
hour of it, without breaking a promise or the end of the shift.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from fhb.core.planning.calendar import ClosedDay, Shift, VisitingHours, closed_days, consultant_shifts
from fhb.core.planning.model import (
    Consultant,
    DayPlan,
    NotPlaced,
    Plan,
    PlannedVisit,
    Reason,
    VisitNeed,
)
from fhb.core.planning.routing import RoutingProblem, Stop, Vehicle, solve_routing
from fhb.core.planning.texts import reason_text
from fhb.core.planning.travel import Point, TravelTimes

CONTINUITY_S = 15 * 60
"""Extra cost (seconds of driving) for a consultant who is not the citizen's previous one."""
# Prizes and penalties stay below PyVRP's largest infeasibility penalty (100,000 per unit), or the search
# would rather break a capacity or a window than leave a visit out. A day's driving is some 10,000 s.
FOREIGN_PROMISE = 60_000
PROMISE_PRIZE = 90_000
URGENT_PRIZE = 40_000
WAITING_PRIZE = 20_000
ROUND_S = 5 * 60
"""Visits start on whole five minutes (on whole minutes when five would not fit the day)."""
LUNCH_SLACK = dt.timedelta(hours=1)
"""The lunch break starts at most this long before or after the preferred time."""


@dataclass(frozen=True, slots=True)
class PlanRequest:
    first: dt.date
    last: dt.date
    consultants: Sequence[Consultant]
    needs: Sequence[VisitNeed]
    closing_days: Sequence[ClosedDay] = ()
    visiting_hours: VisitingHours | None = None


@dataclass(frozen=True, slots=True)
class _Timeline:
    origin: dt.datetime

    def t(self, when: dt.datetime) -> int:
        return int((when - self.origin).total_seconds())

    def at(self, t: int) -> dt.datetime:
        return self.origin + dt.timedelta(seconds=t)


def plan_visits(request: PlanRequest, travel: TravelTimes, *, seconds: float, seed: int = 0) -> Plan:
    """Place ``request.needs`` on the consultants' shifts from ``first`` to ``last`` (inclusive)."""
    if request.last < request.first:
        raise ValueError(f"the horizon ends ({request.last}) before it begins ({request.first})")
    shifts = request_shifts(request)
    timeline = _Timeline(dt.datetime.combine(request.first, dt.time()))
    not_placed: list[NotPlaced] = []
    needs: list[VisitNeed] = []
    for need in map(_after_notice, request.needs):
        reason = _unplaceable(need, shifts, request)
        if reason is None:
            needs.append(need)
        else:
            not_placed.append(
                NotPlaced(need.key, reason, reason_text(reason, need, request.first, request.last))
            )
    if not shifts:
        return Plan(request.first, request.last, (), tuple(not_placed))

    consultant_index = {c.id: i for i, c in enumerate(request.consultants)}
    points = [c.base for c in request.consultants] + [n.point for n in needs]
    matrices = travel.matrix(points)
    # Whole minutes: with shifts, promises and visit lengths on whole minutes too, the timing below meets
    # the solver's times exactly when visits may start on any minute.
    driving = -(-matrices.duration_s.astype(np.int64) // 60) * 60
    extra = _profiles(needs, consultant_index, len(points))

    fair = math.ceil(len(needs) / len(shifts)) + 1
    problem = _problem(request, needs, shifts, consultant_index, driving, extra, timeline, cap=fair)
    solution = solve_routing(problem, seconds=seconds, seed=seed)
    if any(needs[i].promise is None and needs[i].due_to <= request.last for i in solution.unvisited) and any(
        s.max_visits > fair for s in shifts
    ):
        problem = _problem(request, needs, shifts, consultant_index, driving, extra, timeline, cap=None)
        solution = solve_routing(problem, seconds=seconds, seed=seed)

    routes: dict[int, list[int]] = {}
    left_out = set(solution.unvisited)
    for route in solution.routes:
        shift = shifts[route.vehicle]
        stops = [v.stop for v in route.visits]
        strays = [
            i
            for i in stops
            if (p := needs[i].promise) is not None
            and (
                p.consultant != shift.consultant or timeline.t(p.start) != route.visits[stops.index(i)].start
            )
        ]
        stops = [i for i in stops if i not in strays]
        left_out.update(strays)
        _, dropped = _time_route(shift, stops, needs, driving, consultant_index[shift.consultant], timeline)
        left_out.update(dropped)
        routes[route.vehicle] = [i for i in stops if i not in dropped]
    left_out -= _repair(sorted(left_out), routes, shifts, needs, driving, consultant_index, timeline)
    days: list[DayPlan] = []
    for vehicle, stops in routes.items():
        shift = shifts[vehicle]
        day, _ = _time_route(shift, stops, needs, driving, consultant_index[shift.consultant], timeline)
        if day.visits:
            days.append(day)
    for i in sorted(left_out):
        need = needs[i]
        reason = _left_out_reason(need, request)
        not_placed.append(NotPlaced(need.key, reason, reason_text(reason, need, request.first, request.last)))
    days.sort(key=lambda d: (d.leave, d.consultant))
    return Plan(request.first, request.last, tuple(days), tuple(not_placed))


def request_shifts(request: PlanRequest) -> list[Shift]:
    """Every consultant's shifts in the horizon (holidays, closing days, absences, visiting hours)."""
    closed = closed_days(request.first, request.last, request.closing_days)
    return [
        shift
        for c in request.consultants
        for shift in consultant_shifts(
            c.id,
            c.pattern,
            request.first,
            request.last,
            closed=closed,
            absences=c.absences,
            visiting_hours=request.visiting_hours,
        )
    ]


def _repair(
    left_out: list[int],
    routes: dict[int, list[int]],
    shifts: Sequence[Shift],
    needs: Sequence[VisitNeed],
    driving: np.ndarray,
    consultant_index: dict[int, int],
    timeline: _Timeline,
) -> set[int]:
    """Put visits the solver or the timing left out where they add the least driving and still fit (the
    lunch break is what the solver does not see). Returns the visits placed; updates ``routes``."""
    placed: set[int] = set()
    base = driving.shape[0] - len(needs)
    for i in left_out:
        need = needs[i]
        if need.promise is not None:
            continue
        best: tuple[int, int, list[int]] | None = None
        for vehicle, shift in enumerate(shifts):
            if not need.due_from <= shift.day <= need.due_to:
                continue
            stops = routes.get(vehicle, [])
            if len(stops) >= shift.max_visits:
                continue
            home = consultant_index[shift.consultant]
            path = [home, *(base + j for j in stops), home]
            for k in range(len(stops) + 1):
                extra = extra_driving_s(driving, path[k], base + i, path[k + 1])
                if best is not None and extra >= best[0]:
                    continue
                candidate = [*stops[:k], i, *stops[k:]]
                for step in (ROUND_S, 60):
                    if _best_timing(shift, candidate, needs, driving, home, timeline, step=step) is not None:
                        best = (extra, vehicle, candidate)
                        break
        if best is not None:
            routes[best[1]] = best[2]
            placed.add(i)
    return placed


def _after_notice(need: VisitNeed) -> VisitNeed:
    """``need`` with its window starting no sooner than its ``notice_from`` (a promise keeps its time; a
    window that ends before ``notice_from`` is left for :func:`_unplaceable` to report)."""
    if (
        need.promise is None
        and need.notice_from is not None
        and need.due_from < need.notice_from <= need.due_to
    ):
        return replace(need, due_from=need.notice_from)
    return need


def _unplaceable(need: VisitNeed, shifts: Sequence[Shift], request: PlanRequest) -> Reason | None:
    """Why a visit cannot go into the model at all, or None."""
    if need.promise is None and need.notice_from is not None and need.notice_from > need.due_to:
        return Reason.NO_NOTICE
    if need.promise is not None:
        promise = need.promise
        end = promise.start + dt.timedelta(minutes=need.duration_min)
        if not any(
            s.consultant == promise.consultant and s.start <= promise.start and end <= s.end for s in shifts
        ):
            return Reason.PROMISE_OFF_SHIFT
        return None
    first, last = max(need.due_from, request.first), min(need.due_to, request.last)
    if first > last:
        return Reason.LATER
    if not any(
        first <= s.day <= last and s.end - s.start >= dt.timedelta(minutes=need.duration_min) for s in shifts
    ):
        return Reason.LATER if need.due_to > request.last else Reason.NO_CONSULTANT
    return None


def _left_out_reason(need: VisitNeed, request: PlanRequest) -> Reason:
    if need.promise is not None:
        return Reason.PROMISE_CLASH
    return Reason.LATER if need.due_to > request.last else Reason.NO_CAPACITY


def _profiles(needs: Sequence[VisitNeed], consultant_index: dict[int, int], size: int) -> list[np.ndarray]:
    """Per consultant, the extra cost of driving to each visit that belongs to another consultant."""
    base = len(consultant_index)
    owners: list[tuple[int, int, VisitNeed]] = []
    for i, need in enumerate(needs):
        owner_id = need.promise.consultant if need.promise else need.previous_consultant
        if owner_id is not None and owner_id in consultant_index:
            owners.append((base + i, consultant_index[owner_id], need))
    if not owners:
        return []
    extra = []
    for c in range(len(consultant_index)):
        matrix = np.zeros((size, size), dtype=np.int64)
        for location, owner, need in owners:
            if owner != c:
                matrix[:, location] = FOREIGN_PROMISE if need.promise else CONTINUITY_S
        np.fill_diagonal(matrix, 0)
        extra.append(matrix)
    return extra


def _problem(
    request: PlanRequest,
    needs: Sequence[VisitNeed],
    shifts: Sequence[Shift],
    consultant_index: dict[int, int],
    driving: np.ndarray,
    extra: list[np.ndarray],
    timeline: _Timeline,
    *,
    cap: int | None,
) -> RoutingProblem:
    base = len(consultant_index)
    stops = []
    for i, need in enumerate(needs):
        service = need.duration_min * 60
        if need.promise is not None:
            t = timeline.t(need.promise.start)
            stops.append(
                Stop(base + i, service=service, tw_early=t, tw_late=t, demand=1, prize=PROMISE_PRIZE)
            )
            continue
        first, last = max(need.due_from, request.first), min(need.due_to, request.last)
        days_after = (need.due_to - request.last).days
        stops.append(
            Stop(
                base + i,
                service=service,
                tw_early=timeline.t(dt.datetime.combine(first, dt.time())),
                tw_late=timeline.t(dt.datetime.combine(last, dt.time(23, 59))),
                demand=1,
                prize=_prize(days_after),
            )
        )
    vehicles = []
    for shift in shifts:
        c = consultant_index[shift.consultant]
        length = timeline.t(shift.end) - timeline.t(shift.start)
        vehicles.append(
            Vehicle(
                start=c,
                end=c,
                tw_early=timeline.t(shift.start),
                tw_late=timeline.t(shift.end),
                capacity=shift.max_visits if cap is None else min(cap, shift.max_visits),
                max_duration=length - shift.lunch_min * 60,
                profile=c + 1 if extra else 0,
            )
        )
    return RoutingProblem(cost=driving, duration=driving, stops=stops, vehicles=vehicles, extra_cost=extra)


def _prize(days_after: int) -> int:
    """A visit due inside the horizon is urgent; after it, the sooner its window closes, the more it is
    worth (down to :data:`WAITING_PRIZE` a year or more ahead)."""
    if days_after <= 0:
        return URGENT_PRIZE
    share = min(days_after, 365) / 365
    return int(URGENT_PRIZE / 2 - (URGENT_PRIZE / 2 - WAITING_PRIZE) * share)


def _round_up(t: int, step: int) -> int:
    return -(-t // step) * step


def _time_route(
    shift: Shift,
    stops: list[int],
    needs: Sequence[VisitNeed],
    driving: np.ndarray,
    home: int,
    timeline: _Timeline,
) -> tuple[DayPlan, list[int]]:
    """Times for a route, with the lunch break; drops visits (never promised ones) until it fits."""
    dropped: list[int] = []
    stops = list(stops)
    while len(stops) > shift.max_visits and any(needs[i].promise is None for i in stops):
        movable = [i for i in stops if needs[i].promise is None]
        stops.remove(movable[-1])
        dropped.append(movable[-1])
    while True:
        for step in (ROUND_S, 60):
            timed = _best_timing(shift, stops, needs, driving, home, timeline, step=step)
            if timed is not None:
                return timed, dropped
        movable = [i for i in stops if needs[i].promise is None]
        if not movable:  # only promises left: keep them as they are, without lunch
            timed = _timing(shift, stops, needs, driving, home, timeline, lunch_after=None, step=60)
            assert timed is not None
            return timed, dropped
        stops.remove(movable[-1])
        dropped.append(movable[-1])


def _best_timing(
    shift: Shift,
    stops: list[int],
    needs: Sequence[VisitNeed],
    driving: np.ndarray,
    home: int,
    timeline: _Timeline,
    *,
    step: int,
) -> DayPlan | None:
    if shift.lunch_at is None or not stops:
        return _timing(shift, stops, needs, driving, home, timeline, lunch_after=None, step=step)
    best: tuple[tuple[dt.datetime, float], DayPlan] | None = None
    for k in range(len(stops) + 1):
        for early in (False, True):
            timed = _timing(
                shift, stops, needs, driving, home, timeline, lunch_after=k, early_lunch=early, step=step
            )
            if timed is None or timed.lunch is None:
                continue
            # The shortest day first (no idle hour before a late lunch), then lunch nearest its time.
            rank = (timed.back, abs((timed.lunch[0] - shift.lunch_at).total_seconds()))
            if best is None or rank < best[0]:
                best = (rank, timed)
    return None if best is None else best[1]


def _timing(
    shift: Shift,
    stops: list[int],
    needs: Sequence[VisitNeed],
    driving: np.ndarray,
    home: int,
    timeline: _Timeline,
    *,
    lunch_after: int | None,
    early_lunch: bool = False,
    step: int = ROUND_S,
) -> DayPlan | None:
    """Earliest times for the route in this order, lunch after ``lunch_after`` visits (at the preferred
    time, or with ``early_lunch`` as soon as its window opens); None if it breaks a promise, a window, the
    lunch window or the end of the shift. Visits start on whole ``step`` seconds."""
    base = driving.shape[0] - len(needs)
    end_t = timeline.t(shift.end)
    now = timeline.t(shift.start)
    where = home
    lunch: tuple[dt.datetime, dt.datetime] | None = None
    visits: list[PlannedVisit] = []
    total = 0
    leave: int | None = None
    for k, i in enumerate([*stops, None]):
        if lunch_after == k and shift.lunch_at is not None:
            pref = timeline.t(shift.lunch_at)
            lunch_start = max(now, pref - int(LUNCH_SLACK.total_seconds()) if early_lunch else pref)
            if lunch_start > pref + LUNCH_SLACK.total_seconds():
                return None
            now = lunch_start + shift.lunch_min * 60
            lunch = (timeline.at(lunch_start), timeline.at(now))
        if i is None:
            break
        need = needs[i]
        loc = base + i
        travel = int(driving[where, loc])
        arrive = now + travel
        if need.promise is not None:
            start = timeline.t(need.promise.start)
            if arrive > start:
                return None
        else:
            window_start = timeline.t(dt.datetime.combine(need.due_from, dt.time()))
            start = _round_up(max(arrive, window_start), step)
            if start > timeline.t(dt.datetime.combine(need.due_to, dt.time(23, 59))):
                return None
        if leave is None:
            leave = start - travel
        end = start + need.duration_min * 60
        visits.append(
            PlannedVisit(
                key=need.key,
                consultant=shift.consultant,
                start=timeline.at(start),
                end=timeline.at(end),
                promised=need.promise is not None,
                travel_s=travel,
            )
        )
        total += travel
        now, where = end, loc
    back_travel = int(driving[where, home]) if visits else 0
    back = now + back_travel
    if back > end_t:
        return None
    leave_t = timeline.t(shift.start) if leave is None else max(leave, timeline.t(shift.start))
    return DayPlan(
        consultant=shift.consultant,
        day=shift.day,
        leave=timeline.at(leave_t),
        back=timeline.at(back),
        visits=tuple(visits),
        lunch=lunch if visits else None,
        driving_s=total + back_travel,
    )


def extra_driving_s(driving: np.ndarray, before: int, new: int, after: int) -> int:
    """Seconds of driving added by going ``before`` -> ``new`` -> ``after`` instead of straight on."""
    return int(driving[before, new] + driving[new, after] - driving[before, after])


__all__ = ["PlanRequest", "Point", "extra_driving_s", "plan_visits"]
