"""One test per clause of Hjørring's standard (2024), through the engine. Plan year 2027, extract 1 Jan."""

from __future__ import annotations

from datetime import timedelta

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

STD = "hjoerring"


def test_hjoerring_group1_living_alone_turning_70_gets_opt_in_letter() -> None:
    anna = citizen("1957-06-15")
    row = only(rows(STD, population(anna)), anna)
    assert (row.group, row.decision, row.letter, row.response) == (
        "alone70",
        "offer",
        "without_time",
        "opt_in",
    )
    assert (row.due_from, row.due_to) == (d("2027-01-01"), d("2027-12-31"))
    assert row.rule_id == "alone70"
    assert (
        row.reason
        == "Målgruppe 1: bor alene og fylder 70 i 2027 — tilbud uden fastlagt tidspunkt (tilmelding)"
    )
    assert "bor alene" in row.clause


def test_hjoerring_group1_turning_70_with_another_adult_at_the_address_gets_nothing() -> None:
    anna = citizen("1957-06-15", address="a")
    brother = citizen("1950-01-01", address="a")
    assert rows_of(rows(STD, population(anna, brother)), anna) == []


def test_hjoerring_group1_living_alone_not_exempt_by_home_care() -> None:
    anna = citizen("1957-06-15")
    row = only(rows(STD, population(anna, events=home_care(anna))), anna)
    assert (row.group, row.decision) == ("alone70", "offer"), "the exemption names groups 2-5 only"


def test_hjoerring_group2_turning_75_gets_letter_inviting_to_seniormesse_opt_in() -> None:
    bent = citizen("1952-11-30")
    row = only(rows(STD, population(bent)), bent)
    assert (row.group, row.decision, row.letter, row.response) == ("age75", "offer", "without_time", "opt_in")
    assert row.invitation == "seniormesse"
    assert "seniormesse" in row.clause


def test_hjoerring_group2_turning_75_does_not_need_to_live_alone() -> None:
    a, b = couple("1952-03-01", "1940-03-01")
    assert only(rows(STD, population(a, b)), a, "age75").decision == "offer"


def test_hjoerring_group3_turning_80_gets_letter_with_date_and_time_opt_out() -> None:
    carl = citizen("1947-04-02")
    row = only(rows(STD, population(carl)), carl)
    assert (row.group, row.decision, row.letter, row.response) == ("age80", "offer", "with_time", "opt_out")
    assert row.reason == "Målgruppe 3: fylder 80 i 2027 — tilbud med besøgsdato og tidspunkt (framelding)"


def test_hjoerring_group4_82_and_over_get_a_yearly_opt_in_letter() -> None:
    dora = citizen("1940-09-09")  # 87 in 2027
    row = only(rows(STD, population(dora)), dora)
    assert (row.group, row.decision, row.letter, row.response) == (
        "age82plus",
        "offer",
        "without_time",
        "opt_in",
    )
    assert (row.due_from, row.due_to) == (d("2027-01-01"), d("2027-12-31"))
    again = only(rows(STD, population(dora), year=2028), dora)
    assert again.group == "age82plus", "the offer comes every year"


def test_hjoerring_group4_turning_82_is_due_from_the_birthday() -> None:
    eva = citizen("1945-10-20")
    row = only(rows(STD, population(eva)), eva)
    assert (row.group, row.due_from, row.due_to) == ("age82plus", d("2027-10-20"), d("2027-12-31"))


@pytest.mark.parametrize(
    ("born", "group"), [("1952-05-05", "age75"), ("1947-05-05", "age80"), ("1935-05-05", "age82plus")]
)
def test_hjoerring_exemption_home_care_applies_to_groups_2_to_5(born: str, group: str) -> None:
    finn = citizen(born)
    row = only(rows(STD, population(finn, events=home_care(finn))), finn)
    assert (row.group, row.decision, row.letter) == (group, "exempt", None)
    assert row.rule_id == "exempt.home_care"
    assert row.reason == (
        "Undtaget: modtager både personlig pleje og praktisk hjælp (SEL § 83) — gælder målgruppe 2–5"
    )


def test_hjoerring_exemption_home_care_applies_to_group5_risk() -> None:
    gerd = citizen("1955-05-05")  # 72, not in an age group
    pop = population(gerd, events=[*home_care(gerd), event(gerd, "bereavement", "2027-03-01")])
    row = only(rows(STD, pop), gerd, "risk")
    assert row.decision == "exempt"
    assert row.trigger == "bereavement"


def test_hjoerring_exemption_needs_both_personal_care_and_practical_help() -> None:
    hans = citizen("1947-05-05")
    row = only(rows(STD, population(hans, events=[event(hans, "practical_help", "2020-01-01")])), hans)
    assert row.decision == "offer", "practical help alone does not exempt"


def test_hjoerring_group5_bereavement_contact_6_to_8_weeks_after() -> None:
    ida = citizen("1955-02-02")
    lost = d("2027-03-10")
    row = only(rows(STD, population(ida, events=[event(ida, "bereavement", lost)])), ida)
    assert (row.group, row.decision, row.letter, row.trigger) == ("risk", "offer", "with_time", "bereavement")
    assert row.due_from == lost + timedelta(days=42)
    assert row.due_to == lost + timedelta(days=56)
    assert row.rule_id == "risk.bereavement"
    assert row.trigger_date == lost


def test_hjoerring_group5_from_65_without_upper_age() -> None:
    jens = citizen("1937-02-02")  # 90
    decisions = rows(STD, population(jens, events=[event(jens, "bereavement", "2027-03-10")]))
    assert only(decisions, jens, "risk").decision == "offer"
    assert only(decisions, jens, "age82plus").decision == "offer", (
        "a risk row comes on top of the yearly offer"
    )


def test_hjoerring_group5_under_65_is_not_in_the_risk_group() -> None:
    karen = citizen("1970-02-02")
    assert rows(STD, population(karen, events=[event(karen, "bereavement", "2027-03-10")])) == []


@pytest.mark.parametrize("kind", ["rehabilitation", "chronic_rehab"])
def test_hjoerring_group5_rehabilitation_end_visit_6_to_8_weeks_after_end(kind: str) -> None:
    lis = citizen("1956-08-08")
    ended = d("2027-05-31")
    row = only(rows(STD, population(lis, events=[event(lis, kind, "2027-03-01", ended)])), lis)
    assert (row.decision, row.letter, row.trigger) == ("offer", "with_time", kind)
    assert (row.due_from, row.due_to) == (ended + timedelta(weeks=6), ended + timedelta(weeks=8))


def test_hjoerring_group5_rehabilitation_still_running_triggers_nothing() -> None:
    lis = citizen("1956-08-08")
    assert rows(STD, population(lis, events=[event(lis, "rehabilitation", "2027-03-01")])) == []


@pytest.mark.parametrize("kind", ["retraining", "lifestyle_course", "home_nursing"])
def test_hjoerring_group5_retraining_lifestyle_course_home_nursing_end_by_need_is_assessed(kind: str) -> None:
    mads = citizen("1956-08-08")
    ended = d("2027-04-15")
    row = only(rows(STD, population(mads, events=[event(mads, kind, "2027-01-10", ended)])), mads)
    assert (row.group, row.decision, row.letter, row.trigger) == ("risk", "assess", None, kind)
    # By need with no stated time: 12 weeks from the end (DOMAIN.md), not cut at 31 December.
    assert (row.due_from, row.due_to) == (ended, ended + timedelta(weeks=12))


def test_hjoerring_group5_new_refugee_over_65_by_need_is_assessed() -> None:
    nour = citizen("1958-01-20")
    row = only(rows(STD, population(nour, events=[event(nour, "refugee", "2027-02-01")])), nour)
    assert (row.decision, row.trigger, row.due_from) == ("assess", "refugee", d("2027-02-01"))
    young = citizen("1965-01-20")  # 62
    assert rows(STD, population(young, events=[event(young, "refugee", "2027-02-01")])) == []


def test_hjoerring_visit_lasts_about_one_hour() -> None:
    ole = citizen("1947-01-01")
    assert only(rows(STD, population(ole)), ole).duration_min == 60


def test_hjoerring_couple_both_in_target_group_visit_lasts_90_minutes() -> None:
    a, b = couple("1947-03-03", "1952-04-04")  # 80 and 75
    decisions = rows(STD, population(a, b))
    row_a, row_b = only(decisions, a), only(decisions, b)
    assert (row_a.duration_min, row_a.couple_cpr) == (90, b.cpr)
    assert (row_b.duration_min, row_b.couple_cpr) == (90, a.cpr)
    assert "visit" in row_a.modifiers


def test_hjoerring_couple_with_partner_outside_target_groups_visit_lasts_60_minutes() -> None:
    a, b = couple("1947-03-03", "1955-04-04")  # 80 and 72
    row = only(rows(STD, population(a, b)), a)
    assert (row.duration_min, row.couple_cpr) == (60, None)


def test_hjoerring_couple_with_exempt_partner_is_not_a_couple_visit() -> None:
    a, b = couple("1947-03-03", "1952-04-04")
    row = only(rows(STD, population(a, b, events=home_care(b))), a)
    assert row.duration_min == 60, "an exempt partner is not offered a visit"


def test_hjoerring_reading_exemption_groups_2_to_5_is_a_setting() -> None:
    def exempt_group1_too(raw: dict) -> None:  # type: ignore[type-arg]
        raw["exemptions"][0]["applies_to"].append("alone70")

    anna = citizen("1957-06-15")
    row = only(rows(standard_with(STD, exempt_group1_too), population(anna, events=home_care(anna))), anna)
    assert row.decision == "exempt"


def test_hjoerring_reading_risk_group_without_upper_age_is_a_setting() -> None:
    def law_bounds(raw: dict) -> None:  # type: ignore[type-arg]
        group_of(raw, "risk")["age"]["max_years"] = 81

    jens = citizen("1937-02-02")
    decisions = rows(
        standard_with(STD, law_bounds), population(jens, events=[event(jens, "bereavement", "2027-03-10")])
    )
    assert rows_of(decisions, jens, "risk") == []


def test_hjoerring_seniormesse_yearly_3_hours_for_the_new_75_year_olds() -> None:
    (fair,) = load_standard(STD).activities
    assert (fair.id, fair.kind, fair.duration_min) == ("seniormesse", "senior_fair", 180)
    # The fair is for the new 75-year-olds: their group's letter invites to it.
    assert load_standard(STD).group("age75").invitation == "seniormesse"


def test_hjoerring_requests_65_to_79_and_81_may_ask_answered_within_3_weeks() -> None:
    requests = load_standard(STD).requests
    assert requests is not None
    assert [(r.min_years, r.max_years) for r in requests.age_ranges] == [(65, 79), (81, 81)]
    assert requests.deadline_days == 21
    assert set(requests.who_may_ask) == {"citizen", "relative_with_consent", "staff_with_consent"}


def test_hjoerring_closed_door_procedure_knock_twice_phone_note_journal() -> None:
    closed_door = load_standard(STD).closed_door
    assert closed_door is not None
    assert len(closed_door.steps) == 3
    assert closed_door.journal_note


def test_hjoerring_quality_goals_groups_1_to_4_all_offered_group_5_by_need() -> None:
    goals = {goal.groups[0]: goal.goal for goal in load_standard(STD).quality_goals}
    assert goals == {
        "alone70": "all_offered_in_year",
        "age75": "all_offered_in_year",
        "age80": "all_offered_in_year",
        "age82plus": "all_offered_in_year",
        "risk": "offered_by_need",
    }


def test_hjoerring_statistics_of_offered_and_completed_visits() -> None:
    statistics = load_standard(STD).statistics
    assert statistics is not None
    assert statistics.measures == ["offered", "completed"]


def test_hjoerring_scope_citizens_outside_the_groups_get_no_row() -> None:
    pia = citizen("1956-06-06")  # 71
    assert rows(STD, population(pia)) == []
    row = only(rows(STD, population(pia), include_all=True), pia)
    assert (row.group, row.decision, row.rule_id) == ("none", "exempt", "scope")
    assert row.reason.startswith("Ikke i nogen målgruppe: fylder 71 i 2027")
