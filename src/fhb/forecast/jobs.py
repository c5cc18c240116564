"""The forecast and the comparison as background jobs (``fhb.jobs``): seconds on a large municipality (the
stored population, the history's rates, then the engine once a year for each standard).

Both only read, so they hold no lock: two leaders may forecast at once. The job's params are the form's
values (``first_year``, ``last_year``, ``drive_min``, ``hours_per_fte``; the comparison also the edited
``standard_text``); its result is what the page shows (:mod:`fhb.forecast.tables`), read back by the page
at ``?job=<id>``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from fhb.core.forecast import compare, forecast, load_mortality
from fhb.core.forecast.editing import problem_lines
from fhb.core.forecast.texts import number
from fhb.core.standard import QualityStandard, StandardError, parse_standard
from fhb.forecast.forms import EDITED_SOURCE
from fhb.forecast.rates import ForecastInputs, forecast_inputs
from fhb.forecast.tables import comparison_shown, forecast_shown
from fhb.jobs.models import Job
from fhb.jobs.progress import Progress
from fhb.jobs.registry import JobFailed, Outcome, job_kind
from fhb.standards.current import current_standard

#: The kinds, as the pages name them when they start a job and when they show one.
FORECAST = "forecast"
COMPARE = "forecast_compare"

#: The form fields a job's params hold (the comparison's also ``standard_text``).
INPUTS = ("first_year", "last_year", "drive_min", "hours_per_fte")


def span(params: dict[str, Any]) -> str:
    """The years of a job's params as a title shows them: "2027–2029" (or "2027")."""
    first, last = params["first_year"], params["last_year"]
    return f"{first}–{last}" if first != last else str(first)


def _years(params: dict[str, Any]) -> range:
    return range(int(params["first_year"]), int(params["last_year"]) + 1)


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def _inputs(job: Job, progress: Progress, standard: QualityStandard) -> ForecastInputs:
    progress.step("Henter den gemte befolkning og satserne fra de seneste år")
    return forecast_inputs(
        standard,
        timezone.localdate(),
        drive_min=_optional(job.params.get("drive_min")),
        hours_per_fte=_optional(job.params.get("hours_per_fte")),
    )


@job_kind(FORECAST)
def forecast_job(job: Job, progress: Progress) -> Outcome:
    standard = current_standard()
    inputs = _inputs(job, progress, standard)
    progress.step(f"Regner kvalitetsstandarden frem for {span(job.params)}")
    result = forecast(
        standard,
        inputs.population,
        _years(job.params),
        on=inputs.on,
        mortality=load_mortality(),
        rates=inputs.rates,
    )
    last = result.years[-1]
    return Outcome(
        message=(
            f"Prognosen for {span(job.params)} er beregnet: "
            f"{number(last.consultants, 1)} konsulentårsværk i {last.year}."
        ),
        url=f"{reverse('forecast')}?job={job.pk}",
        data=forecast_shown(result),
    )


@job_kind(COMPARE)
def compare_job(job: Job, progress: Progress) -> Outcome:
    text = str(job.params["standard_text"])
    try:
        alternative = parse_standard(text, EDITED_SOURCE)
    except StandardError as error:  # the form checked it; only a changed loader gets here
        lines = "\n".join(problem_lines(error, text))
        raise JobFailed(f"Forslaget kan ikke bruges som kvalitetsstandard:\n{lines}") from error
    standard = current_standard()
    inputs = _inputs(job, progress, standard)
    mortality = load_mortality()
    years = _years(job.params)
    progress.step(f"Regner kvalitetsstandarden i kraft frem for {span(job.params)}")
    base = forecast(standard, inputs.population, years, on=inputs.on, mortality=mortality, rates=inputs.rates)
    progress.step(f"Regner forslaget frem for {span(job.params)}")
    other = forecast(
        alternative, inputs.population, years, on=inputs.on, mortality=mortality, rates=inputs.rates
    )
    comparison = compare(base, other)
    last = comparison.years[-1]
    return Outcome(
        message=(
            f"Sammenligningen for {span(job.params)} er beregnet: i {last.year} "
            f"{number(last.consultants.base, 1)} konsulentårsværk nu, "
            f"{number(last.consultants.alternative, 1)} med forslaget."
        ),
        url=f"{reverse('forecast-compare')}?job={job.pk}",
        data=comparison_shown(comparison),
    )
