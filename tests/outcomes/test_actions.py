"""Recording a visit's outcome: what each outcome does next, and what it refuses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fhb.core.standard.loader import load_standard
from fhb.journal.models import JournalNote
from fhb.letters.models import Letter
from fhb.offers.models import Answer, Offer
from fhb.outcomes.actions import (
    OutcomeError,
    record_cancelled,
    record_closed_door,
    record_declined,
    record_held,
)
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.letters.world import ALONE70, HUSBAND85, TURNS75, WIFE80, at, offer, plan, world

pytestmark = pytest.mark.django_db


def test_held_keeps_the_length_and_a_need_makes_an_offer_with_the_agreed_time() -> None:
    world()
    visit = plan(offer(ALONE70["cpr"], "alone70"), at(9, 3, 10))
    done = record_held(
        visit,
        minutes=75,
        standard=current_standard(),
        another_visit=True,
        next_start=at(20, 4, 13),
        now=at(9, 3, 12),
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.HELD and visit.held_minutes == 75 and visit.outcome_at is not None
    (follow,) = done.offers
    assert (
        follow.origin == Offer.Origin.VISIT
        and follow.group == "alone70"
        and follow.due_from.isoformat() == "2027-03-09"
    )
    assert "09.03.2027" in follow.reason
    assert (
        done.new_visit is not None and done.new_visit.fixed and list(done.new_visit.offers.all()) == [follow]
    )
    assert done.new_visit.end - done.new_visit.start == visit.end - visit.start


def test_another_visit_only_where_the_group_has_more_visits_by_assessment() -> None:
    world()
    standard = current_standard()
    assert not standard.group("age82plus").more_visits_by_assessment, "Hjørring: one yearly offer"
    visit = plan(offer(HUSBAND85["cpr"], "age82plus"), at(9, 3, 10))
    with pytest.raises(OutcomeError, match="ikke flere besøg efter vurdering"):
        record_held(visit, minutes=60, standard=standard, another_visit=True, now=at(9, 3, 12))
    groups = [g.model_copy(update={"more_visits_by_assessment": True}) for g in standard.groups]
    allowing = standard.model_copy(update={"groups": groups})
    done = record_held(visit, minutes=60, standard=allowing, another_visit=True, now=at(9, 3, 12))
    assert [o.group for o in done.offers] == ["age82plus"]


def test_an_outcome_is_recorded_once_and_never_before_the_visits_start() -> None:
    world()
    visit = plan(offer(ALONE70["cpr"], "alone70"), at(9, 3, 10))
    with pytest.raises(OutcomeError, match=r"begynder først 09\.03\.2027 kl\. 10\.00"):
        record_held(visit, minutes=60, standard=current_standard(), now=at(8, 3, 23))
    with pytest.raises(OutcomeError, match="begynder først"):
        record_held(
            visit, minutes=60, standard=current_standard(), now=at(9, 3, 1, 41)
        )  # the same day, hours before: refused too
    record_held(visit, minutes=60, standard=current_standard(), now=at(9, 3, 11))
    with pytest.raises(OutcomeError, match="allerede registreret som gennemført"):
        record_declined(visit, now=at(9, 3, 12), standard=current_standard())


def test_a_cancellation_may_be_recorded_before_the_visit() -> None:
    world()
    visit = plan(offer(ALONE70["cpr"], "alone70"), at(9, 3, 10))
    record_cancelled(
        visit, by="citizen", told="phone", reason="Syg", standard=current_standard(), now=at(1, 3, 9)
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED


def test_a_closed_door_note_time_before_the_visit_or_after_now_is_refused() -> None:
    world()
    standard = current_standard()
    assert standard.closed_door is not None
    visit = plan(offer(ALONE70["cpr"], "alone70"), at(9, 3, 10))
    steps = list(standard.closed_door.steps)
    for left in (at(9, 3, 9, 30), at(9, 3, 12)):
        with pytest.raises(OutcomeError, match="Sedlen kan ikke være lagt"):
            record_closed_door(
                visit, steps_done=steps, note_left_at=left, standard=standard, now=at(9, 3, 11)
            )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED


def test_closed_door_needs_every_step_writes_the_note_and_the_journal_entry(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world()
    standard = current_standard()  # Hjørring: three steps and a journal entry
    assert standard.closed_door is not None and standard.closed_door.journal_note
    visit = plan(offer(ALONE70["cpr"], "alone70"), at(9, 3, 10))
    steps = list(standard.closed_door.steps)
    with pytest.raises(OutcomeError, match="mangler"):
        record_closed_door(
            visit, steps_done=steps[:-1], note_left_at=at(9, 3, 10, 20), standard=standard, now=at(9, 3, 11)
        )
    assert not Letter.objects.exists() and not JournalNote.objects.exists(), "a refusal changes nothing"
    with django_capture_on_commit_callbacks(execute=True):
        done = record_closed_door(
            visit, steps_done=steps, note_left_at=at(9, 3, 10, 20), standard=standard, now=at(9, 3, 11)
        )
        (note,) = done.letters
        assert note.status == Letter.Status.QUEUED, "rendered once the outcome has committed, not before"
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CLOSED_DOOR and visit.closed_door_steps == steps
    note.refresh_from_db()
    assert note.kind == "closed_door" and note.channel == "by_hand" and note.status == Letter.Status.DELIVERED
    entry = JournalNote.objects.get()
    assert entry.kind == JournalNote.Kind.PROCEDURE and "kl. 10.20" in entry.text and entry.visit == visit


def test_herning_closed_door_writes_the_note_but_no_journal_entry() -> None:
    world()
    herning = load_standard("herning")
    assert herning.closed_door is not None and not herning.closed_door.journal_note
    visit = plan(offer(ALONE70["cpr"], "alone70"), at(9, 3, 10))
    done = record_closed_door(
        visit,
        steps_done=herning.closed_door.steps,
        note_left_at=at(9, 3, 10, 5),
        standard=herning,
        now=at(9, 3, 11),
    )
    assert done.journal is None and not JournalNote.objects.exists()


def test_the_note_is_left_on_the_day_of_the_visit() -> None:
    world()
    standard = current_standard()
    assert standard.closed_door is not None
    visit = plan(offer(ALONE70["cpr"], "alone70"), at(9, 3, 10))
    with pytest.raises(OutcomeError, match="besøgsdagen"):
        record_closed_door(
            visit,
            steps_done=standard.closed_door.steps,
            note_left_at=at(10, 3, 9),
            standard=standard,
            now=at(10, 3, 9),
        )


def test_declined_at_the_door_is_the_citizens_no() -> None:
    world()
    wife = offer(WIFE80["cpr"], "age80")
    visit = plan(wife, at(9, 3, 10))
    record_declined(visit, note="Vil ikke have besøg", now=at(9, 3, 10, 5), standard=current_standard())
    visit.refresh_from_db()
    wife.refresh_from_db()
    assert visit.status == Visit.Status.DECLINED and visit.outcome_at is not None
    assert wife.reply == Offer.Reply.NO
    assert Answer.objects.get(offer=wife).channel == "in_person"


def test_we_cancel_by_letter_with_a_new_time() -> None:
    world()
    herning = load_standard("herning")
    wife = offer(WIFE80["cpr"], "age80")
    visit = plan(wife, at(9, 3, 10))
    done = record_cancelled(
        visit,
        by="us",
        told="letter",
        reason="Sygdom",
        new_start=at(16, 3, 10),
        standard=herning,
        now=at(2, 3, 8),
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED and visit.cancelled_by == "us"
    assert done.new_visit is not None and done.new_visit.start == at(16, 3, 10) and done.new_visit.fixed
    assert [letter.kind for letter in done.letters] == ["new_time"]
    assert not done.warnings


def test_herning_a_letter_cannot_tell_the_citizen_of_todays_cancellation() -> None:
    world()
    herning = load_standard("herning")
    visit = plan(offer(WIFE80["cpr"], "age80"), at(9, 3, 13))
    with pytest.raises(OutcomeError, match="samme dags morgen"):
        record_cancelled(visit, by="us", told="letter", reason="Sygdom", standard=herning, now=at(9, 3, 7))
    done = record_cancelled(visit, by="us", told="phone", reason="Sygdom", standard=herning, now=at(9, 3, 7))
    assert not done.letters and done.warnings, (
        "a call needs no letter, but the standard wants a new visit agreed"
    )


def test_the_citizen_cancels_and_the_offer_waits_for_a_new_time() -> None:
    world()
    wife = offer(WIFE80["cpr"], "age80")
    visit = plan(wife, at(9, 3, 10))
    pending = Letter.objects.create(
        kind="offer_with_time",
        channel="digital_post",
        title="Tilbud",
        citizen=wife.citizen,
        visit=visit,
        content={},
    )
    done = record_cancelled(
        visit,
        by="citizen",
        told="phone",
        reason="Skal til lægen",
        standard=current_standard(),
        now=at(1, 3, 9),
    )
    pending.refresh_from_db()
    assert pending.status == Letter.Status.CANCELLED, "the old time must not go out"
    assert done.new_visit is None and not done.letters
    assert Answer.objects.get(offer=wife).reply == Offer.Reply.OTHER_TIME
    assert not wife.visits.filter(status=Visit.Status.PLANNED).exists()


def test_a_new_time_must_be_in_the_future_and_a_reason_given() -> None:
    world()
    visit = plan(offer(WIFE80["cpr"], "age80"), at(9, 3, 10))
    standard = current_standard()
    with pytest.raises(OutcomeError, match="fremtiden"):
        record_cancelled(
            visit,
            by="us",
            told="phone",
            reason="x",
            new_start=at(1, 3, 9),
            standard=standard,
            now=at(2, 3, 9),
        )
    with pytest.raises(OutcomeError, match="hvorfor"):
        record_cancelled(visit, by="us", told="phone", reason=" ", standard=standard, now=at(2, 3, 9))
    assert Visit.objects.get().status == Visit.Status.PLANNED
    assert at(9, 3, 10) - timedelta(days=1) < Visit.objects.get().start


def test_the_driving_of_the_day_is_kept_on_each_visit_with_an_outcome(make_user: Any) -> None:
    from fhb.planning.days import day_route
    from fhb.planning.models import Consultant

    world()
    user = make_user("consultant", "anna")
    consultant = Consultant.objects.create(user=user, base_lat=57.4643, base_lon=9.9822)
    first = plan(offer(ALONE70["cpr"], "alone70"), at(9, 3, 10), consultant=user)
    last = plan(offer(WIFE80["cpr"], "age80"), at(9, 3, 12), consultant=user)
    route = day_route(consultant, first.start.date())
    leg_in, leg_between, leg_home = route.stops[0].drive_min, route.stops[1].drive_min, route.back_drive_min
    assert leg_in and leg_between is not None and leg_home
    record_held(first, minutes=60, standard=current_standard(), now=at(9, 3, 11))
    record_closed_door(
        last,
        steps_done=list(current_standard().closed_door.steps),  # type: ignore[union-attr]
        note_left_at=at(9, 3, 12, 10),
        standard=current_standard(),
        now=at(9, 3, 13),
    )
    first.refresh_from_db(), last.refresh_from_db()
    assert first.drive_minutes == leg_in, "the first visit carries the drive from the start place"
    assert last.drive_minutes == leg_between + leg_home, "the day's last visit carries the way back too"
    at_the_door = plan(offer(TURNS75["cpr"], "age75"), at(10, 3, 10), consultant=user)
    record_declined(at_the_door, now=at(10, 3, 11), standard=current_standard())
    at_the_door.refresh_from_db()
    assert at_the_door.drive_minutes, "a no at the door was driven to as well"
    cancelled = plan(offer(HUSBAND85["cpr"], "age82plus"), at(11, 3, 10), consultant=user)
    record_cancelled(cancelled, by="citizen", told="phone", reason="Syg", standard=current_standard())
    cancelled.refresh_from_db()
    assert cancelled.drive_minutes is None, "nobody drove to a cancelled visit"
