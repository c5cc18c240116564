"""Sending a run's letters as a background job (``fhb.jobs``): thousands of letters composed and queued."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from fhb.jobs.models import Job
from fhb.jobs.progress import Progress
from fhb.jobs.registry import JobFailed, Outcome, job_kind
from fhb.letters import compose
from fhb.letters.actions import send_run_letters
from fhb.offers.models import EligibilityRun
from fhb.standards.current import current_standard


@job_kind("send_letters", lock="letters")
def send_letters(job: Job, progress: Progress) -> Outcome:
    run = EligibilityRun.objects.filter(pk=job.params["run"]).first()
    if run is None:
        raise JobFailed(f"Kørsel {job.params['run']} findes ikke længere; der er ikke sendt breve.")
    progress.step("Skriver brevene (derefter lægges de i udbakken i ét hug)")
    try:
        dispatch = send_run_letters(
            run,
            today=timezone.localdate(),
            standard=current_standard(),
            user=job.started_by,
            progress=progress.advance,
        )
    except compose.NotReady as error:
        raise JobFailed(str(error)) from error
    return Outcome(
        message=(
            f"{dispatch.summary['queued']} breve er lagt i udbakken; "
            f"{dispatch.summary['waiting_total']} tilbud venter."
        ),
        url=reverse("dispatch-detail", args=[dispatch.pk]),
    )
