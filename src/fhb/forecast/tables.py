"""What the forecast pages show, as JSON-ready data: built once by the job (:mod:`fhb.forecast.jobs`), stored
in the job's result and read back by the pages, so a reload shows the same tables without computing again.

Every figure is Danish text already (``number``, ``signed``); rows are lists, not tuples, so the data reads
back from the job's JSON field as it was built.
"""

from __future__ import annotations

from typing import Any

from fhb.core.forecast import Comparison, Forecast
from fhb.core.forecast.model import GroupChange
from fhb.core.forecast.output import COMPARED, figures
from fhb.core.forecast.texts import day, number, signed
from fhb.ui.charts import Chart, Series


def forecast_tables(result: Forecast) -> list[dict[str, Any]]:
    """Per year: the rows [label, group id, by rate, figures as Danish text], total and consultants."""
    return [
        {
            "year": entry.year,
            "citizens": number(entry.citizens_65_plus),
            "rows": [[row.label, row.group, row.by_rate, figures(row)] for row in entry.groups],
            "total": figures(entry.total),
            "consultants": number(entry.consultants, 1),
        }
        for entry in result.years
    ]


def _changes(row: GroupChange) -> list[str]:
    cells = []
    for name in COMPARED:
        change = getattr(row, name)
        cells += [number(change.base), number(change.alternative), signed(change.difference)]
    return cells


def _ids(groups: tuple[str, ...]) -> str:
    """The group ids of a row; many (82+ every second year) shortened to the first, the last and how many."""
    if len(groups) <= 3:
        return ", ".join(groups)
    return f"{groups[0]} … {groups[-1]} ({len(groups)})"


def comparison_tables(result: Comparison) -> list[dict[str, Any]]:
    """Per year: each label's [label, group ids, base, alternative and difference (Danish text)], the total
    and the consultants [base, alternative, difference]."""
    return [
        {
            "year": entry.year,
            "rows": [[row.label, _ids(row.groups), _changes(row)] for row in entry.groups],
            "total": _changes(entry.total),
            "consultants": [
                number(entry.consultants.base, 1),
                number(entry.consultants.alternative, 1),
                signed(entry.consultants.difference, 1),
            ],
        }
        for entry in result.years
    ]


def chart_data(result: Forecast) -> dict[str, list[Any]]:
    """The figures the forecast page draws, per year as plain numbers: years, letters and visits (whole, as
    the tables print them) and full-time consultants (one decimal)."""
    return {
        "years": [entry.year for entry in result.years],
        "letters": [round(entry.total.letters) for entry in result.years],
        "visits": [round(entry.total.visits) for entry in result.years],
        "consultants": [round(entry.consultants, 1) for entry in result.years],
    }


def forecast_charts(shown: dict[str, Any]) -> tuple[Chart, ...]:
    """The forecast page's charts from a stored result: letters and visits per year, and the consultants;
    none for a result stored before the page drew charts."""
    data = shown.get("chart")
    if not data:
        return ()
    years = tuple(str(year) for year in data["years"])
    return (
        Chart(
            "bars",
            "Breve og besøg pr. år",
            years,
            (
                Series("Breve", tuple(float(v) for v in data["letters"])),
                Series("Besøg", tuple(float(v) for v in data["visits"])),
            ),
            unit="antal",
        ),
        Chart(
            "bars",
            "Konsulenter pr. år",
            years,
            (Series("Konsulenter", tuple(float(v) for v in data["consultants"])),),
            unit="årsværk",
        ),
    )


def forecast_shown(result: Forecast) -> dict[str, Any]:
    """The forecast page's result: the tables, the figures of its charts, the assumptions and the extract it
    was computed from."""
    return {
        "tables": forecast_tables(result),
        "chart": chart_data(result),
        "assumptions": list(result.assumptions),
        "extract": day(result.population_date),
    }


def comparison_shown(result: Comparison) -> dict[str, Any]:
    """The comparison page's result: the tables, the assumptions of the standard in force, those that hold
    only for the edited copy, and the extract both were computed from."""
    base = list(result.base.assumptions)
    return {
        "tables": comparison_tables(result),
        "assumptions": base,
        "extra_assumptions": [line for line in result.alternative.assumptions if line not in base],
        "extract": day(result.base.population_date),
    }
