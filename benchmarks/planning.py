"""Benchmark: the planner on a synthetic Herning-sized horizon, beside a greedy baseline.

Targets (issue "Planning"): 4 weeks, 400 visits with windows, 5 consultants, travel from the synthetic
geography: solved in at most 30 s; every visit that fits is placed; total driving at most 0.7 times the
greedy baseline's on the same instance. Also printed: driving minutes per visit and the share of working
time spent driving.

The instance (seeded, the same every run):

- 400 dwellings drawn by the synthetic generator's placer for Herning (towns and rural scatter inside the
  municipality's outline); visits of 60 minutes, a tenth of them couples' visits of 90 minutes;
- windows: 55 % open over the whole horizon, the rest one to three weeks from a random day in it;
- 5 consultants working Monday to Friday 8.00-15.30 with a 30-minute lunch about 12.00, at most 5 visits a
  day, all starting from the health centre in Herning town; one consultant on holiday the second week,
  another at a meeting Wednesday morning; horizon 1-28 March 2027 (no public holiday falls in it);
- 10 visits promised already (fixed times on their consultant).

Capacity (about 95 consultant-days of at most 5 visits) exceeds the demand, and the generated windows
all hold working days, so "every visit that fits" is every visit: the target is that none is left out.

The greedy baseline fills days in postcode order: visits sorted by postcode (then street position), each
consultant-day in date order takes the next visits whose windows allow that day, each appended at the end
of the route while the day (driving, lunch, the end of the shift) still fits. Promised visits are kept on
their consultant-day first. It is timed and checked by the same independent checker.

Usage: ``python benchmarks/planning.py [--seconds 25] [--seed 1]``. Exit 0 when every target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

from fhb.core.planning.calendar import Absence, WorkingPattern, closed_days, consultant_shifts
from fhb.core.planning.check import plan_violations
from fhb.core.planning.model import Consultant, DayPlan, Plan, Promise, VisitNeed
from fhb.core.planning.planner import PlanRequest, _time_route, _Timeline, plan_visits
from fhb.core.planning.travel import Point, TravelModel
from fhb.demo.synth.figures import MUNICIPALITIES
from fhb.demo.synth.geography import DwellingPlacer

FIRST = dt.date(2027, 3, 1)
WEEKS = 4
VISITS = 400
CONSULTANTS = 5
TARGET_S = 30.0
TARGET_RATIO = 0.7


def instance(seed: int) -> tuple[PlanRequest, dict[str, str]]:
    """The request, and each visit's postcode (for the greedy baseline)."""
    rng = random.Random(seed)
    herning = MUNICIPALITIES["herning"]
    placer = DwellingPlacer(herning, rng)
    last = FIRST + dt.timedelta(weeks=WEEKS) - dt.timedelta(days=1)
    main = max(placer.centres, key=lambda c: herning.town_weights.get(c.postcode, 0.5))
    base = Point(main.lat, main.lon)
    pattern = WorkingPattern(
        weekdays=frozenset(range(5)), start=dt.time(8), end=dt.time(15, 30), lunch_min=30, max_visits=5
    )
    consultants = []
    for cid in range(1, CONSULTANTS + 1):
        absences: tuple[Absence, ...] = ()
        if cid == 2:
            absences = (Absence(dt.datetime(2027, 3, 8), dt.datetime(2027, 3, 13), "Ferie"),)
        if cid == 3:
            absences = (Absence(dt.datetime(2027, 3, 3, 8), dt.datetime(2027, 3, 3, 10), "Møde"),)
        consultants.append(Consultant(cid, f"Konsulent {cid}", base, pattern, absences))
    needs: list[VisitNeed] = []
    postcodes: dict[str, str] = {}
    promised_days = [FIRST + dt.timedelta(days=d) for d in (0, 1, 2, 3, 4, 14, 15, 16, 17, 18)]
    for i in range(VISITS):
        spot = placer.place()
        duration = 90 if rng.random() < 0.1 else 60
        if rng.random() < 0.55:
            due_from, due_to = FIRST, last
        else:
            due_from = FIRST + dt.timedelta(days=rng.randrange(0, 21))
            due_to = min(last, due_from + dt.timedelta(days=rng.randrange(7, 22)))
        promise = None
        if i < len(promised_days):
            day = promised_days[i]
            consultant = 1 + i % CONSULTANTS
            if consultant == 2 and dt.date(2027, 3, 8) <= day <= dt.date(2027, 3, 12):
                consultant = 1
            promise = Promise(consultant, dt.datetime.combine(day, dt.time(13, 0)))
            due_from, due_to = day, day
        key = f"v{i:03d}"
        needs.append(VisitNeed(key, Point(spot.lat, spot.lon), duration, due_from, due_to, promise=promise))
        postcodes[key] = spot.postcode
    return PlanRequest(FIRST, last, consultants, needs), postcodes


def greedy(request: PlanRequest, postcodes: dict[str, str], travel: TravelModel, *, sweep: bool) -> Plan:
    """Fill consultant-days in date order with visits in postcode order (the baseline); with ``sweep``,
    visits of one postcode go south to north instead of in list order (a stronger, informal variant)."""
    closed = closed_days(request.first, request.last, request.closing_days)
    shifts = sorted(
        (
            s
            for c in request.consultants
            for s in consultant_shifts(
                c.id, c.pattern, request.first, request.last, closed=closed, absences=c.absences
            )
        ),
        key=lambda s: (s.start, s.consultant),
    )
    ids = {c.id: i for i, c in enumerate(request.consultants)}
    needs = list(request.needs)
    points = [c.base for c in request.consultants] + [n.point for n in needs]
    driving = travel.matrix(points).duration_s
    timeline = _Timeline(dt.datetime.combine(request.first, dt.time()))
    order = sorted(
        (i for i, n in enumerate(needs) if n.promise is None),
        key=lambda i: (postcodes[needs[i].key], needs[i].point.lat if sweep else 0.0, i),
    )
    left = list(order)
    days: list[DayPlan] = []
    placed: set[int] = set()
    for shift in shifts:
        route = [
            i
            for i, n in enumerate(needs)
            if n.promise is not None
            and n.promise.consultant == shift.consultant
            and shift.start <= n.promise.start < shift.end
        ]
        timed, _ = _time_route(shift, route, needs, driving, ids[shift.consultant], timeline)
        for i in list(left):
            if len(route) >= shift.max_visits:
                break
            if not needs[i].due_from <= shift.day <= needs[i].due_to:
                continue
            # The new visit goes last among the unpromised ones (postcode order); a promised visit keeps
            # its time, so it goes wherever in that order the day still fits.
            movable = [j for j in route if needs[j].promise is None] + [i]
            fixed = [j for j in route if needs[j].promise is not None]
            attempt = None
            for cut in range(len(movable), -1, -1):
                candidate = movable[:cut] + fixed + movable[cut:]
                timed_try, dropped = _time_route(
                    shift, candidate, needs, driving, ids[shift.consultant], timeline
                )
                if not dropped:
                    attempt = timed_try
                    break
                if not fixed:
                    break
            if attempt is None:
                continue
            route, timed = candidate, attempt
            left.remove(i)
        if timed.visits:
            days.append(timed)
            placed.update(route)
    return Plan(request.first, request.last, tuple(days), ())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=25.0, help="planner search time per solve")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    travel = TravelModel()
    request, postcodes = instance(args.seed)
    print(
        f"instance: {len(request.needs)} visits, {len(request.consultants)} consultants, "
        f"{request.first}..{request.last}, seed {args.seed}"
    )

    started = time.perf_counter()
    plan = plan_visits(request, travel, seconds=args.seconds, seed=args.seed)
    solve_s = time.perf_counter() - started
    problems = plan_violations(plan, request, travel)

    started = time.perf_counter()
    baseline = greedy(request, postcodes, travel, sweep=False)
    greedy_s = time.perf_counter() - started
    baseline_problems = [p for p in plan_violations(baseline, request, travel) if "neither" not in p]
    started = time.perf_counter()
    swept = greedy(request, postcodes, travel, sweep=True)
    swept_s = time.perf_counter() - started
    baseline_problems += [p for p in plan_violations(swept, request, travel) if "neither" not in p]

    placed, wanted = len(plan.visits), len(request.needs)
    ratio = plan.driving_s / baseline.driving_s
    runs = (
        ("planner (PyVRP)", plan, solve_s),
        ("greedy baseline", baseline, greedy_s),
        ("greedy + sweep", swept, swept_s),
    )
    for name, p, secs in runs:
        n = len(p.visits)
        print(
            f"{name:<16} {secs:6.1f} s  placed {n:3d}/{wanted}  driving {p.driving_s / 60:7.0f} min  "
            f"{p.driving_s / 60 / n:5.1f} min/visit  "
            f"driving share of working time {p.driving_s / p.working_s:.1%}"
        )
    print(f"not placed by the planner: {[(n.key, n.reason.value) for n in plan.not_placed]}")
    print(f"rule violations: planner {len(problems)}, baselines {len(baseline_problems)}")
    print(f"driving against the informal sweep variant: {plan.driving_s / swept.driving_s:.2f}x")
    for problem in problems[:10]:
        print(f"  {problem}")
    ok = solve_s <= TARGET_S and placed == wanted and not problems and ratio <= TARGET_RATIO
    print(
        f"planning: {solve_s:.1f} s, {placed}/{wanted} placed, driving {ratio:.2f}x greedy "
        f"(target ≤ {TARGET_S:.0f} s, all placed, ≤ {TARGET_RATIO}x) {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
