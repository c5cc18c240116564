"""One test per clause of Herning's standard (2022), through the engine. Plan year 2027, extract 1 January."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from eligibility_builders import (
    citizen,
    couple,
    d,
    event,
    home_care,
    only,
    population,
    rows,
    rows_of,
    standard_with,
)

from fhb.core.standard import load_standard

STD = "herning"


def test_herning_70_year_olds_living_alone_get_one_visit_with_a_set_date() -> None:
    anna = citizen("1957-06-15")
    row = only(rows(STD, population(anna)), anna)
    assert (row.group, row.decision, row.letter, row.response) == ("alone70", "offer", "with_time", "opt_out")
    assert "ensomhed" in row.clause


def test_herning_70_year_olds_not_living_alone_get_nothing() -> None:
    a, b = couple("1957-06-15", "1956-01-01")
    assert rows(STD, population(a, b)) == []


@pytest.mark.parametrize(("born", "group"), [("1952-08-01", "age75"), ("1947-08-01", "age80")])
def test_herning_75_and_80_year_olds_get_a_letter_with_a_date(born: str, group: str) -> None:
    bo = citizen(born)
    row = only(rows(STD, population(bo)), bo)
    assert (row.group, row.decision, row.letter) == (group, "offer", "with_time")


def test_herning_82_and_older_get_at_least_one_offer_every_year() -> None:
    carl = citizen("1930-01-05")
    for year in (2027, 2028):
        row = only(rows(STD, population(carl), year=year), carl)
        assert (row.group, row.decision, row.letter) == ("age82plus", "offer", "with_time")


def test_herning_82_year_olds_are_due_from_the_birthday() -> None:
    dora = citizen("1945-03-17")
    assert only(rows(STD, population(dora)), dora).due_from == d("2027-03-17")


def test_herning_widow_visit_about_10_to_12_weeks_after_the_loss() -> None:
    eva = citizen("1955-05-05")
    lost = d("2027-02-14")
    row = only(rows(STD, population(eva, events=[event(eva, "bereavement", lost)])), eva)
    assert (row.group, row.decision, row.trigger, row.rule_id) == (
        "risk",
        "offer",
        "bereavement",
        "risk.widow",
    )
    assert (row.due_from, row.due_to) == (lost + timedelta(days=70), lost + timedelta(days=84))
    assert row.letter == "with_time"


def test_herning_widow_visit_65_and_over_without_upper_age() -> None:
    finn = citizen("1935-05-05")  # 92
    decisions = rows(STD, population(finn, events=[event(finn, "bereavement", "2027-02-14")]))
    assert only(decisions, finn, "risk").decision == "offer"


def test_herning_widow_visit_not_before_65() -> None:
    gitte = citizen("1963-05-05")  # 63 when due
    assert rows(STD, population(gitte, events=[event(gitte, "bereavement", "2027-02-14")])) == []


def test_herning_relative_visit_6_to_8_weeks_after_spouse_moved_to_nursing_home() -> None:
    hans = citizen("1950-05-05")
    moved = d("2027-06-01")
    row = only(rows(STD, population(hans, events=[event(hans, "spouse_to_nursing_home", moved)])), hans)
    assert (row.group, row.trigger, row.rule_id) == ("risk", "spouse_to_nursing_home", "risk.relative")
    assert (row.due_from, row.due_to) == (moved + timedelta(weeks=6), moved + timedelta(weeks=8))


def test_herning_risk_group_has_no_other_triggers() -> None:
    ib = citizen("1955-05-05")
    pop = population(
        ib, events=[event(ib, "hospital_admission", "2027-01-05"), event(ib, "isolation", "2026-01-01")]
    )
    assert rows(STD, pop) == []


@pytest.mark.parametrize("born", ["1957-05-05", "1952-05-05", "1947-05-05", "1930-05-05"])
def test_herning_lasting_home_care_exempt_from_all_groups(born: str) -> None:
    jon = citizen(born)
    row = only(rows(STD, population(jon, events=home_care(jon))), jon)
    assert (row.decision, row.rule_id) == ("exempt", "exempt.home_care")
    assert row.reason.endswith("— gælder alle målgrupper")


def test_herning_home_care_exempts_widow_visit_too() -> None:
    kaj = citizen("1955-05-05")
    pop = population(kaj, events=[*home_care(kaj), event(kaj, "bereavement", "2027-02-14")])
    assert only(rows(STD, pop), kaj, "risk").decision == "exempt"


@pytest.mark.parametrize("born", ["1957-05-05", "1952-05-05", "1947-05-05", "1930-05-05"])
def test_herning_nursing_home_residents_exempt_from_all_groups(born: str) -> None:
    lone = citizen(born)
    row = only(rows(STD, population(lone, events=[event(lone, "nursing_home", "2025-09-01")])), lone)
    assert (row.decision, row.rule_id, row.letter) == ("exempt", "exempt.nursing_home", None)
    assert row.reason == "Undtaget: bor på plejecenter — gælder alle målgrupper"


def test_herning_visit_lasts_one_hour_also_for_couples() -> None:
    a, b = couple("1947-03-03", "1952-04-04")
    row = only(rows(STD, population(a, b)), a)
    assert (row.duration_min, row.couple_cpr) == (60, b.cpr)


def test_herning_reading_letter_with_date_governs_and_is_a_setting() -> None:
    def follow_web_page(raw: dict) -> None:  # type: ignore[type-arg]
        for group in raw["groups"]:
            group["letter"], group["response"] = "without_time", "opt_in"

    mia = citizen("1947-08-01")
    row = only(rows(standard_with(STD, follow_web_page), population(mia)), mia)
    assert (row.letter, row.response) == ("without_time", "opt_in")


def test_herning_cancellation_by_the_morning_of_the_day_and_a_new_visit() -> None:
    cancellation = load_standard(STD).cancellation
    assert cancellation is not None
    assert (cancellation.notice, cancellation.agree_new_visit) == ("morning_of_day", True)


def test_herning_interpreter_if_agreed_before_the_meeting() -> None:
    interpreter = load_standard(STD).interpreter
    assert interpreter is not None
    assert interpreter.available and interpreter.requires_prior_agreement


def test_herning_club_visits_for_65_plus() -> None:
    (clubs,) = load_standard(STD).activities
    assert (clubs.kind, clubs.min_age_years) == ("club_visit", 65)


def test_herning_a_citizen_who_declined_can_always_ask_later() -> None:
    requests = load_standard(STD).requests
    assert requests is not None and requests.declined_may_ask_later


def test_herning_closed_door_standard_letter() -> None:
    closed_door = load_standard(STD).closed_door
    assert closed_door is not None
    assert closed_door.steps[0].startswith("Læg et standardbrev")


def test_herning_has_no_visiting_hours_and_no_couple_length() -> None:
    standard = load_standard(STD)
    assert standard.visiting_hours is None
    assert standard.visit.couple_duration_min is None


def test_herning_dead_partner_at_address_leaves_a_70_year_old_living_alone() -> None:
    a, b = couple("1957-06-15", "1950-01-01")
    b = dataclasses.replace(b, death_date=d("2026-11-20"))
    decisions = rows(STD, population(a, b))
    assert only(decisions, a, "alone70").decision == "offer"
    assert only(decisions, a, "risk").trigger == "bereavement", "the spouse's death date is a bereavement"
    assert rows_of(decisions, b) == []
