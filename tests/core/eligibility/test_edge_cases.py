"""Edge cases of ages, households, facts in force, dates and derived bereavements (any standard)."""

from __future__ import annotations

import dataclasses

import pytest
from eligibility_builders import citizen, couple, d, event, home_care, only, population, rows, rows_of

# --- birthdays ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "year", "due_from"),
    [
        ("1945-01-01", 2027, "2027-01-01"),  # 1 January: due from the start of the year
        ("1945-12-31", 2027, "2027-12-31"),  # 31 December: due on the last day
        ("1944-02-29", 2026, "2026-03-01"),  # 29 February; 82 years on is never a leap year: 1 March
        ("1948-02-29", 2030, "2030-03-01"),
        ("1946-02-28", 2028, "2028-02-28"),  # 28 February in a leap year stays 28 February
    ],
)
def test_turning_82_is_due_from_the_birthday(born: str, year: int, due_from: str) -> None:
    eva = citizen(born)
    row = only(rows("hjoerring", population(eva), year=year), eva, "age82plus")
    assert (row.due_from, row.due_to) == (d(due_from), d(f"{year}-12-31"))


def test_born_29_february_and_over_82_is_due_from_1_january() -> None:
    eva = citizen("1944-02-29")
    assert only(rows("herning", population(eva), year=2028), eva).due_from == d("2028-01-01")


def test_turning_82_late_in_the_year_is_due_from_the_birthday_only() -> None:
    finn = citizen("1945-12-20")
    row = only(rows("ishoej", population(finn)), finn)
    assert (row.due_from, row.due_to) == (d("2027-12-20"), d("2027-12-31"))
    assert row.reason.startswith("Målgruppe 4: fylder 82 den 2027-12-20")


@pytest.mark.parametrize("born", ["1957-01-01", "1957-12-31"])
def test_turning_70_on_1_january_or_31_december_is_in_the_year(born: str) -> None:
    anna = citizen(born)
    assert only(rows("hjoerring", population(anna)), anna).group == "alone70"


def test_turning_80_born_on_29_february_is_in_the_year_even_in_a_common_year() -> None:
    bo = citizen("1948-02-29")
    assert only(rows("hjoerring", population(bo), year=2028), bo).group == "age80"
    bo_common = citizen("1947-03-01")
    assert only(rows("hjoerring", population(bo_common)), bo_common).group == "age80"


# --- households ----------------------------------------------------------------------------------------


def test_a_17_year_old_at_the_address_does_not_count_against_living_alone() -> None:
    anna = citizen("1957-06-01", address="a")
    grandchild = citizen("2009-06-01", address="a")  # 17 on 1 January 2027
    assert only(rows("hjoerring", population(anna, grandchild)), anna).group == "alone70"


def test_an_18_year_old_at_the_address_counts_against_living_alone() -> None:
    anna = citizen("1957-06-01", address="a")
    grandchild = citizen("2008-12-31", address="a")  # 18 on 1 January 2027
    assert rows_of(rows("hjoerring", population(anna, grandchild)), anna) == []


def test_turning_18_on_the_extract_date_counts() -> None:
    anna = citizen("1957-06-01", address="a")
    grandchild = citizen("2009-03-01", address="a")
    assert rows_of(rows("hjoerring", population(anna, grandchild), on="2027-03-01"), anna) == []
    assert only(rows("hjoerring", population(anna, grandchild), on="2027-02-28"), anna).group == "alone70"


def test_a_co_resident_who_died_on_or_before_the_extract_date_does_not_count() -> None:
    anna = citizen("1957-06-01", address="a")
    for died, alone in (("2026-12-31", True), ("2027-01-01", True), ("2027-01-02", False)):
        brother = citizen("1950-01-01", address="a", death_date=d(died))
        found = rows_of(rows("hjoerring", population(anna, brother)), anna, "alone70")
        assert bool(found) is alone, f"co-resident died {died}"


def test_living_alone_is_judged_on_the_extract_date() -> None:
    anna = citizen("1957-06-01", address="a")
    lodger = citizen("1990-01-01", address="a", death_date=d("2027-05-01"))
    assert rows_of(rows("hjoerring", population(anna, lodger), on="2027-01-01"), anna) == []
    assert only(rows("hjoerring", population(anna, lodger), on="2027-06-01"), anna).group == "alone70"


# --- facts in force on the extract date -----------------------------------------------------------------


def test_home_care_that_ended_before_the_extract_date_does_not_exempt() -> None:
    carl = citizen("1947-05-05")
    pop = population(carl, events=home_care(carl, "2024-01-01", "2026-12-31"))
    assert only(rows("hjoerring", pop), carl).decision == "offer"


def test_home_care_ending_on_the_extract_date_still_exempts() -> None:
    carl = citizen("1947-05-05")
    pop = population(carl, events=home_care(carl, "2024-01-01", "2027-01-01"))
    assert only(rows("hjoerring", pop), carl).decision == "exempt"


def test_home_care_starting_after_the_extract_date_does_not_exempt() -> None:
    carl = citizen("1947-05-05")
    pop = population(carl, events=home_care(carl, "2027-02-01"))
    assert only(rows("hjoerring", pop), carl).decision == "offer"
    assert only(rows("hjoerring", pop, on="2027-03-01"), carl).decision == "exempt"


def test_nursing_home_in_force_on_the_extract_date_only() -> None:
    dora = citizen("1930-05-05")
    moved_out = [event(dora, "nursing_home", "2025-01-01", "2026-10-01")]
    assert only(rows("herning", population(dora, events=moved_out)), dora).decision == "offer"


# --- death -----------------------------------------------------------------------------------------------


def test_a_dead_citizen_gets_no_row_and_with_all_a_row_saying_so() -> None:
    eva = citizen("1947-05-05", death_date=d("2026-11-11"))
    assert rows("hjoerring", population(eva)) == []
    row = only(rows("hjoerring", population(eva), include_all=True), eva)
    assert (row.group, row.decision, row.letter, row.reason) == (
        "none",
        "exempt",
        None,
        "Død 2026-11-11: ingen tilbud",
    )


def test_death_on_the_extract_date_counts_as_dead() -> None:
    eva = citizen("1947-05-05", death_date=d("2027-01-01"))
    assert rows("hjoerring", population(eva)) == []


# --- bereavement from several sources -------------------------------------------------------------------


def test_bereavement_from_civil_status_alone() -> None:
    finn = citizen("1955-01-01", civil_status="E", civil_status_date=d("2027-04-04"))
    row = only(rows("hjoerring", population(finn)), finn)
    assert (row.trigger, row.trigger_date) == ("bereavement", d("2027-04-04"))
    assert "civilstand" in row.reason


def test_surviving_partner_civil_status_l_is_a_bereavement() -> None:
    finn = citizen("1955-01-01", civil_status="L", civil_status_date=d("2027-04-04"))
    assert only(rows("herning", population(finn)), finn).trigger == "bereavement"


def test_bereavement_from_civil_status_and_from_events_is_one_row() -> None:
    finn = citizen("1955-01-01", civil_status="E", civil_status_date=d("2027-04-04"))
    pop = population(finn, events=[event(finn, "bereavement", "2027-04-04")])
    row = only(rows("hjoerring", pop), finn)
    assert "civilstand, events.csv" in row.reason


def test_bereavement_from_spouse_death_civil_status_and_events_is_one_row() -> None:
    a, b = couple("1955-01-01", "1950-01-01")
    b = dataclasses.replace(b, death_date=d("2027-04-04"))
    a = dataclasses.replace(a, civil_status="E", civil_status_date=d("2027-04-04"))
    pop = population(a, b, events=[event(a, "bereavement", "2027-04-04")])
    decisions = rows("hjoerring", pop)
    assert len(rows_of(decisions, a, "risk")) == 1
    assert rows_of(decisions, b) == []


def test_spouse_death_found_from_the_other_side() -> None:
    survivor = citizen("1955-01-01")  # names no spouse
    deceased = citizen("1950-01-01", spouse_cpr=survivor.cpr, death_date=d("2027-02-02"))
    row = only(rows("hjoerring", population(survivor, deceased)), survivor)
    assert (row.trigger, row.trigger_date) == ("bereavement", d("2027-02-02"))


def test_two_losses_on_different_dates_are_two_rows() -> None:
    finn = citizen("1955-01-01", civil_status="E", civil_status_date=d("2027-09-09"))
    pop = population(finn, events=[event(finn, "bereavement", "2027-02-02")])
    assert len(rows_of(rows("hjoerring", pop), finn, "risk")) == 2


def test_a_trigger_window_overlapping_the_new_year_is_listed_in_the_plan_year() -> None:
    gerd = citizen("1955-01-01")
    december = population(gerd, events=[event(gerd, "bereavement", "2026-12-01")])
    row = only(rows("hjoerring", december), gerd)
    assert (row.due_from, row.due_to) == (d("2027-01-12"), d("2027-01-26"))
    october = population(gerd, events=[event(gerd, "bereavement", "2026-10-01")])
    assert rows("hjoerring", october) == [], "the window ended in 2026"


def test_bereavement_from_civil_status_is_a_setting() -> None:
    from eligibility_builders import standard_with

    def events_only(raw: dict) -> None:  # type: ignore[type-arg]
        raw["facts"]["bereavement_from_civil_status"] = False

    finn = citizen("1955-01-01", civil_status="E", civil_status_date=d("2027-04-04"))
    assert rows(standard_with("hjoerring", events_only), population(finn)) == []


# --- couples -----------------------------------------------------------------------------------------------


def test_couple_found_from_civil_status_at_one_address_without_spouse_cpr() -> None:
    a = citizen("1947-01-01", address="h", civil_status="G")
    b = citizen("1952-01-01", address="h", civil_status="G")
    decisions = rows("hjoerring", population(a, b))
    assert only(decisions, a).couple_cpr == b.cpr
    assert only(decisions, a).duration_min == 90


def test_spouses_at_different_addresses_are_not_a_couple_visit() -> None:
    a, b = couple("1947-01-01", "1952-01-01")
    b = dataclasses.replace(b, address_id="elsewhere")
    assert only(rows("hjoerring", population(a, b)), a).couple_cpr is None


def test_on_defaults_to_1_january_of_the_plan_year() -> None:
    carl = citizen("1947-05-05")
    pop = population(carl, events=home_care(carl, "2027-01-01", "2027-01-01"))
    assert rows("hjoerring", pop) == rows("hjoerring", pop, on="2027-01-01")
    assert only(rows("hjoerring", pop), carl).decision == "exempt"


def test_output_is_sorted_by_cpr_group_and_due_from() -> None:
    people = [citizen(born) for born in ("1947-05-05", "1930-01-01", "1957-02-02", "1952-03-03")]
    events = [event(people[1], "bereavement", "2027-06-01"), event(people[1], "bereavement", "2027-01-05")]
    decisions = rows("hjoerring", population(*people, events=events))
    keys = [(x.cpr, x.group, x.due_from) for x in decisions]
    assert keys == sorted(keys)
