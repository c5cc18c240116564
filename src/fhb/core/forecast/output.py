"""A forecast (or a comparison) as text tables, JSON data or CSV rows: the formats of ``fhb forecast``
(docs/forecast.md describes them). Text is Danish with Danish number style; JSON and CSV use plain numbers
(rounded to one decimal) and English keys, like the other machine formats of fhb."""

from __future__ import annotations

import csv
import io
from typing import Any

from fhb.core.forecast.model import Comparison, Forecast, GroupChange, GroupForecast
from fhb.core.forecast.texts import day, number, signed

#: CSV columns of a forecast: one row per year and group, then the year's total (group ``total``).
FORECAST_COLUMNS: tuple[str, ...] = (
    "standard",
    "year",
    "group",
    "label",
    "by_rate",
    "letters",
    "letters_with_time",
    "letters_without_time",
    "letters_invitation",
    "calls",
    "assessments",
    "visits",
    "visit_hours",
    "drive_hours",
    "hours",
    "consultants",
)

#: The figures a comparison compares (each with _base, _alternative and _difference columns in CSV).
COMPARED: tuple[str, ...] = ("letters", "letters_with_time", "visits", "hours")

COMPARISON_COLUMNS: tuple[str, ...] = (
    "year",
    "label",
    "groups",
    *(
        f"{name}_{side}"
        for name in (*COMPARED, "consultants")
        for side in ("base", "alternative", "difference")
    ),
)


def _r(value: float) -> float:
    """One decimal, and never a negative zero."""
    return round(value, 1) + 0.0


# --- JSON -------------------------------------------------------------------------------------------------


def group_data(row: GroupForecast) -> dict[str, Any]:
    return {
        "group": row.group,
        "label": row.label,
        "by_rate": row.by_rate,
        "letters": _r(row.letters),
        "letters_with_time": _r(row.letters_with_time),
        "letters_without_time": _r(row.letters_without_time),
        "letters_invitation": _r(row.letters_invitation),
        "calls": _r(row.calls),
        "assessments": _r(row.assessments),
        "visits": _r(row.visits),
        "visit_hours": _r(row.visit_hours),
        "drive_hours": _r(row.drive_hours),
        "hours": _r(row.hours),
    }


def forecast_data(result: Forecast) -> dict[str, Any]:
    """The forecast as JSON-ready data (see docs/forecast.md)."""
    return {
        "standard": result.standard_id,
        "municipality": result.municipality,
        "population_date": result.population_date.isoformat(),
        "citizens": result.citizens,
        "productive_hours_per_fte": _r(result.productive_hours_per_fte),
        "years": [
            {
                "year": entry.year,
                "citizens_65_plus": _r(entry.citizens_65_plus),
                "groups": [group_data(row) for row in entry.groups],
                "total": group_data(entry.total),
                "consultants": entry.consultants,
            }
            for entry in result.years
        ],
        "assumptions": list(result.assumptions),
    }


def _change_data(row: GroupChange) -> dict[str, Any]:
    data: dict[str, Any] = {"label": row.label, "groups": list(row.groups)}
    for name in COMPARED:
        change = getattr(row, name)
        data[name] = {
            "base": _r(change.base),
            "alternative": _r(change.alternative),
            "difference": _r(change.difference),
        }
    return data


def comparison_data(result: Comparison) -> dict[str, Any]:
    """The comparison as JSON-ready data: both forecasts in full, and the differences."""
    return {
        "base": forecast_data(result.base),
        "alternative": forecast_data(result.alternative),
        "comparison": [
            {
                "year": entry.year,
                "groups": [_change_data(row) for row in entry.groups],
                "total": _change_data(entry.total),
                "consultants": {
                    "base": entry.consultants.base,
                    "alternative": entry.consultants.alternative,
                    "difference": _r(entry.consultants.difference),
                },
            }
            for entry in result.years
        ],
    }


# --- CSV --------------------------------------------------------------------------------------------------


def _csv(columns: tuple[str, ...], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def forecast_csv(result: Forecast) -> str:
    """One row per year and group, then the year's total row (group ``total``, with ``consultants``)."""
    rows: list[list[Any]] = []
    for entry in result.years:
        for row, consultants in [*((row, "") for row in entry.groups), (entry.total, entry.consultants)]:
            data = group_data(row)
            rows.append(
                [result.standard_id, entry.year, row.group, row.label, int(row.by_rate)]
                + [data[name] for name in FORECAST_COLUMNS[5:-1]]
                + [consultants]
            )
    return _csv(FORECAST_COLUMNS, rows)


def comparison_csv(result: Comparison) -> str:
    """One row per year and label (``groups``: the ids, joined by "+"), then the year's total row (label
    ``I alt``, with the consultants)."""
    rows: list[list[Any]] = []
    for entry in result.years:
        for row, consultants in [*((row, None) for row in entry.groups), (entry.total, entry.consultants)]:
            cells: list[Any] = [entry.year, row.label, "+".join(row.groups)]
            for name in COMPARED:
                change = getattr(row, name)
                cells += [_r(change.base), _r(change.alternative), _r(change.difference)]
            if consultants is None:
                cells += ["", "", ""]
            else:
                cells += [consultants.base, consultants.alternative, _r(consultants.difference)]
            rows.append(cells)
    return _csv(COMPARISON_COLUMNS, rows)


# --- Text -------------------------------------------------------------------------------------------------

_LABEL_WIDTH = 30


def figures(row: GroupForecast) -> list[str]:
    """A row's figures as printed, in the order of the tables' columns (letters ... hours)."""
    values = (
        row.letters,
        row.letters_with_time,
        row.letters_without_time,
        row.letters_invitation,
        row.calls,
        row.assessments,
        row.visits,
        row.visit_hours,
        row.drive_hours,
        row.hours,
    )
    return [number(value) for value in values]


def _label(row: GroupForecast) -> str:
    text = row.label if row.group in ("", "total") else f"{row.label} ({row.group})"
    text += " *" if row.by_rate else ""
    return text if len(text) <= _LABEL_WIDTH else text[: _LABEL_WIDTH - 1] + "…"


def _table(headings: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [headings, *rows]) for i in range(len(headings))]
    lines = []
    for row in [headings, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def forecast_text(result: Forecast) -> str:
    """Readable tables, one per year, then the assumptions."""
    lines = [
        f"Prognose for {result.municipality}: kvalitetsstandarden {result.standard_id} "
        f"({result.standard_title})",
        f"Befolkning pr. {day(result.population_date)}: {number(result.citizens)} levende borgere",
    ]
    headings = [
        "Målgruppe",
        "Breve",
        "m. tid",
        "u. tid",
        "invit.",
        "opkald",
        "vurd.",
        "Besøg",
        "Besøgstimer",
        "Køretimer",
        "Timer",
    ]
    for entry in result.years:
        lines += [
            "",
            f"{entry.year} (forventet {number(entry.citizens_65_plus)} borgere på 65 år og derover)",
        ]
        rows = []
        for row in (*entry.groups, entry.total):
            rows.append([_label(row), *figures(row)])
        lines += _table(headings, rows)
        lines.append(f"Konsulenter: {number(entry.consultants, 1)} årsværk")
    if any(row.by_rate for entry in result.years for row in entry.groups):
        lines += ["", "* udløses af hændelser: rate pr. 1.000 borgere i aldersgruppen (se forudsætningerne)"]
    lines += ["", "Forudsætninger:", *(f"- {line}" for line in result.assumptions)]
    return "\n".join(lines) + "\n"


def comparison_text(result: Comparison) -> str:
    """Per year: each label's letters, letters with a time, visits and hours under the standard in force
    ("nu"), under the alternative ("forslag") and the difference; then the consultants."""
    base, alt = result.base, result.alternative
    lines = [
        f"Sammenligning for {base.municipality}: kvalitetsstandarden i kraft ({base.standard_id}) "
        f"og forslaget ({alt.standard_id})",
        f"Befolkning pr. {day(base.population_date)}: {number(base.citizens)} levende borgere",
    ]
    headings = ["Målgruppe"]
    for name in ("Breve", "Med tid", "Besøg", "Timer"):
        headings += [f"{name} nu", "forslag", "forskel"]
    for entry in result.years:
        lines += ["", str(entry.year)]
        rows = []
        for row in (*entry.groups, entry.total):
            cells = [row.label]
            for name in COMPARED:
                change = getattr(row, name)
                cells += [number(change.base), number(change.alternative), signed(change.difference)]
            rows.append(cells)
        lines += _table(headings, rows)
        c = entry.consultants
        lines.append(
            f"Konsulenter: {number(c.base, 1)} → {number(c.alternative, 1)} årsværk "
            f"({signed(c.difference, 1)})"
        )
    lines += [
        "",
        "Forudsætninger (kvalitetsstandarden i kraft):",
        *(f"- {line}" for line in base.assumptions),
    ]
    extra = [line for line in alt.assumptions if line not in base.assumptions]
    if extra:
        lines += ["", "Forudsætninger, der kun gælder forslaget:", *(f"- {line}" for line in extra)]
    return "\n".join(lines) + "\n"
