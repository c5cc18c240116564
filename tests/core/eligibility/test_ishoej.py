"""One test per clause of Ishøj's standard (2020), through the engine. Plan year 2027, extract 1 January."""

from __future__ import annotations

from datetime import time

import pytest
from eligibility_builders import (
    citizen,
    couple,
    d,
    event,
    group_of,
    home_care,
    only,
    population,
    rows,
    rows_of,
    standard_with,
)

from fhb.core.standard import load_standard

STD = "ishoej"


def test_ishoej_group1_living_alone_turning_70_personal_letter_citizen_calls() -> None:
    anna = citizen("1957-02-01")
    row = only(rows(STD, population(anna)), anna)
    assert (row.group, row.decision, row.letter, row.response) == (
        "alone70",
        "offer",
        "without_time",
        "opt_in",
    )


def test_ishoej_group2_turning_75_letter_without_time_followed_up_after_3_months() -> None:
    bo = citizen("1952-02-01")
    row = only(rows(STD, population(bo)), bo)
    assert (row.group, row.letter, row.response) == ("age75", "without_time", "opt_in")
    assert row.follow_up_months == 3


def test_ishoej_group3_turning_80_letter_with_a_proposed_time() -> None:
    carl = citizen("1947-02-01")
    row = only(rows(STD, population(carl)), carl)
    assert (row.group, row.letter, row.follow_up_months) == ("age80", "with_time", None)


def test_ishoej_group4_82_and_over_yearly_letter_with_a_set_time() -> None:
    dora = citizen("1939-02-01")
    row = only(rows(STD, population(dora)), dora)
    assert (row.group, row.letter, row.response) == ("age82plus", "with_time", "opt_out")


def test_ishoej_reading_75_year_olds_without_time_is_a_setting() -> None:
    def follow_point_3(raw: dict) -> None:  # type: ignore[type-arg]
        group_of(raw, "age75").update(letter="with_time", response="opt_out")

    bo = citizen("1952-02-01")
    assert only(rows(standard_with(STD, follow_point_3), population(bo)), bo).letter == "with_time"


def test_ishoej_special_needs_loss_of_spouse_is_assessed_individually() -> None:
    eva = citizen("1955-05-05")
    row = only(rows(STD, population(eva, events=[event(eva, "bereavement", "2027-04-01")])), eva)
    assert (row.group, row.decision, row.letter, row.trigger) == ("risk", "assess", None, "bereavement")
    assert (row.due_from, row.due_to) == (d("2027-04-01"), d("2027-06-24"))  # 12 weeks (DOMAIN.md)


def test_ishoej_a_december_bereavement_is_assessed_in_the_following_plan_year() -> None:
    eva = citizen("1955-05-05")
    row = only(rows(STD, population(eva, events=[event(eva, "bereavement", "2026-12-01")])), eva)
    assert (row.group, row.decision, row.trigger) == ("risk", "assess", "bereavement")
    assert (row.trigger_date, row.due_from, row.due_to) == (d("2026-12-01"), d("2026-12-01"), d("2027-02-23"))


def test_ishoej_special_needs_repeated_hospital_admissions() -> None:
    finn = citizen("1955-05-05")
    once = [event(finn, "hospital_admission", "2027-02-01", "2027-02-05")]
    assert rows(STD, population(finn, events=once)) == [], "one admission is not 'gentagne'"
    twice = [*once, event(finn, "hospital_admission", "2027-05-10", "2027-05-12")]
    row = only(rows(STD, population(finn, events=twice)), finn)
    assert (row.decision, row.trigger, row.due_from) == ("assess", "hospital_admission", d("2027-05-10"))
    apart = [*once, event(finn, "hospital_admission", "2028-03-01")]
    assert rows(STD, population(finn, events=apart), year=2028) == [], "more than 52 weeks apart"


def test_ishoej_special_needs_serious_illness() -> None:
    gitte = citizen("1950-05-05")
    row = only(rows(STD, population(gitte, events=[event(gitte, "serious_illness", "2027-09-09")])), gitte)
    assert (row.decision, row.trigger) == ("assess", "serious_illness")


def test_ishoej_special_needs_isolation_while_in_force() -> None:
    hans = citizen("1950-05-05")
    row = only(rows(STD, population(hans, events=[event(hans, "isolation", "2025-06-01")])), hans)
    assert (row.decision, row.trigger, row.due_from, row.due_to) == (
        "assess",
        "isolation",
        d("2027-01-01"),
        d("2027-12-31"),
    )
    ended = [event(hans, "isolation", "2025-06-01", "2026-06-01")]
    assert rows(STD, population(hans, events=ended)) == []


def test_ishoej_special_needs_isolation_from_sensory_loss() -> None:
    ib = citizen("1950-05-05")
    row = only(rows(STD, population(ib, events=[event(ib, "sensory_loss", "2027-03-03")])), ib)
    assert (row.decision, row.trigger) == ("assess", "sensory_loss")


@pytest.mark.parametrize("born", ["1944-05-05", "1963-05-05"])  # 82/83 and 63/64 when due
def test_ishoej_special_needs_only_for_65_to_81(born: str) -> None:
    jon = citizen(born)
    decisions = rows(STD, population(jon, events=[event(jon, "serious_illness", "2027-06-01")]))
    assert rows_of(decisions, jon, "risk") == []


@pytest.mark.parametrize("born", ["1957-05-05", "1952-05-05", "1947-05-05", "1930-05-05"])
def test_ishoej_home_care_not_offered_automatically_in_any_group(born: str) -> None:
    kaj = citizen(born)
    row = only(rows(STD, population(kaj, events=home_care(kaj))), kaj)
    assert (row.decision, row.rule_id) == ("exempt", "exempt.home_care")


def test_ishoej_citizen_who_declined_all_future_offers_gets_none() -> None:
    lis = citizen("1947-05-05")
    row = only(rows(STD, population(lis, events=[event(lis, "declined_all", "2025-03-03")])), lis)
    assert (row.decision, row.rule_id, row.letter) == ("exempt", "exempt.declined_all", None)


def test_ishoej_dementia_goes_to_dementia_coordinator() -> None:
    mads = citizen("1947-05-05")
    row = only(rows(STD, population(mads, events=[event(mads, "dementia", "2026-10-10")])), mads)
    assert (row.decision, row.rule_id, row.letter) == ("dementia_coordinator", "handover.dementia", None)
    assert row.reason.startswith("Demenskoordinatoren overtager: demens")


def test_ishoej_dementia_under_assessment_counts_too() -> None:
    mads = citizen("1947-05-05")
    pop = population(mads, events=[event(mads, "dementia", "2026-12-01")])  # udredning: a dementia fact
    assert only(rows(STD, pop), mads).decision == "dementia_coordinator"


def test_ishoej_dementia_spouse_goes_to_dementia_coordinator() -> None:
    a, b = couple("1947-05-05", "1944-06-06")  # 80 and 83
    decisions = rows(STD, population(a, b, events=[event(b, "dementia", "2026-01-01")]))
    row_a, row_b = only(decisions, a), only(decisions, b)
    assert row_b.decision == "dementia_coordinator"
    assert row_a.decision == "dementia_coordinator", "the spouse's visits are taken over too"
    assert f"hos ægtefællen {b.cpr}" in row_a.reason


def test_ishoej_dementia_that_ended_before_the_extract_date_does_not_hand_over() -> None:
    nina = citizen("1947-05-05")
    pop = population(nina, events=[event(nina, "dementia", "2025-01-01", "2026-06-30")])
    assert only(rows(STD, pop), nina).decision == "offer"


def test_ishoej_couple_in_groups_2_and_3_one_letter_each_without_a_set_time() -> None:
    a, b = couple("1947-05-05", "1952-06-06")  # 80 and 75
    decisions = rows(STD, population(a, b))
    row_a, row_b = only(decisions, a), only(decisions, b)
    assert (row_a.letter, row_a.response, row_a.joint_letter) == ("without_time", "opt_in", False)
    assert (row_b.letter, row_b.joint_letter) == ("without_time", False)
    assert row_a.couple_cpr == b.cpr
    assert "couples.letters" in row_a.modifiers


def test_ishoej_couple_with_partner_outside_groups_2_and_3_keeps_the_proposed_time() -> None:
    a, b = couple("1947-05-05", "1940-06-06")  # 80 and 87
    decisions = rows(STD, population(a, b))
    assert only(decisions, a).letter == "with_time"
    assert only(decisions, b).letter == "with_time"


def test_ishoej_reading_joint_letter_is_a_setting() -> None:
    def joint(raw: dict) -> None:  # type: ignore[type-arg]
        raw["couples"]["joint_letter"] = True

    a, b = couple("1947-05-05", "1952-06-06")
    row = only(rows(standard_with(STD, joint), population(a, b)), a)
    assert (row.letter, row.joint_letter) == ("without_time", True)


def test_ishoej_visits_on_weekdays_from_0930_to_1600() -> None:
    hours = load_standard(STD).visiting_hours
    assert hours is not None
    assert hours.weekdays == ["mon", "tue", "wed", "thu", "fri"]
    assert (hours.start, hours.end) == (time(9, 30), time(16, 0))


def test_ishoej_visit_planned_for_one_hour() -> None:
    assert load_standard(STD).visit.duration_min == 60
    carl = citizen("1947-02-01")
    assert only(rows(STD, population(carl)), carl).duration_min == 60


def test_ishoej_approved_february_2020() -> None:
    approval = load_standard(STD).approval
    assert (approval.date, approval.date_precision, approval.body) == (
        d("2020-02-01"),
        "month",
        "Social- og Sundhedsudvalget",
    )
