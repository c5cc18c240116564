"""The eligibility run as a background job (``fhb.jobs``): minutes on a large municipality."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from fhb.jobs.models import Job
from fhb.jobs.progress import Progress
from fhb.jobs.registry import Outcome, job_kind
from fhb.offers.actions import start_run
from fhb.offers.years import default_extract_date
from fhb.standards.current import current_standard


@job_kind("eligibility_run", lock="population")  # an import changes the offers a run writes
def eligibility_run(job: Job, progress: Progress) -> Outcome:
    year, kind = int(job.params["year"]), str(job.params["kind"])
    progress.step("Finder, hvem der skal have tilbud efter kvalitetsstandarden")
    run = start_run(
        year,
        kind,
        on=default_extract_date(year, timezone.localdate()),
        standard=current_standard(),
        user=job.started_by,
    )
    summary = run.summary
    return Outcome(
        message=(
            f"Kørslen for {year} er gennemført: {summary.get('new', 0)} nye tilbud, "
            f"{summary.get('withdrawn', 0)} trukket tilbage."
        ),
        url=reverse("run-detail", args=[run.pk]),
    )
