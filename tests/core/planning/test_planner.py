"""The planner places visits on shifts and keeps every hard rule; the independent checker confirms it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from fhb.core.planning.calendar import Absence, ClosedDay, VisitingHours, WorkingPattern
from fhb.core.planning.check import plan_violations
from fhb.core.planning.model import Consultant, Plan, Promise, Reason, VisitNeed
from fhb.core.planning.planner import PlanRequest, plan_visits
from fhb.core.planning.travel import Point, TravelModel

TRAVEL = TravelModel()
HJOERRING = Point(57.4643, 9.9822)
PATTERN = WorkingPattern(weekdays=frozenset(range(5)), start=dt.time(8), end=dt.time(15, 30), max_visits=4)
EASTER_WEEK = (dt.date(2027, 3, 22), dt.date(2027, 3, 28))  # Thursday 25 and Friday 26 are holidays


def consultants(n: int = 2, **kwargs: object) -> list[Consultant]:
    return [Consultant(i, f"K{i}", HJOERRING, PATTERN, **kwargs) for i in range(1, n + 1)]  # type: ignore[arg-type]


def needs(n: int, first: dt.date, last: dt.date, seed: int = 3, **kwargs: object) -> list[VisitNeed]:
    rng = random.Random(seed)
    return [
        VisitNeed(
            f"v{i}",
            Point(57.4643 + rng.uniform(-0.08, 0.08), 9.9822 + rng.uniform(-0.12, 0.12)),
            90 if i % 5 == 0 else 60,
            first,
            last,
            **kwargs,  # type: ignore[arg-type]
        )
        for i in range(n)
    ]


def solve(request: PlanRequest) -> Plan:
    plan = plan_visits(request, TRAVEL, seconds=1)
    problems = plan_violations(plan, request, TRAVEL)
    assert not problems, f"the plan breaks hard rules: {problems}"
    return plan


def test_a_week_with_holidays_is_planned_inside_every_rule() -> None:
    first, last = EASTER_WEEK
    closing = [ClosedDay(dt.date(2027, 3, 24), "Personaledag")]
    request = PlanRequest(first, last, consultants(), needs(12, first, last), closing_days=closing)
    plan = solve(request)
    assert len(plan.visits) == 12, f"capacity is 2 x 2 days x 4 = 16: all 12 fit; left out {plan.not_placed}"
    assert {v.start.date() for v in plan.visits} <= {dt.date(2027, 3, 22), dt.date(2027, 3, 23)}
    for day in plan.days:
        assert day.lunch is not None, f"{day.day}: a working day has its lunch break"


def test_visits_start_on_whole_five_minutes_where_they_can() -> None:
    first, last = EASTER_WEEK
    plan = solve(PlanRequest(first, last, consultants(), needs(6, first, last)))
    assert all(v.start.minute % 5 == 0 and v.start.second == 0 for v in plan.visits)


def test_windows_are_kept() -> None:
    first, last = dt.date(2027, 3, 1), dt.date(2027, 3, 5)
    narrow = [
        dataclasses.replace(n, due_from=dt.date(2027, 3, 3), due_to=dt.date(2027, 3, 3))
        for n in needs(4, first, last)
    ]
    plan = solve(PlanRequest(first, last, consultants(), narrow))
    assert {v.start.date() for v in plan.visits} == {dt.date(2027, 3, 3)}
    assert len(plan.visits) == 4


def test_promised_times_never_move() -> None:
    first, last = dt.date(2027, 3, 1), dt.date(2027, 3, 5)
    promised = VisitNeed(
        "promised", Point(57.50, 10.05), 60, first, last, promise=Promise(2, dt.datetime(2027, 3, 2, 13, 0))
    )
    plan = solve(PlanRequest(first, last, consultants(), [promised, *needs(10, first, last)]))
    (kept,) = [v for v in plan.visits if v.key == "promised"]
    assert (kept.consultant, kept.start, kept.promised) == (2, dt.datetime(2027, 3, 2, 13, 0), True)


def test_a_promise_outside_working_time_is_reported_not_moved() -> None:
    first, last = dt.date(2027, 3, 1), dt.date(2027, 3, 5)
    away = (Absence(dt.datetime(2027, 3, 2), dt.datetime(2027, 3, 3), "Syg"),)
    team = [Consultant(1, "K1", HJOERRING, PATTERN, away)]
    promised = VisitNeed("p", HJOERRING, 60, first, last, promise=Promise(1, dt.datetime(2027, 3, 2, 10, 0)))
    plan = solve(PlanRequest(first, last, team, [promised]))
    assert plan.visits == ()
    (reported,) = plan.not_placed
    assert reported.reason is Reason.PROMISE_OFF_SHIFT and reported.is_warning
    assert "Flyt besøget i hånden" in reported.text


def test_two_promises_at_one_time_give_a_clash() -> None:
    first, last = dt.date(2027, 3, 1), dt.date(2027, 3, 1)
    at = dt.datetime(2027, 3, 1, 10, 0)
    clash = [
        VisitNeed("a", Point(57.45, 9.95), 60, first, last, promise=Promise(1, at)),
        VisitNeed("b", Point(57.50, 10.05), 60, first, last, promise=Promise(1, at)),
    ]
    plan = solve(PlanRequest(first, last, consultants(1), clash))
    assert len(plan.visits) == 1
    assert [n.reason for n in plan.not_placed] == [Reason.PROMISE_CLASH]


def test_what_does_not_fit_is_reported_with_its_reason() -> None:
    first, last = dt.date(2027, 3, 1), dt.date(2027, 3, 2)
    urgent = needs(12, first, last)  # capacity: 1 consultant x 2 days x 4 = 8
    later = needs(3, first, dt.date(2027, 6, 30), seed=9)
    later = [dataclasses.replace(n, key=f"later{i}") for i, n in enumerate(later)]
    plan = solve(PlanRequest(first, last, consultants(1), urgent + later))
    assert len(plan.visits) == 8, "the day's most visits is a hard limit"
    placed = {v.key for v in plan.visits}
    assert all(key.startswith("v") for key in placed), "urgent visits go before ones that can wait"
    reasons = {n.key: n.reason for n in plan.not_placed}
    assert sorted(r for k, r in reasons.items() if k.startswith("v")) == [Reason.NO_CAPACITY] * 4
    assert {r for k, r in reasons.items() if k.startswith("later")} == {Reason.LATER}
    assert all("uge 9" in n.text for n in plan.not_placed if n.reason is Reason.NO_CAPACITY)


def test_no_consultant_in_the_window() -> None:
    first, last = dt.date(2027, 3, 1), dt.date(2027, 3, 12)
    away = (Absence(dt.datetime(2027, 3, 1), dt.datetime(2027, 3, 6), "Ferie"),)
    team = [Consultant(1, "K1", HJOERRING, PATTERN, away)]
    week_one = needs(1, dt.date(2027, 3, 1), dt.date(2027, 3, 5))
    plan = solve(PlanRequest(first, last, team, week_one))
    assert [n.reason for n in plan.not_placed] == [Reason.NO_CONSULTANT]


def test_visiting_hours_bound_every_visit() -> None:
    first, last = dt.date(2027, 3, 1), dt.date(2027, 3, 3)
    hours = VisitingHours(frozenset(range(5)), dt.time(9, 30), dt.time(16))
    plan = solve(PlanRequest(first, last, consultants(), needs(10, first, last), visiting_hours=hours))
    assert plan.visits
    assert all(v.start.time() >= dt.time(9, 30) and v.end.time() <= dt.time(15, 30) for v in plan.visits)


def test_the_previous_consultant_is_preferred() -> None:
    first, last = dt.date(2027, 3, 1), dt.date(2027, 3, 5)
    own = [dataclasses.replace(n, previous_consultant=1 + i % 2) for i, n in enumerate(needs(8, first, last))]
    plan = solve(PlanRequest(first, last, consultants(), own))
    by_key = {n.key: n.previous_consultant for n in own}
    kept = sum(1 for v in plan.visits if v.consultant == by_key[v.key])
    assert kept == len(own), f"only {kept} of {len(own)} visits went to the citizen's previous consultant"


def test_the_checker_catches_a_visit_on_a_holiday() -> None:
    first, last = EASTER_WEEK
    request = PlanRequest(first, last, consultants(), needs(2, first, last))
    plan = plan_visits(request, TRAVEL, seconds=0.5)
    day = plan.days[0]
    moved = dataclasses.replace(
        day.visits[0],
        start=day.visits[0].start.replace(day=25),
        end=day.visits[0].end.replace(day=25),
    )
    broken = dataclasses.replace(plan, days=(dataclasses.replace(day, visits=(moved, *day.visits[1:])),))
    problems = plan_violations(broken, request, TRAVEL)
    assert any("closed" in p for p in problems), problems
