"""The leader's capacity forecast: the standard in force over the coming years, and an edited copy of it side
by side (what a committee needs before it approves a new standard). docs/forecast.md explains the method."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fhb.accounts.access import role_required
from fhb.accounts.models import Role
from fhb.core.forecast import (
    PRESETS,
    Comparison,
    Forecast,
    PresetNotPossible,
    apply_preset,
    compare,
    forecast,
)
from fhb.core.forecast.model import GroupChange
from fhb.core.forecast.mortality import load_mortality
from fhb.core.forecast.output import COMPARED, figures
from fhb.core.forecast.texts import day, number, signed
from fhb.core.standard.schema import QualityStandard
from fhb.forecast.forms import CompareForm, ForecastForm
from fhb.forecast.rates import forecast_inputs, population_date
from fhb.standards.current import current_standard

#: How many years the form proposes, from the year after the extract's.
PROPOSED_YEARS = 3


def standard_source(name_or_path: str) -> str:
    """The TOML text of the standard in force (``FHB_STANDARD``: a shipped name or a path)."""
    if "/" in name_or_path or "\\" in name_or_path or name_or_path.endswith(".toml"):
        return Path(name_or_path).read_text(encoding="utf-8")
    return resources.files("fhb").joinpath("standards", f"{name_or_path}.toml").read_text(encoding="utf-8")


def _initial(extract_year: int) -> dict[str, Any]:
    return {"first_year": extract_year + 1, "last_year": extract_year + PROPOSED_YEARS}


def forecast_tables(result: Forecast) -> list[dict[str, Any]]:
    """Per year: the rows (label, group id, by rate, figures as Danish text), total and consultants."""
    return [
        {
            "year": entry.year,
            "citizens": number(entry.citizens_65_plus),
            "rows": [(row.label, row.group, row.by_rate, figures(row)) for row in entry.groups],
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
    """Per year: each label's base, alternative and difference (Danish text), total and consultants."""
    return [
        {
            "year": entry.year,
            "rows": [(row.label, _ids(row.groups), _changes(row)) for row in entry.groups],
            "total": _changes(entry.total),
            "consultants": (
                number(entry.consultants.base, 1),
                number(entry.consultants.alternative, 1),
                signed(entry.consultants.difference, 1),
            ),
        }
        for entry in result.years
    ]


def _inputs(form: ForecastForm, standard: QualityStandard) -> Any:
    return forecast_inputs(
        standard,
        timezone.localdate(),
        drive_min=form.cleaned_data.get("drive_min"),
        hours_per_fte=form.cleaned_data.get("hours_per_fte"),
    )


@role_required(Role.LEADER, Role.ADMIN)
def forecast_page(request: HttpRequest) -> HttpResponse:
    """GET: the form; with the years in the query, also the forecast of the standard in force."""
    standard = current_standard()
    extract = population_date(timezone.localdate())
    result = None
    if "first_year" in request.GET:
        form = ForecastForm(request.GET, extract_year=extract.year)
        if form.is_valid():
            inputs = _inputs(form, standard)
            result = forecast(
                standard,
                inputs.population,
                form.years,
                on=inputs.on,
                mortality=load_mortality(),
                rates=inputs.rates,
            )
    else:
        form = ForecastForm(initial=_initial(extract.year), extract_year=extract.year)
    context = {
        "form": form,
        "standard": standard,
        "extract": day(extract),
        "result": result,
        "tables": forecast_tables(result) if result is not None else [],
    }
    return render(request, "forecast/forecast.html", context)


@role_required(Role.LEADER, Role.ADMIN)
def forecast_compare(request: HttpRequest) -> HttpResponse:
    """GET: the form with the standard in force as text. POST with ``preset``: the text with a preset
    applied (nothing computed); POST otherwise: both forecasts and their difference."""
    standard = current_standard()
    extract = population_date(timezone.localdate())
    comparison = None
    preset_error = None
    if request.method == "POST":
        form = CompareForm(request.POST, extract_year=extract.year)
        preset = request.POST.get("preset")
        if preset:
            text = request.POST.get("standard_text", "").replace("\r\n", "\n")
            try:
                text = apply_preset(text, preset)
            except PresetNotPossible as error:
                preset_error = str(error)
            data = request.POST.copy()
            data["standard_text"] = text
            form = CompareForm(data, extract_year=extract.year)
            form.is_valid()  # show any problem of the text at once
        elif form.is_valid():
            inputs = _inputs(form, standard)
            mortality = load_mortality()
            base = forecast(
                standard, inputs.population, form.years, on=inputs.on, mortality=mortality, rates=inputs.rates
            )
            other = forecast(
                form.alternative,
                inputs.population,
                form.years,
                on=inputs.on,
                mortality=mortality,
                rates=inputs.rates,
            )
            comparison = compare(base, other)
    else:
        initial = {**_initial(extract.year), "standard_text": standard_source(settings.FHB_STANDARD)}
        form = CompareForm(initial=initial, extract_year=extract.year)
    context = {
        "form": form,
        "standard": standard,
        "extract": day(extract),
        "presets": PRESETS,
        "preset_error": preset_error,
        "comparison": comparison,
        "tables": comparison_tables(comparison) if comparison is not None else [],
        "extra_assumptions": (
            [line for line in comparison.alternative.assumptions if line not in comparison.base.assumptions]
            if comparison is not None
            else []
        ),
    }
    return render(request, "forecast/compare.html", context)
