"""`fhb plan` and the planning service: offers with a time get visits; promises stay; couples share one."""

from __future__ import annotations

import datetime as dt

import pytest

from fhb.accounts.models import User
from fhb.cli import main
from fhb.planning.actions import run_plan
from fhb.planning.models import Consultant, PlanRun
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.citizens.builders import person
from tests.letters.world import PAPER80, at, load, offer

pytestmark = pytest.mark.django_db

# Both turn 80 in 2027 and live together: Hjørring offers each a visit with a time; they get one.
WIFE = person("0404471232", "Grete Par", "adr-9", civil_status="G", spouse_cpr="0808471238")
HUSBAND = person("0808471238", "Hans Par", "adr-9", civil_status="G", spouse_cpr="0404471232")
MONDAY = dt.date(2027, 1, 4)
#: The day the plan is made: two weeks before, so that every letter can keep the standard's notice.
PLANNED_ON = MONDAY - dt.timedelta(days=14)


def team() -> User:
    user = User.objects.create_user("karen", password="x", first_name="Karen", role="consultant")
    Consultant.objects.create(user=user, base_lat=57.4643, base_lon=9.9822)
    return user


@pytest.fixture
def municipality() -> User:
    from fhb.offers.actions import start_run

    load([PAPER80, WIFE, HUSBAND])
    start_run(2027, "yearly", on=dt.date(2027, 1, 1), standard=current_standard())
    return team()


def test_offers_with_a_time_get_visits_and_a_couple_shares_one(municipality: User) -> None:
    run, _ = run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=PLANNED_ON)
    single = offer(PAPER80["cpr"], "age80").visits.get()
    assert single.consultant == municipality and single.end - single.start == dt.timedelta(minutes=60)
    couple = offer(WIFE["cpr"], "age80").visits.get()
    assert set(couple.offers.values_list("citizen__name", flat=True)) == {"Grete Par", "Hans Par"}
    assert couple.end - couple.start == dt.timedelta(minutes=90), "Hjørring: 1½ hours for a couple"
    assert PlanRun.objects.get() == run and run.summary["created"] == 2
    assert dt.date(2027, 1, 4) <= dt.datetime.date(single.start) <= dt.date(2027, 1, 17)


def test_planning_again_keeps_promised_visits_and_adds_nothing_twice(municipality: User) -> None:
    promised = Visit.objects.create(start=at(5, 1, 10), end=at(5, 1, 11), consultant=municipality, fixed=True)
    promised.offers.add(offer(PAPER80["cpr"], "age80"))
    run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=PLANNED_ON)
    run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=PLANNED_ON)
    promised.refresh_from_db()
    assert (promised.start, promised.end) == (at(5, 1, 10), at(5, 1, 11))
    assert Visit.objects.count() == 2, "one promised visit and one for the couple, however often one plans"


def test_a_draft_outside_working_time_is_moved_into_a_shift(municipality: User) -> None:
    saturday = Visit.objects.create(start=at(9, 1, 10), end=at(9, 1, 11), consultant=municipality)
    saturday.offers.add(offer(PAPER80["cpr"], "age80"))
    run, _ = run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=PLANNED_ON)
    saturday.refresh_from_db()
    assert saturday.start.weekday() < 5, "the draft moved to a working day"
    assert run.summary["moved"] == 1
    latest, *older = saturday.history.all()
    assert latest.history_change_reason == "Planlagt af planlæggeren"
    assert any(h.start == at(9, 1, 10) for h in older), "the old time is kept in the history"


def test_a_promise_on_a_day_off_is_a_warning(municipality: User) -> None:
    sunday = Visit.objects.create(start=at(10, 1, 10), end=at(10, 1, 11), consultant=municipality, fixed=True)
    sunday.offers.add(offer(PAPER80["cpr"], "age80"))
    run, _ = run_plan(MONDAY, 2, seconds=0.5, standard=current_standard(), today=PLANNED_ON)
    (warning,) = run.warnings
    assert warning["reason"] == "promise_off_shift"
    assert warning["citizens"] == [{"cpr": PAPER80["cpr"], "name": PAPER80["name"]}]
    sunday.refresh_from_db()
    assert sunday.start == at(10, 1, 10), "a promise is never moved by the planner"


def test_dry_run_writes_nothing(municipality: User) -> None:
    _, plan = run_plan(MONDAY, 2, seconds=0.5, dry_run=True, standard=current_standard(), today=PLANNED_ON)
    assert len(plan.visits) == 2 and Visit.objects.count() == 0 and PlanRun.objects.count() == 0


def test_fhb_plan_command(municipality: User, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--from", "2027-01-04", "--weeks", "2", "--seconds", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "Plan 04.01.2027-17.01.2027: 2 besøg" in out
    assert "min pr. besøg" in out
    assert main(["plan", "--from", "2027-01-04", "--weeks", "30"]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "--from", "4. januar", "--weeks", "2"])
    assert exit_info.value.code == 2
