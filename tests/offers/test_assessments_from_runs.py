"""Every by-need trigger of the three shipped standards becomes an assessment with its deadline, once.

The deadline is the standard's ``assess_within_days`` (14 unless the file says otherwise) from the day the
run learnt of it, inside the window, on a working day; a loss in December opens a window into January and
is one case, whichever plan year's run sees it first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.core.standard.schema import QualityStandard, TargetGroup, Trigger
from fhb.offers.actions import start_run
from fhb.offers.models import Assessment, Offer
from fhb.standards.current import standard_named
from tests.citizens.builders import citizens_csv, events_csv, person

pytestmark = pytest.mark.django_db

SHIPPED = ("hjoerring", "herning", "ishoej")

#: Turns 70 in 2027 and lives with a spouse: in every standard's 65-81 reach, in no plain group.
ANNA = person("0505571239", "Anna Vurdering", "adr-1", civil_status="G", spouse_cpr="0606551238")
HANS = person("0606551238", "Hans Vurdering", "adr-1", civil_status="G", spouse_cpr="0505571239")

#: The run learns of the event on Thursday 11 March 2027; 14 days on is Maundy Thursday (25 March), a
#: public holiday: the deadline is the working day before, Wednesday 24 March.
LEARNT = date(2027, 3, 11)
DEADLINE = date(2027, 3, 24)


def load(people: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    import_extract(
        ImportFile("citizens.csv", citizens_csv(people)),
        ImportFile("events.csv", events_csv(events)),
        force=True,
    )


def assessed_triggers(standard: QualityStandard) -> list[tuple[TargetGroup, Trigger]]:
    return [
        (group, trigger)
        for group in standard.groups
        for trigger in group.triggers
        if (trigger.decision or group.decision) == "assess"
    ]


def events_firing(trigger: Trigger, cpr: str) -> list[dict[str, Any]]:
    """Facts that open the trigger's window around 1 March 2027."""
    if trigger.anchor == "in_force":
        return [{"cpr": cpr, "kind": trigger.event, "start": "2026-06-01"}]
    if trigger.anchor == "end":
        return [{"cpr": cpr, "kind": trigger.event, "start": "2027-01-10", "end": "2027-03-01"}]
    if trigger.min_events > 1:
        return [
            {"cpr": cpr, "kind": trigger.event, "start": "2027-01-10", "end": "2027-01-14"},
            {"cpr": cpr, "kind": trigger.event, "start": "2027-03-01", "end": "2027-03-04"},
        ]
    return [{"cpr": cpr, "kind": trigger.event, "start": "2027-03-01"}]


CASES = [
    pytest.param(name, trigger.id, id=f"{name}:{trigger.id}")
    for name in SHIPPED
    for _group, trigger in assessed_triggers(standard_named(name))
]


def test_the_shipped_standards_have_by_need_triggers_to_assess() -> None:
    names = {case.values[0] for case in CASES}
    assert names == {"hjoerring", "ishoej"}, "Herning's triggers are offers; its referrals are tested apart"
    assert len(CASES) >= 8


@pytest.mark.parametrize(("name", "trigger_id"), CASES)
def test_every_by_need_trigger_becomes_an_assessment_with_its_deadline(name: str, trigger_id: str) -> None:
    standard = standard_named(name)
    group, trigger = next((g, t) for g, t in assessed_triggers(standard) if t.id == trigger_id)
    events = events_firing(trigger, ANNA["cpr"])
    if trigger.event == "bereavement":  # a loss: the spouse died on 1 March
        events = []
        people = [
            {**ANNA, "civil_status": "E", "civil_status_date": "2027-03-01"},
            {**HANS, "death_date": "2027-03-01"},
        ]
    else:
        people = [ANNA, HANS]
    load(people, events)
    start_run(2027, "daily", on=LEARNT, standard=standard)

    found = Assessment.objects.get(citizen__cpr=ANNA["cpr"], trigger=trigger.event)
    assert (found.group, found.origin, found.outcome) == (group.id, "run", "")
    assert found.known_on == LEARNT
    assert found.deadline == DEADLINE, f"{trigger_id}: {found.deadline} (window ends {found.due_to})"
    assert found.deadline.weekday() < 5
    assert found.decision is not None and found.decision.decision == Offer.Decision.ASSESS


def test_a_december_bereavement_is_assessed_in_the_following_plan_year() -> None:
    ishoej = standard_named("ishoej")
    load(
        [
            {**ANNA, "civil_status": "E", "civil_status_date": "2026-12-01"},
            {**HANS, "death_date": "2026-12-01"},
        ],
        [],
    )
    start_run(2027, "yearly", on=date(2027, 1, 4), standard=ishoej)
    found = Assessment.objects.get(citizen__cpr=ANNA["cpr"])
    assert found.year == 2027 and found.event_date == date(2026, 12, 1)
    # 12 weeks from the loss (DOMAIN.md): the window reaches 23 February 2027, not 31 December 2026.
    assert found.due_to == date(2027, 2, 23)
    assert found.deadline == date(2027, 1, 18)  # Monday 4 January + 14 days


def test_a_window_across_the_new_year_is_one_case_whichever_run_sees_it_first() -> None:
    ishoej = standard_named("ishoej")
    load(
        [
            {**ANNA, "civil_status": "E", "civil_status_date": "2026-12-01"},
            {**HANS, "death_date": "2026-12-01"},
        ],
        [],
    )
    start_run(2026, "daily", on=date(2026, 12, 2), standard=ishoej)
    start_run(2027, "yearly", on=date(2027, 1, 4), standard=ishoej)
    start_run(2027, "daily", on=date(2027, 1, 5), standard=ishoej)
    offers = Offer.objects.filter(citizen__cpr=ANNA["cpr"], trigger="bereavement")
    assert list(offers.values_list("year", "status")) == [(2026, "active")]
    assert Assessment.objects.filter(citizen__cpr=ANNA["cpr"]).count() == 1


def test_an_assessment_whose_decision_falls_away_is_closed_with_the_reason() -> None:
    ishoej = standard_named("ishoej")
    events = [{"cpr": ANNA["cpr"], "kind": "sensory_loss", "start": "2027-03-01"}]
    load([ANNA, HANS], events)
    start_run(2027, "daily", on=LEARNT, standard=ishoej)
    # She now receives both personal care and practical help: Ishøj exempts every group.
    help_ = [
        {"cpr": ANNA["cpr"], "kind": "personal_care", "start": "2027-03-05"},
        {"cpr": ANNA["cpr"], "kind": "practical_help", "start": "2027-03-05"},
    ]
    load([ANNA, HANS], events + help_)
    start_run(2027, "daily", on=date(2027, 3, 12), standard=ishoej)
    found = Assessment.objects.get(citizen__cpr=ANNA["cpr"])
    assert found.outcome == Assessment.Outcome.CLOSED
    assert "personlig og praktisk hjælp" in found.outcome_reason
