"""The capacity forecast: a quality standard's letters, visits, hours and consultants in coming years, and
the comparison of the standard in force with an edited copy (docs/forecast.md).

``forecast(standard, population, years, on=..., mortality=load_mortality(), rates=Rates())`` ages the
population forward (:mod:`.mortality`), evaluates the standard for each year with the eligibility engine
and turns the offers into visits and hours with the rates (:mod:`.rates`); ``compare(base, alternative)``
puts two forecasts side by side. Pure: no Django, the dates are arguments.
"""

from fhb.core.forecast.compare import IncomparableForecasts, compare
from fhb.core.forecast.editing import PRESETS, PresetNotPossible, apply_preset, problem_lines
from fhb.core.forecast.model import (
    Change,
    Comparison,
    Forecast,
    GroupChange,
    GroupForecast,
    YearChange,
    YearForecast,
)
from fhb.core.forecast.mortality import MortalityError, MortalityTable, load_mortality, parse_mortality
from fhb.core.forecast.project import forecast
from fhb.core.forecast.rates import MIN_OFFERS, OfferKind, Rate, Rates, letter_kind, trigger_group_ages

__all__ = [
    "MIN_OFFERS",
    "PRESETS",
    "Change",
    "Comparison",
    "Forecast",
    "GroupChange",
    "GroupForecast",
    "IncomparableForecasts",
    "MortalityError",
    "MortalityTable",
    "OfferKind",
    "PresetNotPossible",
    "Rate",
    "Rates",
    "YearChange",
    "YearForecast",
    "apply_preset",
    "compare",
    "forecast",
    "letter_kind",
    "load_mortality",
    "parse_mortality",
    "problem_lines",
    "trigger_group_ages",
]
