"""Death rates and survival: the shipped table, the interpolation, and survival's properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fhb.core.forecast import MortalityError, MortalityTable, load_mortality, parse_mortality

#: shared/data/README.md: death rates per 1,000 (2012, men/women).
README = {
    65: (14.5, 9.9),
    70: (23.3, 15.4),
    75: (38.7, 25.5),
    80: (68.3, 50.1),
    85: (113.5, 80.7),
    90: (197.0, 156.2),
}

TABLE = load_mortality()
ages = st.integers(min_value=0, max_value=140)
sexes = st.sampled_from(["M", "F"])
spans = st.floats(min_value=0, max_value=40, allow_nan=False)


def test_shipped_table_holds_the_figures_of_the_data_readme() -> None:
    assert (
        dict(zip(TABLE.ages, zip(TABLE.men_per_1000, TABLE.women_per_1000, strict=True), strict=True))
        == README
    )
    assert "M.dk" in TABLE.source and "2012" in TABLE.source


@pytest.mark.parametrize("age", sorted(README))
def test_rate_at_a_tabulated_age_is_the_table_value(age: int) -> None:
    men, women = README[age]
    assert TABLE.rate(age, "M") == pytest.approx(men / 1000)
    assert TABLE.rate(age, "F") == pytest.approx(women / 1000)


def test_rate_between_ages_is_log_linear() -> None:
    # Halfway between 65 and 70 on the log scale: the geometric mean.
    assert TABLE.rate(67.5, "M") == pytest.approx(math.sqrt(14.5 * 23.3) / 1000)
    assert TABLE.rate(72, "F") == pytest.approx(15.4 * (25.5 / 15.4) ** (2 / 5) / 1000)


def test_rate_is_flat_below_65_and_follows_the_85_90_slope_above_90() -> None:
    assert TABLE.rate(50, "M") == TABLE.rate(65, "M") == pytest.approx(0.0145)
    assert TABLE.rate(95, "M") == pytest.approx(197.0 * (197.0 / 113.5) / 1000)
    assert TABLE.rate(100, "F") == pytest.approx(156.2 * (156.2 / 80.7) ** 2 / 1000)


def test_rate_is_capped_at_one_per_person_year() -> None:
    assert TABLE.rate(130, "M") == 1.0
    assert TABLE.rate_at(200, "F") == 1.0


def test_survival_is_the_product_of_yearly_survival_from_the_completed_age() -> None:
    assert TABLE.survival(80, "M", 0) == 1.0
    assert TABLE.survival(65, "M", 1) == pytest.approx(math.exp(-0.0145))
    expected = math.exp(-(TABLE.rate(70, "F") + TABLE.rate(71, "F") + 0.5 * TABLE.rate(72, "F")))
    assert TABLE.survival(70, "F", 2.5) == pytest.approx(expected)


@given(ages, sexes, spans)
def test_survival_is_a_probability(age: int, sex: str, years: float) -> None:
    value = TABLE.survival(age, sex, years)  # type: ignore[arg-type]
    assert 0.0 < value <= 1.0


@given(ages, sexes, spans, spans)
def test_survival_never_grows_with_time(age: int, sex: str, a: float, b: float) -> None:
    shorter, longer = sorted((a, b))
    assert TABLE.survival(age, sex, longer) <= TABLE.survival(age, sex, shorter)  # type: ignore[arg-type]


@given(ages, ages, sexes, spans)
def test_the_older_survive_no_better(a: int, b: int, sex: str, years: float) -> None:
    younger, older = sorted((a, b))
    assert TABLE.survival(older, sex, years) <= TABLE.survival(younger, sex, years)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=90), st.floats(min_value=0, max_value=10, allow_nan=False))
def test_women_survive_at_least_as_well_as_men_in_the_2012_table(age: int, years: float) -> None:
    # Up to the age of 100: beyond it the women's steeper 85-90 slope, extrapolated, overtakes the men's.
    assert TABLE.survival(age, "M", years) <= TABLE.survival(age, "F", years)


@given(st.floats(min_value=0, max_value=140, allow_nan=False), sexes)
def test_rate_grows_with_age(age: float, sex: str) -> None:
    assert TABLE.rate(age, sex) <= TABLE.rate(age + 0.5, sex)  # type: ignore[arg-type]


def test_a_table_file_with_a_wrong_header_or_value_is_refused_with_where() -> None:
    with pytest.raises(MortalityError, match="header"):
        parse_mortality("alder,mænd,kvinder\n65,1,1\n70,2,2\n", "x.csv")
    with pytest.raises(MortalityError, match="row 3"):
        parse_mortality("age,men,women\n65,1,1\n70,to,2\n", "x.csv")
    with pytest.raises(MortalityError, match="rise"):
        parse_mortality("age,men,women\n70,1,1\n65,2,2\n", "x.csv")
    with pytest.raises(MortalityError, match="positive"):
        MortalityTable((65, 70), (1.0, 0.0), (1.0, 1.0), "x")
