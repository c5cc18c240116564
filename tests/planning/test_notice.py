"""The planner gives a citizen who is still to get her letter the notice the standard asks for: no visit
inside the notice period, and a warning saying why when the visit's window ends inside it."""

from __future__ import annotations

import datetime as dt

import pytest

from fhb.accounts.models import User
from fhb.offers.models import Offer
from fhb.planning.actions import run_plan
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.letters.world import ALONE70, PAPER80, WIFE80, at, load, offer

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 1, 4)
TODAY = dt.date(2027, 1, 1)  # the letter's notice (10 days): no new visit before Monday 11 January


@pytest.fixture
def karen() -> User:
    from fhb.offers.actions import start_run

    load()
    start_run(2027, "yearly", on=TODAY, standard=current_standard())
    user = User.objects.create_user("karen", password="x", first_name="Karen", role="consultant")
    Consultant.objects.create(user=user, base_lat=57.4643, base_lon=9.9822)
    return user


def test_a_visit_whose_window_ends_inside_the_notice_period_is_a_warning(karen: User) -> None:
    paper = offer(PAPER80["cpr"], "age80")
    Offer.objects.filter(pk=paper.pk).update(due_from=dt.date(2027, 1, 4), due_to=dt.date(2027, 1, 8))
    run, _ = run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=TODAY)
    assert not paper.visits.exists(), "its letter could not reach the citizen in time"
    (warning,) = [w for w in run.warnings if w["reason"] == "no_notice"]
    assert warning["citizens"] == [{"cpr": PAPER80["cpr"], "name": PAPER80["name"]}]
    assert "kan ikke nå frem i tide" in warning["text"] and "11. januar 2027" in warning["text"]
    new = Visit.objects.all()
    assert new and all(v.start.date() >= dt.date(2027, 1, 11) for v in new), [v.start for v in new]


def test_a_draft_is_not_moved_into_the_notice_period(karen: User) -> None:
    draft = Visit.objects.create(start=at(9, 1, 10), end=at(9, 1, 11), consultant=karen)  # a Saturday
    draft.offers.add(offer(WIFE80["cpr"], "age80"))
    run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=TODAY)
    draft.refresh_from_db()
    assert draft.start.weekday() < 5 and draft.start.date() >= dt.date(2027, 1, 11), draft.start


def test_a_promised_visit_stays_inside_the_notice_period(karen: User) -> None:
    promised = Visit.objects.create(start=at(5, 1, 10), end=at(5, 1, 11), consultant=karen, fixed=True)
    promised.offers.add(offer(ALONE70["cpr"], "alone70"))
    run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=TODAY)
    promised.refresh_from_db()
    assert promised.start == at(5, 1, 10), "told the citizen already: it never moves"
