"""Two colleagues book the same consultant's time at once: one gets it, the other is told why not.

"The same slot" is a consultant's time on a day: two planned visits of one consultant may not overlap (one
may begin when the other ends). The booking service checks and writes under a lock on the consultant's row;
on PostgreSQL an exclusion constraint (visits migration 0005) stands behind every writer, the planner and a
move by hand included. The races run two threads, each with its own database connection, let go together.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from fhb.planning import actions, locks
from fhb.planning.actions import book_slot, run_plan
from fhb.planning.locks import NO_OVERLAP, BookingError, taken_meanwhile
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.planning.world import CALLER, EAST, NORTH, WEST, at, offer, visit, world

TODAY = date(2027, 3, 1)
"""Monday 1 March 2027: the offers' plan year; bookings are from tomorrow."""
TUESDAY_10 = at(2, 3, 10)
"""A time both consultants work (Monday-Friday 8-15.30) inside Hjørring's visiting hours."""

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the exclusion constraint is PostgreSQL's; SQLite has none (its writers queue for one lock)",
)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` in threads, each on its own database connection, let go together by a barrier; return
    what each returned or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a booking hung (a lock never let go?)"
    return results


def overlapping_planned() -> list[tuple[int, int]]:
    """Pairs of planned visits of one consultant whose times overlap."""
    pairs = []
    by_consultant: dict[int, list[Visit]] = {}
    for v in Visit.objects.open().exclude(consultant=None).order_by("start"):
        by_consultant.setdefault(v.consultant_id, []).append(v)  # type: ignore[arg-type]
    for visits in by_consultant.values():
        for i, a in enumerate(visits):
            pairs += [(a.pk, b.pk) for b in visits[i + 1 :] if b.start < a.end]
    return pairs


def check_constraint_now() -> None:
    """PostgreSQL checks the deferred constraint at commit, which a test's transaction never reaches."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {NO_OVERLAP} IMMEDIATE")


def split(results: list[Any]) -> tuple[list[Visit], list[BookingError]]:
    won = [r for r in results if isinstance(r, Visit)]
    lost = [r for r in results if isinstance(r, BookingError)]
    assert len(won) + len(lost) == len(results), f"something else went wrong: {results}"
    return won, lost


# --- one after the other (both databases) ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_second_booking_of_a_taken_time_is_refused() -> None:
    karen, _lise = world()
    first = book_slot(offer(CALLER), karen, TUESDAY_10, today=TODAY, standard=current_standard())
    with pytest.raises(BookingError) as refused:
        book_slot(
            offer(WEST),
            karen,
            TUESDAY_10 + dt.timedelta(minutes=30),
            today=TODAY,
            standard=current_standard(),
        )
    assert "overlapper et andet besøg hos Karen Konsulent kl. 10.00–11.00" in str(refused.value)
    assert list(Visit.objects.all()) == [first], "the refused booking left no visit"
    assert not offer(WEST).visits.exists()


@pytest.mark.django_db
def test_a_booking_may_begin_when_the_other_ends() -> None:
    karen, _lise = world()
    book_slot(offer(CALLER), karen, TUESDAY_10, today=TODAY, standard=current_standard())
    book_slot(
        offer(WEST), karen, TUESDAY_10 + dt.timedelta(hours=2), today=TODAY, standard=current_standard()
    )
    check_constraint_now()
    assert Visit.objects.count() == 2 and not overlapping_planned()


@pytest.mark.django_db
def test_an_offer_with_a_visit_cannot_be_booked_again_with_a_colleague() -> None:
    karen, lise = world()
    book_slot(offer(CALLER), karen, TUESDAY_10, today=TODAY, standard=current_standard())
    with pytest.raises(BookingError, match=r"Tilbuddet har allerede et besøg\."):
        book_slot(
            offer(CALLER), lise, TUESDAY_10 + dt.timedelta(days=1), today=TODAY, standard=current_standard()
        )
    assert offer(CALLER).visits.count() == 1


@pytest.mark.django_db
def test_a_time_set_by_hand_or_agreed_on_the_phone_may_not_overlap_either(client: Any) -> None:
    from fhb.offers.answers import AnswerError
    from fhb.offers.models import Offer
    from fhb.planning.actions import answer_with_time
    from tests.conftest import PASSWORD

    karen, _lise = world()
    book_slot(offer(CALLER), karen, TUESDAY_10, today=TODAY, standard=current_standard())
    assert client.login(username=karen.user.username, password=PASSWORD)
    overlapping = timezone.localtime(TUESDAY_10 + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("offer-visit-time", args=[offer(WEST).pk]), {"start": overlapping}, follow=True
    )
    assert "overlapper et andet besøg" in response.content.decode() and not offer(WEST).visits.exists()
    with pytest.raises(AnswerError, match="overlapper et andet besøg"):
        answer_with_time(
            offer(NORTH),
            Offer.Reply.OTHER_TIME,
            TUESDAY_10,
            channel="phone",
            received=TODAY,
            user=karen.user,
            today=TODAY,
            standard=current_standard(),
        )
    assert not offer(NORTH).visits.exists() and not offer(NORTH).answers.exists(), "nothing half-stored"


# --- at the same moment (two connections) ------------------------------------------------------------------


def slow_check(monkeypatch: pytest.MonkeyPatch, seconds: float = 0.3) -> None:
    """Make the check take a while, so the two bookings surely meet in the middle of it."""
    check = actions.time_problems

    def slowly(*args: Any, **kwargs: Any) -> list[str]:
        time.sleep(seconds)
        return check(*args, **kwargs)

    monkeypatch.setattr(actions, "time_problems", slowly)


@pytest.mark.django_db(transaction=True)
def test_two_colleagues_book_the_same_time_at_once_one_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    karen, _lise = world()
    caller, west = offer(CALLER), offer(WEST)
    slow_check(monkeypatch)
    won, lost = split(
        at_once(
            lambda: book_slot(caller, karen, TUESDAY_10, today=TODAY, standard=current_standard()),
            lambda: book_slot(west, karen, TUESDAY_10, today=TODAY, standard=current_standard()),
        )
    )
    assert len(won) == 1 and len(lost) == 1, f"exactly one booking wins: {won} {lost}"
    assert "overlapper et andet besøg hos Karen Konsulent" in str(lost[0]), (
        "the second waited for the first and was told what took the time"
    )
    assert Visit.objects.filter(consultant=karen.user).count() == 1
    assert not overlapping_planned()


@pytest.mark.django_db(transaction=True)
def test_two_colleagues_book_the_same_offer_at_once_with_different_consultants(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    karen, lise = world()
    caller = offer(CALLER)
    slow_check(monkeypatch)
    won, lost = split(
        at_once(
            lambda: book_slot(caller, karen, TUESDAY_10, today=TODAY, standard=current_standard()),
            lambda: book_slot(
                caller, lise, TUESDAY_10 + dt.timedelta(days=1), today=TODAY, standard=current_standard()
            ),
        )
    )
    assert len(won) == 1 and len(lost) == 1, f"exactly one booking wins: {won} {lost}"
    assert str(lost[0]) == "Tilbuddet har allerede et besøg."
    assert offer(CALLER).visits.count() == 1, "one visit for the offer, not one with each consultant"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_the_second_of_two_overlapping_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the lock and the check (a writer that skips them), both pass the check together and both
    write: the exclusion constraint lets one visit stand and the other booking gets the Danish message."""
    karen, _lise = world()
    caller, west = offer(CALLER), offer(WEST)
    both_checked = threading.Barrier(2)

    def check_passes(*args: Any, **kwargs: Any) -> list[str]:
        both_checked.wait(timeout=10)  # each has looked and found the time free
        return []

    monkeypatch.setattr(actions, "lock_rows", lambda *args, **kwargs: None)
    monkeypatch.setattr(actions, "time_problems", check_passes)
    won, lost = split(
        at_once(
            lambda: book_slot(caller, karen, TUESDAY_10, today=TODAY, standard=current_standard()),
            lambda: book_slot(
                west, karen, TUESDAY_10 + dt.timedelta(minutes=15), today=TODAY, standard=current_standard()
            ),
        )
    )
    assert len(won) == 1 and len(lost) == 1, f"exactly one write stands: {won} {lost}"
    assert lost[0].problems == [taken_meanwhile()]
    assert Visit.objects.count() == 1 and not overlapping_planned()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_writes_checked_at_the_same_moment_leave_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both have written before either checks the constraint: still one stands and the other is told."""
    karen, _lise = world()
    caller, west = offer(CALLER), offer(WEST)
    both_wrote = threading.Barrier(2)
    check = locks.check_no_overlap_now

    def check_together() -> None:
        both_wrote.wait(timeout=10)
        check()

    monkeypatch.setattr(actions, "lock_rows", lambda *args, **kwargs: None)
    monkeypatch.setattr(actions, "time_problems", lambda *args, **kwargs: [])
    monkeypatch.setattr(locks, "check_no_overlap_now", check_together)
    won, lost = split(
        at_once(
            lambda: book_slot(caller, karen, TUESDAY_10, today=TODAY, standard=current_standard()),
            lambda: book_slot(west, karen, TUESDAY_10, today=TODAY, standard=current_standard()),
        )
    )
    assert len(won) == 1 and len(lost) == 1, f"exactly one write stands: {won} {lost}"
    assert lost[0].problems == [taken_meanwhile()]
    assert Visit.objects.count() == 1 and not overlapping_planned()


# --- the constraint itself (PostgreSQL) --------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db
def test_the_constraint_counts_only_one_consultants_planned_visits() -> None:
    karen, lise = world()
    visit(EAST, TUESDAY_10, karen)
    visit(WEST, TUESDAY_10, karen, status=Visit.Status.CANCELLED)
    visit(NORTH, TUESDAY_10, lise)
    visit(CALLER, TUESDAY_10, None)
    visit(CALLER, TUESDAY_10 + dt.timedelta(hours=1), karen)  # begins as the first ends
    check_constraint_now()
    with pytest.raises(IntegrityError, match=NO_OVERLAP), transaction.atomic():
        visit(NORTH, TUESDAY_10 + dt.timedelta(minutes=59), karen)
        check_constraint_now()


@pytest.mark.django_db
def test_two_visits_may_swap_times_in_one_transaction() -> None:
    """The planner moves its drafts one row at a time; a plan without overlaps may pass through one on the
    way, so the constraint is checked at commit."""
    karen, _lise = world()
    nine, ten = visit(EAST, at(2, 3, 9), karen), visit(WEST, TUESDAY_10, karen)
    with transaction.atomic():
        nine.start, nine.end = ten.start, ten.end
        nine.save()  # overlaps ``ten`` until the next line
        ten.start, ten.end = at(2, 3, 9), at(2, 3, 10)
        ten.save()
        check_constraint_now()
    assert not overlapping_planned()


# --- the planner and a move by hand ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_planner_never_overlaps_a_consultants_visits(settings: Any) -> None:
    karen, _lise = world()
    promised = visit(EAST, TUESDAY_10, karen, fixed=True)
    Consultant.objects.exclude(pk=karen.pk).update(active=False)  # one consultant: everything on her days
    run, _plan = run_plan(TODAY, 1, seconds=0.5, standard=current_standard())
    check_constraint_now()
    assert run.summary["created"] == 2, f"WEST and NORTH get a visit: {run.summary}"
    assert Visit.objects.filter(consultant=karen.user).count() == 3
    assert not overlapping_planned(), "the planner put two of Karen's visits on top of each other"
    promised.refresh_from_db()
    assert promised.start == TUESDAY_10


@pytest.mark.django_db
def test_a_move_onto_a_visit_held_today_is_refused(client: Any, today: date) -> None:
    karen, _lise = world()
    visit(WEST, at(1, 3, 10), karen, status=Visit.Status.HELD)
    moving = visit(EAST, at(3, 3, 9), karen)
    client.force_login(karen.user)
    data = {"day": "2027-03-01", "time": "10:30", "consultant": karen.user_id}
    response = client.post(reverse("visit-move", args=[moving.pk]), data)
    assert response.status_code == 200
    assert "overlapper et andet besøg hos Karen Konsulent kl. 10.00–11.00" in response.content.decode()
    moving.refresh_from_db()
    assert moving.start == at(3, 3, 9) and not moving.fixed, "nothing changed"


@postgresql_only
@pytest.mark.django_db
def test_a_move_onto_a_time_just_taken_says_so(
    client: Any, today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The colleague's visit is there, but the check did not see it (it came a moment too late): the
    database refuses the move and the page says why, with no error page."""
    karen, _lise = world()
    visit(WEST, TUESDAY_10, karen)
    moving = visit(EAST, at(3, 3, 9), karen)
    versions = moving.history.count()
    monkeypatch.setattr(actions, "time_problems", lambda *args, **kwargs: [])
    client.force_login(karen.user)
    data = {"day": "2027-03-02", "time": "10:30", "consultant": karen.user_id}
    response = client.post(reverse("visit-move", args=[moving.pk]), data)
    assert response.status_code == 200
    assert taken_meanwhile() in response.content.decode()
    moving.refresh_from_db()
    assert moving.start == at(3, 3, 9) and not moving.fixed, "nothing changed"
    assert moving.history.count() == versions, "no new version in the history"


@postgresql_only
@pytest.mark.django_db
def test_the_booking_page_says_when_the_database_refused_the_time(
    client: Any, today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    karen, _lise = world()
    visit(NORTH, TUESDAY_10, karen)  # booked on another phone a moment ago
    caller = offer(CALLER)
    monkeypatch.setattr(actions, "time_problems", lambda *args, **kwargs: [])
    monkeypatch.setattr(actions, "route_problems", lambda *args, **kwargs: [])
    client.force_login(karen.user)
    start = datetime(2027, 3, 2, 10).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("offer-slot-book", args=[caller.pk]),
        {"consultant": karen.user_id, "start": start},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("offer-slots", args=[caller.pk])
    text = " ".join(str(m) for m in response.context["messages"])
    assert f"Tiden blev ikke booket: {taken_meanwhile()}" in text
    assert not caller.visits.exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_plan_run_that_meets_a_colleagues_booking_stores_nothing_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fhb.planning.models import PlanRun

    karen, _lise = world()
    original = actions.apply_plan

    def colleague_books_meanwhile(plan: Any, needs: Any) -> dict[str, int]:
        changes = original(plan, needs)
        placed = Visit.objects.filter(consultant_id=karen.user_id, status=Visit.Status.PLANNED).first()
        assert placed is not None, "the planner placed a visit for Karen"
        twin = Visit.objects.create(start=placed.start, end=placed.end, consultant_id=karen.user_id)
        twin.offers.add(offer(NORTH))
        return changes

    monkeypatch.setattr(actions, "apply_plan", colleague_books_meanwhile)
    with pytest.raises(BookingError, match="Læg planen igen"):
        run_plan(TODAY, 1, seconds=0.5, standard=current_standard())
    assert not Visit.objects.exists() and not PlanRun.objects.exists(), "nothing of the plan is stored"
