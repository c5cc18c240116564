"""The leader's capacity forecast: the standard in force over the coming years, and an edited copy of it side
by side (what a committee needs before it approves a new standard). docs/forecast.md explains the method.

Both take seconds on a large municipality, so the pages compute nothing themselves: submitting the form
starts a background job (:mod:`fhb.forecast.jobs`), and the page at ``?job=<id>`` shows what that job stored,
with the form holding the job's values; a reload shows the same result without computing again."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.access import role_required, staff_user
from fhb.accounts.models import Role
from fhb.core.forecast import PRESETS, PresetNotPossible, apply_preset
from fhb.core.forecast.texts import day
from fhb.forecast.forms import CompareForm, ForecastForm
from fhb.forecast.jobs import COMPARE, FORECAST, INPUTS, span
from fhb.forecast.rates import population_date
from fhb.forecast.tables import forecast_charts
from fhb.jobs.models import Job
from fhb.jobs.starting import JobRefused, start_job
from fhb.jobs.views import start_from_page
from fhb.standards.current import current_standard
from fhb.ui.charts import BESIDE_WIDTH, svg

#: How many years the form proposes, from the year after the extract's.
PROPOSED_YEARS = 3


def standard_source(name_or_path: str) -> str:
    """The TOML text of the standard in force (``FHB_STANDARD``: a shipped name or a path)."""
    if "/" in name_or_path or "\\" in name_or_path or name_or_path.endswith(".toml"):
        return Path(name_or_path).read_text(encoding="utf-8")
    return resources.files("fhb").joinpath("standards", f"{name_or_path}.toml").read_text(encoding="utf-8")


def _initial(extract_year: int) -> dict[str, Any]:
    return {"first_year": extract_year + 1, "last_year": extract_year + PROPOSED_YEARS}


def _params(form: ForecastForm) -> dict[str, Any]:
    """The form's values as a job's params (plain JSON)."""
    return {name: form.cleaned_data.get(name) for name in INPUTS}


@dataclass(frozen=True)
class Shown:
    """The job a page was asked to show (``?job=<id>``): its stored result, or why there is none."""

    job: Job | None = None
    result: dict[str, Any] | None = None
    problem: str = ""
    status: int = 200

    @property
    def inputs(self) -> dict[str, Any]:
        """The form's values the job was started with (for the form beside its result); {} without a job."""
        return dict(self.job.params) if self.job is not None else {}

    def context(self) -> dict[str, Any]:
        """What the templates read: ``job``, ``result`` (its stored data), ``tables`` and ``problem``."""
        tables = self.result.get("tables", []) if self.result else []
        return {"job": self.job, "result": self.result, "tables": tables, "problem": self.problem}


#: A page not asked to show a job.
NOTHING = Shown()


def _job_id(text: str) -> int | None:
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def shown_job(request: HttpRequest, kind: str) -> Shown:
    """The job of ``kind`` named by ``?job=``, when the user may see it (started it, or leads);
    :data:`NOTHING` when the page was not asked for one. Computes nothing: a finished job's result is read
    from its row."""
    if "job" not in request.GET:
        return NOTHING
    pk = _job_id(request.GET["job"])
    job = Job.objects.filter(pk=pk, kind=kind).first() if pk is not None else None
    user = staff_user(request)
    if job is None or (job.started_by_id != user.pk and not user.has_role(Role.LEADER, Role.ADMIN)):
        problem = _("Beregningen findes ikke (eller du kan ikke se den). Beregn en ny herunder.")
        return Shown(problem=problem, status=404)
    if job.state == Job.State.DONE:
        return Shown(job, result=job.result)
    if job.active:
        problem = _("Beregningen er ikke færdig endnu (%(state)s). Følg den på jobbets side.")
        return Shown(job, problem=problem % {"state": job.get_state_display().lower()})
    return Shown(job, problem=_("Beregningen fejlede: %(error)s") % {"error": job.error})


@role_required(Role.LEADER, Role.ADMIN)
def forecast_page(request: HttpRequest) -> HttpResponse:
    """GET: the form, or with ``?job=`` a forecast computed by that job. POST: start the forecast of the
    standard in force as a job and show its page (a form with mistakes answers at once)."""
    standard = current_standard()
    extract = population_date(timezone.localdate())
    shown = NOTHING
    if request.method == "POST":
        form = ForecastForm(request.POST, extract_year=extract.year)
        if form.is_valid():
            params = _params(form)
            title = _("Prognose for %(years)s") % {"years": span(params)}
            return start_from_page(request, FORECAST, title, params, back="forecast")
    else:
        shown = shown_job(request, FORECAST)
        form = ForecastForm(initial=shown.inputs or _initial(extract.year), extract_year=extract.year)
    charts = [svg(chart, width=BESIDE_WIDTH) for chart in forecast_charts(shown.result or {})]
    context = {
        "form": form,
        "standard": standard,
        "extract": day(extract),
        "charts": charts,
        **shown.context(),
    }
    return render(request, "forecast/forecast.html", context, status=shown.status)


@role_required(Role.LEADER, Role.ADMIN)
def forecast_compare(request: HttpRequest) -> HttpResponse:
    """GET: the form with the standard in force as text, or with ``?job=`` a comparison computed by that job
    (the form holding its text). POST with ``preset``: the text with a preset applied (nothing computed);
    POST otherwise: start the comparison as a job (the edited text in its params) and show its page."""
    standard = current_standard()
    extract = population_date(timezone.localdate())
    shown = NOTHING
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
            params = {**_params(form), "standard_text": form.cleaned_data["standard_text"]}
            title = _("Sammenligning med forslag til kvalitetsstandard, %(years)s") % {"years": span(params)}
            try:
                job = start_job(COMPARE, title, params=params, user=staff_user(request))
            except JobRefused as refused:  # the form keeps the edited text
                form.add_error(None, str(refused))
            else:
                return redirect("job-detail", pk=job.pk)
    else:
        shown = shown_job(request, COMPARE)
        initial = shown.inputs or {
            **_initial(extract.year),
            "standard_text": standard_source(settings.FHB_STANDARD),
        }
        form = CompareForm(initial=initial, extract_year=extract.year)
    context = {
        "form": form,
        "standard": standard,
        "extract": day(extract),
        "presets": PRESETS,
        "preset_error": preset_error,
        **shown.context(),
    }
    return render(request, "forecast/compare.html", context, status=shown.status)
