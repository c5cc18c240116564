"""CPR helpers: normalising, century rules, sex, presentation; no modulus-11 and no clock."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fhb.core.cpr import birth_date_of, format_cpr, normalise_cpr, sex_of


@pytest.mark.parametrize(
    "text",
    ["0101401234", "010140-1234", " 0101401234 ", "010140 1234", " 010140 - 1234 "],
)
def test_normalise_accepts_digits_with_or_without_hyphen(text: str) -> None:
    assert normalise_cpr(text) == "0101401234"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "mangler"),
        ("12345", "10 cifre, men har 5"),
        ("010140123456", "10 cifre, men har 12"),
        ("01014O1234", "kun indeholde cifre"),
        ("0101-401234", "Bindestregen"),
        ("0101401234-", "Bindestregen"),
        ("٠١٠١٤٠١٢٣٤", "kun indeholde cifre"),  # Arabic-Indic digits are digits to Python, not to CPR
    ],
)
def test_normalise_rejects_malformed_numbers_in_danish(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        normalise_cpr(text)


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("0101401234", date(1940, 1, 1)),  # 7th digit 0-3: 1900s
        ("3112993999", date(1999, 12, 31)),
        ("0101364234", date(2036, 1, 1)),  # 7th digit 4 or 9: 2000s up to year 36 ...
        ("0101374234", date(1937, 1, 1)),  # ... 1900s from 37
        ("0101369234", date(2036, 1, 1)),
        ("0101379234", date(1937, 1, 1)),
        ("0101575234", date(2057, 1, 1)),  # 7th digit 5-8: 2000s up to 57 ...
        ("0101588234", date(1858, 1, 1)),  # ... 1800s from 58
        ("2902005000", date(2000, 2, 29)),
        ("010140-1234", date(1940, 1, 1)),  # a hyphen is normalised away
    ],
)
def test_birth_date_follows_the_century_rules(cpr: str, born: date) -> None:
    assert birth_date_of(cpr) == born


def test_no_modulus_11_check() -> None:
    # 0101401234 fails the old modulus-11 check; numbers issued since 2007 may, too.
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    assert sum(w * int(d) for w, d in zip(weights, "0101401234", strict=True)) % 11 != 0
    assert birth_date_of("0101401234") == date(1940, 1, 1)


def test_future_birth_date_is_not_judged_against_a_clock() -> None:
    assert birth_date_of("0101505000") == date(2050, 1, 1)


@pytest.mark.parametrize(
    ("cpr", "shown"),
    [("3002901234", "30.02.1990"), ("2902011234", "29.02.1901"), ("0013401234", "00.13.1940")],
)
def test_impossible_date_is_explained(cpr: str, shown: str) -> None:
    with pytest.raises(ValueError, match=f"ikke en gyldig fødselsdato: {shown} findes ikke"):
        birth_date_of(cpr)
    # twice: the memoised answer gives the same error
    with pytest.raises(ValueError, match="findes ikke"):
        birth_date_of(cpr)


def test_birth_date_of_malformed_number() -> None:
    with pytest.raises(ValueError, match="10 cifre"):
        birth_date_of("123")


@pytest.mark.parametrize(("cpr", "sex"), [("0101401231", "M"), ("0101401234", "F"), ("0101401239", "M")])
def test_sex_from_last_digit(cpr: str, sex: str) -> None:
    assert sex_of(cpr) == sex


def test_sex_of_needs_a_digit() -> None:
    with pytest.raises(ValueError):
        sex_of("")


def test_format_cpr() -> None:
    assert format_cpr("0101401234") == "010140-1234"
    assert format_cpr("010140-1234") == "010140-1234"


@given(st.dates(min_value=date(1858, 1, 1), max_value=date(2057, 12, 31)), st.integers(0, 9999))
def test_every_date_round_trips_through_some_century_digit(born: date, serial: int) -> None:
    yy = born.year % 100
    if born.year < 1900:
        first = 5  # 5-8 with yy >= 58
    elif born.year < 2000:
        first = 0
    elif yy <= 36:
        first = 4
    else:
        first = 5  # 5-8 with yy <= 57
    cpr = born.strftime("%d%m") + f"{yy:02d}" + str(first) + f"{serial % 1000:03d}"
    assert birth_date_of(cpr) == born
    assert normalise_cpr(format_cpr(cpr)) == cpr
