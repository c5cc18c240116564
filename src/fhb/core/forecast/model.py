"""What a forecast gives: per year and target group the expected letters, visits and hours, the
consultants needed, and the assumptions behind the figures; and the comparison of two forecasts.

Every count is an expectation (a sum of probabilities), so it is a float; the page and the command round.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date


@dataclass(frozen=True, slots=True)
class GroupForecast:
    """One target group in one year.

    ``by_rate``: a trigger group (spouse died, ...), forecast as a rate times the citizens alive in its age
    range, not from the population's ages. Hours are clock hours; ``visit_hours`` from the standard's
    visit length (a couple's joint visit at the couple's length, counted once), ``drive_hours`` from the
    driving minutes per visit.
    """

    group: str
    label: str
    letters_with_time: float = 0.0
    letters_without_time: float = 0.0
    letters_invitation: float = 0.0
    calls: float = 0.0
    """Offers made by a telephone call (letter ``phone``); a letter without a time follows for the share
    the calls do not reach (counted in ``letters_without_time``)."""
    assessments: float = 0.0
    visits: float = 0.0
    visit_hours: float = 0.0
    drive_hours: float = 0.0
    by_rate: bool = False

    @property
    def letters(self) -> float:
        """All letters (assessments send none; calls only for those not reached)."""
        return self.letters_with_time + self.letters_without_time + self.letters_invitation

    @property
    def hours(self) -> float:
        """Visit and driving hours."""
        return self.visit_hours + self.drive_hours

    def plus(self, other: GroupForecast, group: str, label: str) -> GroupForecast:
        """The sum of two rows, under another name (totals, rows of one label)."""
        sums = {name: getattr(self, name) + getattr(other, name) for name in _SUMMED}
        return GroupForecast(group, label, by_rate=self.by_rate and other.by_rate, **sums)


_SUMMED = tuple(f.name for f in fields(GroupForecast) if f.type == "float")


@dataclass(frozen=True, slots=True)
class YearForecast:
    """One plan year: a row per target group (the standard's order), the total and the consultants."""

    year: int
    groups: tuple[GroupForecast, ...]
    total: GroupForecast
    consultants: float
    """Full-time consultants needed: total hours / productive hours per full-time consultant, one decimal."""
    citizens_65_plus: float
    """Citizens of the extract expected alive and 65 or over on 1 January of the year."""


@dataclass(frozen=True, slots=True)
class Forecast:
    """A quality standard's forecast over the population of one extract, for one or more years."""

    standard_id: str
    standard_title: str
    municipality: str
    population_date: date
    """The date of the population extract the forecast starts from."""
    citizens: int
    """Living citizens in the extract on that date."""
    years: tuple[YearForecast, ...]
    assumptions: tuple[str, ...]
    """Danish, one line each: the sources and rates used, and what is not modelled."""
    productive_hours_per_fte: float

    def year(self, year: int) -> YearForecast:
        for entry in self.years:
            if entry.year == year:
                return entry
        raise KeyError(year)


@dataclass(frozen=True, slots=True)
class Change:
    """One figure under the standard in force (``base``) and under the alternative."""

    base: float
    alternative: float

    @property
    def difference(self) -> float:
        return self.alternative - self.base


@dataclass(frozen=True, slots=True)
class GroupChange:
    """One row of a comparison: the groups of one label (``groups``: their ids in either standard)."""

    label: str
    groups: tuple[str, ...]
    letters: Change
    letters_with_time: Change
    visits: Change
    hours: Change


@dataclass(frozen=True, slots=True)
class YearChange:
    year: int
    groups: tuple[GroupChange, ...]
    total: GroupChange
    consultants: Change


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two forecasts of the same population and years side by side (:func:`fhb.core.forecast.compare`)."""

    base: Forecast
    alternative: Forecast
    years: tuple[YearChange, ...]
