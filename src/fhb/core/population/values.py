"""One cell's text to its value, as the readers convert it: dates, coordinates, birth date and sex by the
CPR number.

Memoised where a file repeats values (dates, birth dates): the caches are public so that the row parser's
loop can look a value up without a call.
"""

from __future__ import annotations

from datetime import date

from fhb.core.cpr import birth_date_of
from fhb.core.population.model import Sex

__all__ = ["BIRTH_DATES", "DATES", "SEX_BY_LAST_DIGIT", "birth_date", "parse_coordinate", "parse_date"]

#: The sex by the last digit of a CPR number: odd for men, even for women.
SEX_BY_LAST_DIGIT: dict[str, Sex] = {d: ("M" if int(d) % 2 else "F") for d in "0123456789"}

#: Dates by their ISO text (a cache of :func:`parse_date`, emptied when it reaches its limit).
DATES: dict[str, date] = {}
_DATE_CACHE_LIMIT = 200_000

#: Birth dates by the first 7 digits of a CPR number (a cache of :func:`birth_date`; it holds only real
#: dates, so no more than 366 days x 100 years x 10 century digits).
BIRTH_DATES: dict[str, date] = {}


def parse_date(text: str) -> date:
    """An ISO ``YYYY-MM-DD`` date; ValueError with a Danish reason otherwise (memoised)."""
    found = DATES.get(text)
    if found is not None:
        return found
    if not (len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii()):
        raise ValueError("Datoen skal skrives ÅÅÅÅ-MM-DD, fx 2025-03-01")
    digits = text[:4] + text[5:7] + text[8:]
    if not digits.isdigit():
        raise ValueError("Datoen skal skrives ÅÅÅÅ-MM-DD med cifre, fx 2025-03-01")
    try:
        parsed = date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        raise ValueError("Datoen findes ikke i kalenderen") from None
    if len(DATES) >= _DATE_CACHE_LIMIT:
        DATES.clear()
    DATES[text] = parsed
    return parsed


def birth_date(cpr: str) -> date:
    """The birth date of a normalised CPR number (:func:`fhb.core.cpr.birth_date_of`, memoised)."""
    found = BIRTH_DATES.get(cpr[:7])
    if found is None:
        found = BIRTH_DATES[cpr[:7]] = birth_date_of(cpr)
    return found


def parse_coordinate(text: str, limit: float) -> float:
    """A WGS84 degree within ±limit; a decimal comma is accepted. ValueError with a Danish reason."""
    candidate = text
    if "," in candidate and "." not in candidate:
        candidate = candidate.replace(",", ".", 1)
    if "_" in candidate:
        raise ValueError(f"Skal være et tal mellem -{limit:g} og {limit:g} (grader, WGS84)")
    try:
        value = float(candidate)
    except ValueError:
        raise ValueError(f"Skal være et tal mellem -{limit:g} og {limit:g} (grader, WGS84)") from None
    if not -limit <= value <= limit:  # also false for nan
        raise ValueError(f"Tallet ligger uden for området -{limit:g} til {limit:g} (grader, WGS84)")
    return value
