"""The one task django-tasks queues for fhb: run the :class:`Job` with this id.

Whatever a job's work raises ends the job *failed* with the reason; the work's writes are its own
transactions (each app's actions are durable and all or nothing), so a failed or killed job has stored
either everything or nothing of each step.
"""

from __future__ import annotations

import logging
import os
import socket

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from fhb.jobs.models import Job
from fhb.jobs.progress import Progress
from fhb.jobs.registry import JobFailed, kind

log = logging.getLogger("fhb.jobs")


def worker_name() -> str:
    """This process as the job's page names it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@task()
def run_job(job_id: int) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, state=Job.State.QUEUED).first()
        if job is None:
            return  # done, failed or given up on already (a task run twice after a crash)
        job.state = Job.State.RUNNING
        job.started_at = timezone.now()
        job.worker = worker_name()
        job.save(update_fields=["state", "started_at", "worker"])
    progress = Progress(job, worker=job.worker)
    try:
        outcome = kind(job.kind).handler(job, progress)
    except JobFailed as error:
        _finish(job, Job.State.FAILED, error=str(error))
    except Exception as error:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            Job.State.FAILED,
            error=f"Jobbet stoppede med en uventet fejl: {type(error).__name__}: {error}",
        )
    else:
        job.message, job.result_url, job.result = outcome.message, outcome.url, outcome.data
        _finish(job, Job.State.DONE)


def _finish(job: Job, state: Job.State, *, error: str = "") -> None:
    job.state = state
    job.error = error
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "state",
            "error",
            "finished_at",
            "message",
            "result_url",
            "result",
            "done",
            "total",
            "step",
        ]
    )
