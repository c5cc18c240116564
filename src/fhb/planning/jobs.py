"""Laying the plan as a background job (``fhb.jobs``): the route search takes its set time, then writes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from fhb.jobs.models import Job
from fhb.jobs.progress import Progress
from fhb.jobs.registry import JobFailed, Outcome, job_kind
from fhb.planning.actions import run_plan
from fhb.planning.booking import daydate
from fhb.planning.locks import BookingError
from fhb.standards.current import current_standard


@job_kind("plan_run", lock="plan")
def plan_run(job: Job, progress: Progress) -> Outcome:
    first, weeks = dt.date.fromisoformat(job.params["first"]), int(job.params["weeks"])
    progress.step(f"Søger de korteste ruter (op til {settings.FHB_PLAN_SECONDS:g} sekunder) og gemmer planen")
    try:
        run = run_plan(first, weeks, standard=current_standard(), user=job.started_by)[0]
    except BookingError as error:
        raise JobFailed(str(error)) from error
    summary = run.summary
    message = (
        f"Planen er lagt for {daydate(run.first)}–{daydate(run.last)}: {summary['visits']} besøg, heraf "
        f"{summary['created']} nye; {summary['moved']} flyttet, {summary['removed']} kladder fjernet."
    )
    if run.warnings:
        message += f" {len(run.warnings)} besøg kunne ikke placeres; se advarslerne."
    return Outcome(message=message, url=reverse("plan-overview"))
