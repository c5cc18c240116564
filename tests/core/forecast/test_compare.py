"""compare(): the side-by-side difference of two forecasts, and the output formats of a comparison."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from forecast_builders import DATA, FLAT, couple, fixed_rates, mini, person, population, shipped
from hypothesis import given
from hypothesis import strategies as st

from fhb.core.forecast import GroupForecast, IncomparableForecasts, Rates, apply_preset, compare, forecast
from fhb.core.forecast.model import Forecast, YearForecast
from fhb.core.forecast.output import (
    COMPARISON_COLUMNS,
    FORECAST_COLUMNS,
    comparison_csv,
    comparison_data,
    comparison_text,
    forecast_csv,
    forecast_data,
    forecast_text,
)
from fhb.core.standard import load_standard, parse_standard

ON = date(2027, 1, 1)
counts = st.floats(min_value=0, max_value=10_000, allow_nan=False)


def made(rows: list[GroupForecast], year: int = 2028, consultants: float = 1.0) -> Forecast:
    total = GroupForecast("total", "I alt")
    for row in rows:
        total = total.plus(row, "total", "I alt")
    entry = YearForecast(year, tuple(rows), total, consultants, 0.0)
    return Forecast("x", "X", "Testkommune", ON, 0, (entry,), ("antagelse",), 1300.0)


@given(counts, counts, counts, counts)
def test_each_difference_is_alternative_minus_base(a: float, b: float, c: float, d: float) -> None:
    base = made([GroupForecast("g", "Gruppe", letters_with_time=a, visits=b)], consultants=1.0)
    other = made([GroupForecast("g", "Gruppe", letters_with_time=c, visits=d)], consultants=2.5)
    year = compare(base, other).years[0]
    row = year.groups[0]
    assert row.letters.difference == pytest.approx(c - a)
    assert row.letters_with_time.difference == pytest.approx(c - a)
    assert row.visits.difference == pytest.approx(d - b)
    assert year.total.visits.difference == pytest.approx(d - b)
    assert year.consultants.difference == pytest.approx(1.5)


def test_rows_are_matched_by_label_and_a_group_on_one_side_only_gets_zeros() -> None:
    base = made(
        [GroupForecast("age82plus", "Målgruppe 4", visits=100), GroupForecast("x", "Kun nu", visits=5)]
    )
    other = made(
        [
            GroupForecast("age82plus", "Målgruppe 4", visits=30),
            GroupForecast("age82plus_84", "Målgruppe 4", visits=20),
            GroupForecast("y", "Kun forslag", visits=7),
        ]
    )
    rows = {row.label: row for row in compare(base, other).years[0].groups}
    assert rows["Målgruppe 4"].groups == ("age82plus", "age82plus_84")
    assert (rows["Målgruppe 4"].visits.base, rows["Målgruppe 4"].visits.alternative) == (100, 50)
    assert (rows["Kun nu"].visits.alternative, rows["Kun forslag"].visits.base) == (0, 0)
    assert list(rows) == ["Målgruppe 4", "Kun nu", "Kun forslag"], "base order first, then the new ones"


def test_forecasts_of_different_years_cannot_be_compared() -> None:
    with pytest.raises(IncomparableForecasts):
        compare(made([], year=2028), made([], year=2029))


def test_a_standard_compared_with_itself_differs_in_nothing() -> None:
    people = population(person("1957-05-01"), *couple("1948-03-01", "1948-07-01"))
    one = forecast(mini(), people, [2027, 2028], on=ON, mortality=FLAT, rates=fixed_rates())
    result = compare(one, one)
    for year in result.years:
        assert year.total.hours.difference == 0 and year.consultants.difference == 0


def test_every_second_year_for_82_plus_halves_the_yearly_letters_about() -> None:
    hjoerring = load_standard("hjoerring")
    alternative = parse_standard(apply_preset(shipped("hjoerring"), "age82_every_second_year"), "f.toml")
    people = population(*(person(f"{1946 - age}-06-01") for age in range(0, 10)))  # turn 82-91 in 2028
    result = compare(
        forecast(hjoerring, people, [2028], on=ON, mortality=FLAT, rates=Rates()),
        forecast(alternative, people, [2028], on=ON, mortality=FLAT, rates=Rates()),
    )
    row = {row.label: row for row in result.years[0].groups}["Målgruppe 4"]
    assert row.letters.alternative == pytest.approx(row.letters.base / 2, rel=0.1), "82, 84, 86, 88, 90 only"
    assert row.letters.difference < 0 and row.visits.difference < 0


def alone70_with_time() -> str:
    """The mini standard with group A's letter changed to one with a time."""
    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    changed = text.replace(
        'letter = "without_time"\nresponse = "opt_in"\nclause = "Borgere, der bor alene',
        'letter = "with_time"\nresponse = "opt_out"\nclause = "Borgere, der bor alene',
    )
    assert changed != text
    return changed


def test_comparison_formats_hold_the_same_figures() -> None:
    people = population(person("1957-05-01"), person("1947-05-05"))
    base = forecast(mini(), people, [2027], on=ON, mortality=FLAT, rates=fixed_rates())
    alternative = parse_standard(alone70_with_time(), "f.toml")
    other = forecast(alternative, people, [2027], on=ON, mortality=FLAT, rates=fixed_rates())
    result = compare(base, other)
    data = comparison_data(result)
    assert json.loads(json.dumps(data)) == data
    total = data["comparison"][0]["total"]
    assert total["letters_with_time"] == {"base": 1.0, "alternative": 2.0, "difference": 1.0}
    table = list(csv.DictReader(io.StringIO(comparison_csv(result))))
    assert tuple(table[0]) == COMPARISON_COLUMNS
    assert table[-1]["label"] == "I alt" and table[-1]["letters_with_time_difference"] == "1.0"
    text = comparison_text(result)
    assert "Breve nu" in text and "Konsulenter:" in text and "+1" in text


def test_forecast_formats() -> None:
    result = forecast(
        mini(), population(person("1957-05-01")), [2027], on=ON, mortality=FLAT, rates=fixed_rates()
    )
    data = forecast_data(result)
    assert data["years"][0]["total"]["letters"] == 1.0 and data["years"][0]["consultants"] == 0.8
    assert data["assumptions"] == list(result.assumptions)
    table = list(csv.DictReader(io.StringIO(forecast_csv(result))))
    assert tuple(table[0]) == FORECAST_COLUMNS
    assert [row["group"] for row in table] == ["alone70", "age80", "age85plus", "risk", "total"]
    assert table[-1]["consultants"] == "0.8" and table[0]["consultants"] == ""
    text = forecast_text(result)
    assert "Konsulenter: 0,8 årsværk" in text and "Forudsætninger:" in text and "Gruppe D (risk) *" in text
