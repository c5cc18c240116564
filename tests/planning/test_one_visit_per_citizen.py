"""One visit per citizen per period (issue 19): a citizen in two target groups whose windows overlap gets
one visit, of one citizen's length, in the days the windows share; a couple still shares one visit of the
couple's length; windows apart still give two visits; a draft visit takes a new overlapping offer, a promised
one does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.offers.actions import start_run
from fhb.offers.models import Offer
from fhb.planning.actions import run_plan
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.citizens.builders import person
from tests.letters.world import at, load
from tests.planning.test_plan_service import team

pytestmark = pytest.mark.django_db

# Turns 80 in 2027 (Målgruppe 3: a letter with a time, all year) and ends a rehabilitation (SEL § 83 a) on
# 1 February: Målgruppe 5 offers her a visit 6-8 weeks later (15-29 March), also with a time.
RUTH = person("1010471234", "Ruth Tovej", "adr-7", civil_status="G", spouse_cpr="1111471235")
SVEND = person("1111471235", "Svend Tovej", "adr-7", civil_status="G", spouse_cpr="1010471234")
ALONE = person("1010471234", "Ruth Tovej", "adr-7")
REHAB = {"cpr": RUTH["cpr"], "kind": "rehabilitation", "start": "2026-11-02", "end": "2027-02-01"}
RISK_WINDOW = (dt.date(2027, 3, 15), dt.date(2027, 3, 29))
# 72 in 2027 (no age group): two rehabilitations ending two months apart give two windows that never meet.
KARL = person("1212551236", "Karl Tofold", "adr-8")
TWO_COURSES = (
    {"cpr": KARL["cpr"], "kind": "rehabilitation", "start": "2026-11-02", "end": "2027-02-01"},
    {"cpr": KARL["cpr"], "kind": "chronic_rehab", "start": "2027-01-04", "end": "2027-04-01"},
)
FIRST, TODAY = dt.date(2027, 3, 1), dt.date(2027, 1, 4)


def municipality(people: list[dict[str, Any]], events: tuple[dict[str, Any], ...]) -> User:
    load(people, events=events)
    start_run(2027, "yearly", on=dt.date(2027, 1, 1), standard=current_standard())
    return team()


def plan(weeks: int = 6) -> dict[str, Any]:
    run, _ = run_plan(FIRST, weeks, seconds=0.5, standard=current_standard(), today=TODAY)
    return run.summary


def offers_of(who: dict[str, Any]) -> list[Offer]:
    return list(
        Offer.objects.filter(citizen__cpr=who["cpr"], status=Offer.Status.ACTIVE).order_by("due_from")
    )


def test_a_citizen_in_two_groups_gets_one_visit_of_her_own_length_in_the_days_both_windows_share() -> None:
    municipality([ALONE], (REHAB,))
    age80, risk = offers_of(ALONE)
    assert (age80.group, risk.group, risk.trigger) == ("age80", "risk", "rehabilitation")
    summary = plan()
    visit = Visit.objects.get()
    assert set(visit.offers.all()) == {age80, risk}, "both offers are answered by the one visit"
    assert visit.end - visit.start == dt.timedelta(minutes=60), "one citizen: the single length, not 1½ hours"
    assert RISK_WINDOW[0] <= visit.start.date() <= RISK_WINDOW[1], "in the rehabilitation's window"
    assert summary["created"] == 1


def test_a_couple_where_one_spouse_has_two_offers_gets_one_visit_of_the_couples_length() -> None:
    municipality([RUTH, SVEND], (REHAB,))
    ruth, svend = offers_of(RUTH), offers_of(SVEND)
    assert len(ruth) == 2 and len(svend) == 1
    plan()
    visit = Visit.objects.get()
    assert set(visit.offers.all()) == {*ruth, *svend}
    assert visit.end - visit.start == dt.timedelta(minutes=90), "two citizens: Hjørring's couple length"
    assert RISK_WINDOW[0] <= visit.start.date() <= RISK_WINDOW[1]


def test_one_citizens_offers_with_windows_apart_get_a_visit_each() -> None:
    municipality([KARL], TWO_COURSES)
    first, second = offers_of(KARL)
    assert first.due_to < second.due_from, (first.due_to, second.due_from)
    plan(weeks=13)
    visits = list(Visit.objects.order_by("start"))
    assert [list(v.offers.all()) for v in visits] == [[first], [second]]
    for visit, offer in zip(visits, (first, second), strict=True):
        assert offer.due_from <= visit.start.date() <= offer.due_to
        assert visit.end - visit.start == dt.timedelta(minutes=60)


def risk_offer(citizen: Citizen) -> Offer:
    """Målgruppe 5's offer after a rehabilitation that became known after the yearly run."""
    return Offer.objects.create(
        citizen=citizen,
        year=2027,
        group="risk",
        trigger="rehabilitation",
        decision=Offer.Decision.OFFER,
        letter=Offer.Letter.WITH_TIME,
        response=Offer.Response.OPT_OUT,
        due_from=RISK_WINDOW[0],
        due_to=RISK_WINDOW[1],
        reason="Målgruppe 5: afsluttet rehabiliteringsforløb",
        rule_id="risk.rehabilitation",
        duration_min=60,
    )


def test_a_new_offer_joins_her_draft_visit_which_moves_into_the_shared_window() -> None:
    karen = municipality([ALONE], ())
    (age80,) = offers_of(ALONE)
    draft = Visit.objects.create(start=at(3, 3, 10), end=at(3, 3, 11), consultant=karen)
    draft.offers.add(age80)
    risk = risk_offer(age80.citizen)
    summary = plan()
    assert Visit.objects.get() == draft, "no second visit"
    draft.refresh_from_db()
    assert set(draft.offers.all()) == {age80, risk}
    assert RISK_WINDOW[0] <= draft.start.date() <= RISK_WINDOW[1], "the draft moved into the shared days"
    assert draft.end - draft.start == dt.timedelta(minutes=60)
    assert summary["joined"] == 1 and summary["created"] == 0


def test_a_new_offer_beside_a_promised_visit_gets_its_own_and_the_report_names_her() -> None:
    karen = municipality([ALONE], ())
    (age80,) = offers_of(ALONE)
    promised = Visit.objects.create(start=at(22, 3, 10), end=at(22, 3, 11), consultant=karen, fixed=True)
    promised.offers.add(age80)
    risk = risk_offer(age80.citizen)
    summary = plan()
    assert list(promised.offers.all()) == [age80], "a promise is not changed behind the citizen's back"
    assert risk.visits.get() != promised
    assert summary["beside_promised"] == [
        {"cpr": ALONE["cpr"], "name": "Ruth Tovej", "visit": promised.pk, "start": "2027-03-22T10:00"}
    ]
