"""Who is still alive in a year's time: death rates by age and sex, and the survival they imply.

The shipped table (``fhb/data/stats/death_rates_denmark_2012.csv``, source in SOURCES.txt next to it) gives
death rates per 1,000 person-years for men and women at a few ages (65, 70, ..., 90). Between two tabulated
ages the rate is interpolated log-linearly (mortality grows about exponentially with age); below the first
age it is the first age's rate (flat); above the last age it goes on with the slope of the last two ages
(85-90); it is capped at 1,000 per 1,000 person-years.

A rate is a hazard (deaths per person-year), so a year at rate ``m`` is survived with probability
``exp(-m)``; a part ``f`` of a year with ``exp(-m * f)``. The probability of being alive after ``t`` years is
the product over the years of age passed through, each at the rate of the completed age at its start.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from fhb.core.population.model import Sex

#: The shipped table's file name in ``fhb/data/stats/``.
DEATH_RATES_FILE = "death_rates_denmark_2012.csv"

#: The highest rate used, per person-year (1,000 per 1,000): extrapolation beyond the table stops here.
MAX_RATE = 1.0

#: Days in an average year (leap years included): dates are turned into years with it.
DAYS_PER_YEAR = 365.25

#: Ages from 0 to this are tabulated once per table (:meth:`MortalityTable.rate_at`); older ones use this.
MAX_AGE = 130


class MortalityError(ValueError):
    """A death-rate table that cannot be used (the message says where and why)."""


@dataclass(frozen=True, slots=True)
class MortalityTable:
    """Death rates per 1,000 person-years at ``ages`` (ascending, at least two), for men and women."""

    ages: tuple[int, ...]
    men_per_1000: tuple[float, ...]
    women_per_1000: tuple[float, ...]
    source: str
    """Danish, one line: where the rates come from (printed among the forecast's assumptions)."""

    def __post_init__(self) -> None:
        if len(self.ages) < 2:
            raise MortalityError("a death-rate table needs at least two ages")
        if list(self.ages) != sorted(set(self.ages)):
            raise MortalityError("the ages of a death-rate table must rise")
        for column in (self.men_per_1000, self.women_per_1000):
            if len(column) != len(self.ages):
                raise MortalityError("every age needs a rate for men and for women")
            if any(not (rate > 0 and math.isfinite(rate)) for rate in column):
                raise MortalityError("death rates must be positive numbers")

    def rate(self, age: float, sex: Sex) -> float:
        """The death rate per person-year at ``age`` (years) for ``sex`` (see the module docstring)."""
        column = self.men_per_1000 if sex == "M" else self.women_per_1000
        ages = self.ages
        if age <= ages[0]:
            return min(column[0] / 1000.0, MAX_RATE)
        lo = len(ages) - 2 if age >= ages[-1] else max(i for i in range(len(ages)) if ages[i] <= age)
        hi = lo + 1
        log_lo, log_hi = math.log(column[lo]), math.log(column[hi])
        fraction = (age - ages[lo]) / (ages[hi] - ages[lo])
        # Above the last age the slope can only make the rate grow while the table's last step rises; a
        # falling last step would extrapolate towards zero, so the rate stays at the last age's there.
        if age >= ages[-1] and log_hi < log_lo:
            return min(column[-1] / 1000.0, MAX_RATE)
        return min(math.exp(log_lo + (log_hi - log_lo) * fraction) / 1000.0, MAX_RATE)

    def rate_at(self, age: int, sex: Sex) -> float:
        """:meth:`rate` at a whole age, from a table built once (ages above :data:`MAX_AGE` use its rate)."""
        return _rates(self, sex)[min(max(age, 0), MAX_AGE)]

    def survival(self, age: int, sex: Sex, years: float) -> float:
        """The probability that a person of completed age ``age`` is alive ``years`` later.

        Each year passed through (the last one perhaps in part) is survived at the rate of the completed
        age at its start: ``age``, ``age + 1``, ... 1.0 for ``years <= 0``.
        """
        if years <= 0:
            return 1.0
        hazard = 0.0
        whole = int(years)
        for step in range(whole):
            hazard += self.rate_at(age + step, sex)
        part = years - whole
        if part > 0:
            hazard += self.rate_at(age + whole, sex) * part
        return math.exp(-hazard)


@cache
def _rates(table: MortalityTable, sex: Sex) -> tuple[float, ...]:
    return tuple(table.rate(age, sex) for age in range(MAX_AGE + 1))


def years_between(start: date, end: date) -> float:
    """The time from ``start`` to ``end`` in years (average years of :data:`DAYS_PER_YEAR` days)."""
    return (end - start).days / DAYS_PER_YEAR


def parse_mortality(text: str, source: str) -> MortalityTable:
    """A death-rate table from CSV text: lines starting with ``#`` are comments, then the header
    ``age,men,women`` and one row per age (rates per 1,000 person-years). Raises :class:`MortalityError`."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines)
    if reader.fieldnames is None or [name.strip() for name in reader.fieldnames] != ["age", "men", "women"]:
        raise MortalityError(f"{source}: the header must be age,men,women")
    ages: list[int] = []
    men: list[float] = []
    women: list[float] = []
    for number, row in enumerate(reader, start=2):
        try:
            ages.append(int(row["age"]))
            men.append(float(row["men"]))
            women.append(float(row["women"]))
        except (TypeError, ValueError):
            raise MortalityError(f"{source}, row {number}: age, men and women must be numbers") from None
    try:
        return MortalityTable(tuple(ages), tuple(men), tuple(women), source)
    except MortalityError as error:
        raise MortalityError(f"{source}: {error}") from None


#: The Danish line that names the shipped table's source among a forecast's assumptions.
SHIPPED_SOURCE = (
    "Dødsrater pr. 1.000 personår, hele Danmark 2012, for mænd og kvinder på 65, 70, 75, 80, 85 og 90 år "
    "(Danmarks Statistik via R-pakken Epi, datasættet M.dk)"
)


@cache
def load_mortality() -> MortalityTable:
    """The shipped table (Denmark 2012), read once."""
    text = resources.files("fhb").joinpath("data", "stats", DEATH_RATES_FILE).read_text(encoding="utf-8")
    return parse_mortality(text, SHIPPED_SOURCE)
