"""A visit whose citizen is still to be told its time by letter is placed no sooner than the letter's
notice allows; one whose window ends before that is reported with the reason."""

from __future__ import annotations

import datetime as dt

from tests.core.planning.test_planner import HJOERRING, TRAVEL, consultants, needs, solve

from fhb.core.planning.model import Promise, Reason, VisitNeed
from fhb.core.planning.planner import PlanRequest, plan_visits

FIRST, LAST = dt.date(2027, 3, 1), dt.date(2027, 3, 12)
NOTICE_FROM = dt.date(2027, 3, 8)


def test_a_window_that_ends_inside_the_notice_period_is_reported_not_placed() -> None:
    early = VisitNeed("early", HJOERRING, 60, FIRST, dt.date(2027, 3, 5), notice_from=NOTICE_FROM)
    plan = solve(PlanRequest(FIRST, LAST, consultants(), [early]))
    assert plan.visits == ()
    (reported,) = plan.not_placed
    assert reported.reason is Reason.NO_NOTICE and reported.is_warning
    assert "kan ikke nå frem i tide" in reported.text and "8. marts 2027" in reported.text
    assert "5. marts 2027" in reported.text, "says by when the visit had to be held"


def test_visits_go_no_sooner_than_their_letters_notice() -> None:
    waiting = needs(6, FIRST, LAST, notice_from=NOTICE_FROM)
    plan = solve(PlanRequest(FIRST, LAST, consultants(), waiting))
    assert len(plan.visits) == 6, plan.not_placed
    assert all(v.start.date() >= NOTICE_FROM for v in plan.visits), [v.start for v in plan.visits]


def test_without_a_letter_to_wait_for_the_same_visits_may_go_sooner() -> None:
    plan = plan_visits(PlanRequest(FIRST, LAST, consultants(), needs(6, FIRST, LAST)), TRAVEL, seconds=1)
    assert any(v.start.date() < NOTICE_FROM for v in plan.visits), "the notice above is what held them back"


def test_a_promise_keeps_its_time_inside_the_notice_period() -> None:
    at = dt.datetime(2027, 3, 2, 10, 0)
    promised = VisitNeed("p", HJOERRING, 60, FIRST, LAST, promise=Promise(1, at), notice_from=NOTICE_FROM)
    plan = solve(PlanRequest(FIRST, LAST, consultants(1), [promised]))
    (kept,) = plan.visits
    assert (kept.start, kept.promised) == (at, True) and plan.not_placed == ()
