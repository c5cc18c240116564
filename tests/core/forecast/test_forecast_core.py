"""The forecast on tiny hand-made populations, where every expected figure is computed by hand."""

from __future__ import annotations

from datetime import date

import pytest
from forecast_builders import (
    DATA,
    FLAT,
    alive,
    couple,
    fixed_rates,
    mini,
    person,
    population,
    shipped,
    years_to,
)

from fhb.core.forecast import Rate, Rates, apply_preset, forecast, load_mortality
from fhb.core.forecast.rates import (
    DEFAULT_ACCEPTANCE_OPT_IN,
    DEFAULT_ACCEPTANCE_OPT_OUT,
    DEFAULT_DRIVE_MIN,
    DEFAULT_PRODUCTIVE_HOURS,
    DEFAULT_RISK_PER_1000,
    trigger_group_ages,
)
from fhb.core.population.model import Event
from fhb.core.standard import load_standard, parse_standard

ON = date(2027, 1, 1)


def rows(result, year):  # type: ignore[no-untyped-def]
    return {row.group: row for row in result.year(year).groups}


def test_first_year_from_its_own_1_january_counts_every_living_citizen_once() -> None:
    alone = person("1957-05-01")  # turns 70 in 2027, lives alone
    man, woman = couple("1947-03-01", "1947-07-01")  # both turn 80: one joint visit
    old = person("1940-01-10", sex="M")  # turns 87
    young = person("1990-01-01")
    result = forecast(
        mini(), population(alone, man, woman, old, young), [2027], on=ON, mortality=FLAT, rates=fixed_rates()
    )
    got = rows(result, 2027)
    assert got["alone70"].letters_without_time == pytest.approx(1.0)
    assert got["alone70"].visits == pytest.approx(0.5), "one letter, opt-in: half of them become a visit"
    assert got["age80"].letters_with_time == pytest.approx(2.0), "one letter to each partner"
    assert got["age80"].visits == pytest.approx(0.8), "a couple's joint visit counts once"
    assert got["age80"].visit_hours == pytest.approx(0.8 * 1.5), "at the couple's length, 90 minutes"
    assert got["age85plus"].visits == pytest.approx(0.5)
    total = result.year(2027).total
    assert total.visits == pytest.approx(1.8)
    assert total.drive_hours == pytest.approx(1.8 * 0.5), "30 minutes of driving per visit"
    assert total.hours == pytest.approx(0.5 + 1.2 + 0.5 + 0.9)
    assert result.year(2027).consultants == round(3.1, 1), "one hour per full-time consultant in this test"
    assert result.citizens == 5


def test_later_years_weigh_each_decision_by_survival_to_1_january() -> None:
    alone = person("1958-05-01")  # turns 70 in 2028
    man, woman = couple("1948-03-01", "1948-07-01")  # turn 80 in 2028
    old = person("1940-01-10", sex="M")  # turns 88 in 2028
    rates = fixed_rates(risk_per_1000={"risk": Rate(100.0, "test", 100)})
    result = forecast(mini(), population(alone, man, woman, old), [2028], on=ON, mortality=FLAT, rates=rates)
    t = years_to(2028, ON)
    p_f, p_m = alive("F", t), alive("M", t)
    got = rows(result, 2028)
    assert got["alone70"].letters == pytest.approx(p_f)
    assert got["alone70"].visits == pytest.approx(0.5 * p_f)
    # The couple: both alive -> one joint visit of 90 min; one alive -> a single visit of 60 min.
    both, only_man, only_woman = p_m * p_f, p_m * (1 - p_f), p_f * (1 - p_m)
    assert got["age80"].letters == pytest.approx(p_m + p_f)
    assert got["age80"].visits == pytest.approx(0.8 * (both + only_man + only_woman))
    assert got["age80"].visit_hours == pytest.approx(0.8 * (both * 1.5 + (only_man + only_woman) * 1.0))
    assert got["age85plus"].visits == pytest.approx(0.5 * p_m)
    # The risk group: 100 per 1,000 of those aged 65-81 on 1 January 2028 (69, 79 and 79 years old).
    expected_cases = 0.1 * (p_f + p_m + p_f)
    assert got["risk"].by_rate and not got["age80"].by_rate
    assert got["risk"].letters_with_time == pytest.approx(expected_cases)
    assert got["risk"].visits == pytest.approx(0.8 * expected_cases)
    assert result.year(2028).citizens_65_plus == pytest.approx(p_f + p_m + p_f + p_m)


def test_the_dead_and_the_exempt_are_not_counted() -> None:
    dead = person("1948-02-02", death_date=date(2026, 12, 1))
    in_nursing_home = person("1948-03-03")
    events = (Event(in_nursing_home.cpr, "nursing_home", date(2025, 1, 1)),)
    result = forecast(
        mini(),
        population(dead, in_nursing_home, events=events),
        [2028],
        on=ON,
        mortality=FLAT,
        rates=fixed_rates(),
    )
    assert result.year(2028).total.letters == 0
    assert result.citizens == 1


def test_the_extracts_own_year_counts_those_alive_on_its_1_january() -> None:
    died_in_spring = person("1947-02-02", death_date=date(2027, 4, 1))  # turned 80 in 2027
    result = forecast(
        mini(), population(died_in_spring), [2027], on=date(2027, 6, 1), mortality=FLAT, rates=fixed_rates()
    )
    assert rows(result, 2027)["age80"].letters == pytest.approx(1.0), "alive on 1 January 2027"


def test_trigger_groups_come_from_the_rate_not_from_known_events() -> None:
    widow = person("1950-01-01", civil_status="E", civil_status_date=date(2027, 11, 20))
    result = forecast(mini(), population(widow), [2028], on=ON, mortality=FLAT, rates=fixed_rates())
    assert rows(result, 2028)["risk"].letters == 0, "the known loss does not count beside the rate (0 here)"
    assert any("udløses af hændelser" in line for line in result.assumptions)


JOINT_LETTER = """
[couples]
id = "couples"
groups = ["age80"]
letter = "with_time"
response = "opt_out"
joint_letter = true
clause = "Ægtepar får ét fælles brev."
"""


def test_a_joint_letter_counts_once_per_couple() -> None:
    text = (DATA / "mini.toml").read_text(encoding="utf-8") + JOINT_LETTER
    standard = parse_standard(text, "joint.toml")
    man, woman = couple("1947-03-01", "1947-07-01")
    result = forecast(standard, population(man, woman), [2027], on=ON, mortality=FLAT, rates=fixed_rates())
    assert rows(result, 2027)["age80"].letters == pytest.approx(1.0)


def test_missing_rates_fall_back_to_the_documented_defaults() -> None:
    alone = person("1957-05-01")
    turns80 = person("1947-05-05")
    result = forecast(mini(), population(alone, turns80), [2027], on=ON, mortality=FLAT, rates=Rates())
    got = rows(result, 2027)
    assert got["alone70"].visits == pytest.approx(DEFAULT_ACCEPTANCE_OPT_IN)
    assert got["age80"].visits == pytest.approx(DEFAULT_ACCEPTANCE_OPT_OUT)
    assert got["age80"].drive_hours == pytest.approx(DEFAULT_ACCEPTANCE_OPT_OUT * DEFAULT_DRIVE_MIN / 60)
    assert result.productive_hours_per_fte == DEFAULT_PRODUCTIVE_HOURS
    low, high = trigger_group_ages(mini().group("risk"))
    assert (low, high) == (65, 81)
    assert got["risk"].letters == pytest.approx(DEFAULT_RISK_PER_1000 / 1000 * 2), (
        "both are 65-81 on 1 January"
    )
    assert sum("(antagelse)" in line for line in result.assumptions) >= 4, (
        "each default is named an assumption"
    )


def test_pooled_history_serves_a_group_without_its_own() -> None:
    alone = person("1957-05-01")
    pooled = {
        ("without_time", "opt_in"): Rate(0.25, "historik 2024–2026: 25 af 100 tilbud i alle målgrupper", 100)
    }
    result = forecast(
        mini(), population(alone), [2027], on=ON, mortality=FLAT, rates=Rates(pooled_acceptance=pooled)
    )
    assert rows(result, 2027)["alone70"].visits == pytest.approx(0.25)
    assert any("25 af 100 tilbud i alle målgrupper" in line for line in result.assumptions)


def test_assumptions_name_the_death_rates_and_what_is_not_modelled() -> None:
    result = forecast(mini(), population(), [2027, 2028], on=ON, mortality=load_mortality(), rates=Rates())
    text = "\n".join(result.assumptions)
    assert "Danmarks Statistik" in text and "M.dk" in text
    assert "flytter til eller fra kommunen" in text and "nye enker og enkemænd" in text
    assert [entry.year for entry in result.years] == [2027, 2028]


def test_set_time_for_75_year_olds_gives_more_letters_with_time_and_more_visits() -> None:
    hjoerring = load_standard("hjoerring")
    alternative = parse_standard(apply_preset(shipped("hjoerring"), "age75_with_time"), "forslag.toml")
    people = population(*(person(f"1953-0{month}-15") for month in range(1, 10)))
    base = forecast(hjoerring, people, [2028], on=ON, mortality=FLAT, rates=Rates())
    other = forecast(alternative, people, [2028], on=ON, mortality=FLAT, rates=Rates())
    before, after = rows(base, 2028)["age75"], rows(other, 2028)["age75"]
    assert before.letters_with_time == 0 and before.letters_invitation == pytest.approx(
        9 * alive("F", years_to(2028, ON))
    )
    assert after.letters_with_time == pytest.approx(before.letters), "every 75-year-old's letter has a time"
    assert after.visits > before.visits, "a set time is kept more often than an invitation is answered"
