"""Answers, requests, follow-ups and re-imports change offers, visits and letters as specified."""

from __future__ import annotations

from datetime import date

import pytest

from fhb.accounts.models import User
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.letters.outbox import render_pending
from fhb.offers.actions import (
    close_for_missing_citizen,
    decide_request,
    register_answer,
    register_request,
    start_run,
)
from fhb.offers.answers import AnswerError
from fhb.offers.models import FollowUp, Offer, Request
from fhb.offers.requests import RequestError
from fhb.planning.actions import answer_with_time
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.letters.test_outbox import flat, pdf_text
from tests.letters.world import (
    ALONE70,
    PEOPLE,
    TURNS75,
    WIFE80,
    at,
    load,
    offer,
    plan,
    sender_settings,
    world,
)

pytestmark = pytest.mark.django_db
TODAY = date(2027, 2, 1)


def test_no_declines_the_visit_and_cancels_unsent_letters() -> None:
    run = world()
    wife = offer(WIFE80["cpr"], "age80")
    visit = plan(wife, at(9, 3, 10))
    send_run_letters(run, today=TODAY, standard=current_standard())
    register_answer(wife, "no", channel="phone", received=TODAY, today=TODAY, standard=current_standard())
    visit.refresh_from_db()
    wife.refresh_from_db()
    assert visit.status == Visit.Status.DECLINED and wife.reply == "no"
    assert set(wife.letters.values_list("status", flat=True)) == {Letter.Status.CANCELLED}
    assert not wife.is_open


def test_another_time_moves_the_visit_and_queues_a_new_time_letter() -> None:
    run = world()
    wife = offer(WIFE80["cpr"], "age80")
    visit = plan(wife, at(9, 3, 10))
    send_run_letters(run, today=TODAY, standard=current_standard())
    answer_with_time(
        wife,
        "other_time",
        at(16, 3, 13, 30),
        channel="phone",
        received=TODAY,
        today=TODAY,
        standard=current_standard(),
    )
    visit.refresh_from_db()
    assert (visit.start, visit.status) == (at(16, 3, 13, 30), Visit.Status.PLANNED)
    assert visit.history.filter(start=at(9, 3, 10)).exists(), "the move is kept"
    new_time = Letter.objects.get(kind="new_time")
    render_pending()
    new_time.refresh_from_db()
    text = flat(pdf_text(bytes(new_time.pdf)))  # type: ignore[arg-type]
    assert "16. marts 2027" in text and "13.30" in text and "9. marts 2027" in text


def test_another_time_without_a_time_releases_the_visit() -> None:
    world()
    wife = offer(WIFE80["cpr"], "age80")
    visit = plan(wife, at(9, 3, 10))
    register_answer(
        wife, "other_time", channel="mail", received=TODAY, today=TODAY, standard=current_standard()
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED and offer(WIFE80["cpr"], "age80").is_open


def test_yes_to_an_opt_in_offer_with_a_time_books_the_visit() -> None:
    world()
    alone = offer(ALONE70["cpr"], "alone70")
    assert alone.response == "opt_in"
    answer_with_time(
        alone, "yes", at(3, 3, 9), channel="phone", received=TODAY, today=TODAY, standard=current_standard()
    )
    assert alone.visits.get().start == at(3, 3, 9)


def test_never_again_is_refused_where_the_standard_does_not_honour_it() -> None:
    world()
    with pytest.raises(AnswerError, match="frabede"):
        register_answer(
            offer(ALONE70["cpr"], "alone70"),
            "never_again",
            channel="phone",
            received=TODAY,
            today=TODAY,
            standard=current_standard(),
        )
    assert not Offer.objects.filter(reply="never_again").exists()


def test_never_again_in_ishoej_exempts_the_citizen_from_later_runs(settings: object) -> None:
    settings.FHB_STANDARD = "ishoej"  # type: ignore[attr-defined]
    load()
    sender_settings()
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    target = Offer.objects.get(citizen__cpr=WIFE80["cpr"], decision="offer", status="active")
    register_answer(
        target, "never_again", channel="phone", received=TODAY, today=TODAY, standard=current_standard()
    )
    start_run(2027, "daily", on=date(2027, 2, 2), standard=current_standard())
    target.refresh_from_db()
    assert target.decision == "exempt" and "frabedt" in target.reason
    load()  # a re-import of the same extract keeps the answer's fact
    start_run(2027, "daily", on=date(2027, 2, 3), standard=current_standard())
    assert not Offer.objects.filter(citizen__cpr=WIFE80["cpr"], status="active", decision="offer").exists()


def test_ishoej_75_year_olds_get_a_follow_up_three_months_on_closed_by_an_answer(settings: object) -> None:
    settings.FHB_STANDARD = "ishoej"  # type: ignore[attr-defined]
    load()
    sender_settings()
    run = start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    send_run_letters(run, today=TODAY, standard=current_standard())
    follow_up = FollowUp.objects.get()
    assert follow_up.offer.citizen.cpr == TURNS75["cpr"] and follow_up.due == date(2027, 5, 1)
    register_answer(
        follow_up.offer,
        "yes",
        channel="phone",
        received=date(2027, 3, 1),
        today=date(2027, 3, 1),
        standard=current_standard(),
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.CLOSED


def test_a_follow_up_when_always_stays_open_after_an_answer(settings: object) -> None:
    settings.FHB_STANDARD = "ishoej"  # type: ignore[attr-defined]
    load()
    sender_settings()
    standard = current_standard()
    run = start_run(2027, "yearly", on=date(2027, 1, 1), standard=standard)
    send_run_letters(run, today=TODAY, standard=standard)
    follow_up = FollowUp.objects.get()
    rule = standard.group("age75").follow_up
    assert rule is not None and rule.when == "no_answer"
    always = rule.model_copy(update={"when": "always"})
    groups = [g.model_copy(update={"follow_up": always}) if g.id == "age75" else g for g in standard.groups]
    register_answer(
        follow_up.offer,
        "yes",
        channel="phone",
        received=date(2027, 3, 1),
        today=date(2027, 3, 1),
        standard=standard.model_copy(update={"groups": groups}),
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.OPEN


@pytest.mark.parametrize("may_ask_later", [True, False])
def test_declined_may_ask_later_decides_whether_a_decliners_request_is_granted(may_ask_later: bool) -> None:
    world()
    wife = offer(WIFE80["cpr"], "age80")
    standard = current_standard()
    register_answer(wife, "no", channel="phone", received=TODAY, today=TODAY, standard=standard)
    assert standard.requests is not None
    rules = standard.requests.model_copy(update={"declined_may_ask_later": may_ask_later})
    standard = standard.model_copy(update={"requests": rules})
    request = register_request(
        wife.citizen, received=TODAY, today=TODAY, came_from="citizen", channel="phone", standard=standard
    )
    if not may_ask_later:
        with pytest.raises(RequestError, match="takket nej"):
            decide_request(
                request, granted=True, reason="Ønsker alligevel besøg", today=TODAY, standard=standard
            )
        decide_request(request, granted=False, reason="Takkede nej i år", today=TODAY, standard=standard)
        assert Request.objects.get(pk=request.pk).status == Request.Status.REFUSED
    else:
        decide_request(request, granted=True, reason="Ønsker alligevel besøg", today=TODAY, standard=standard)
        assert Request.objects.get(pk=request.pk).status == Request.Status.GRANTED


def test_request_from_a_relative_needs_consent_and_gets_the_deadline() -> None:
    world()
    citizen = offer(ALONE70["cpr"], "alone70").citizen
    with pytest.raises(RequestError, match="samtykke"):
        register_request(
            citizen,
            received=TODAY,
            today=TODAY,
            came_from="relative_with_consent",
            channel="phone",
            standard=current_standard(),
        )
    request = register_request(
        citizen,
        received=TODAY,
        today=TODAY,
        came_from="relative_with_consent",
        channel="phone",
        consent=True,
        standard=current_standard(),
    )
    assert request.deadline == date(2027, 2, 22), "Hjørring: within 3 weeks"


def test_granted_request_becomes_an_offer_no_run_withdraws() -> None:
    world()
    citizen = offer(ALONE70["cpr"], "alone70").citizen
    request = register_request(
        citizen,
        received=TODAY,
        today=TODAY,
        came_from="citizen",
        channel="phone",
        standard=current_standard(),
    )
    with pytest.raises(RequestError, match="begrundelse"):
        decide_request(request, granted=True, reason=" ", today=TODAY, standard=current_standard())
    decide_request(
        request, granted=True, reason="Nyligt faldet; ønsker besøg", today=TODAY, standard=current_standard()
    )
    request.refresh_from_db()
    assert request.status == Request.Status.GRANTED and request.offer is not None
    assert request.offer.origin == "request" and "Nyligt faldet" in request.offer.reason
    start_run(2027, "daily", on=date(2027, 2, 2), standard=current_standard())
    request.offer.refresh_from_db()
    assert request.offer.status == Offer.Status.ACTIVE


def test_a_death_in_a_reimport_cancels_offers_visits_and_queued_letters_and_leaving_waits() -> None:
    run = world()
    wife = offer(WIFE80["cpr"], "age80")
    visit = plan(wife, at(9, 3, 10))
    send_run_letters(run, today=TODAY, standard=current_standard())
    people = [dict(p) for p in PEOPLE if p is not ALONE70]  # Aksel is missing (moved away?)
    for p in people:
        if p["cpr"] == WIFE80["cpr"]:
            p["death_date"] = "2027-01-20"
    load(people, force=True)
    wife.refresh_from_db()
    visit.refresh_from_db()
    assert wife.status == Offer.Status.WITHDRAWN and "død" in wife.withdrawn_reason
    assert visit.status == Visit.Status.CANCELLED
    assert set(wife.letters.values_list("status", flat=True)) == {Letter.Status.CANCELLED}
    alone = Offer.objects.get(citizen__cpr=ALONE70["cpr"], group="alone70")
    assert alone.status == Offer.Status.ACTIVE, "leaving the extract cancels nothing: the leader decides"
    assert Letter.Status.CANCELLED not in set(alone.letters.values_list("status", flat=True))
    leader = User.objects.create_user(username="leder", password="x", role="leader")
    close_for_missing_citizen(alone.citizen, user=leader)
    alone.refresh_from_db()
    assert alone.status == Offer.Status.WITHDRAWN and "ikke i udtrækket" in alone.withdrawn_reason
    assert set(alone.letters.values_list("status", flat=True)) == {Letter.Status.CANCELLED}
