"""Start a background job: a :class:`Job` row and a queued task, in one transaction, or a refusal."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from fhb.accounts.models import User
from fhb.action_log import actor, log_after_commit
from fhb.jobs.models import Job
from fhb.jobs.registry import kind
from fhb.jobs.tasks import run_job


class JobRefused(Exception):
    """A job of a kind that changes the same data is queued or running already; ``running`` is it."""

    def __init__(self, running: Job) -> None:
        self.running = running
        user = running.started_by
        who = (user.get_full_name() or user.get_username()) if user is not None else "systemet"
        when = date_format(timezone.localtime(running.created_at), "j. F \\k\\l. H:i")
        how_far = f" ({running.percent} %)" if running.percent is not None else ""
        super().__init__(
            f"«{running.title}» er allerede {running.get_state_display().lower()}{how_far}, "
            f"startet {when} af {who}. Vent til det er færdigt, og prøv så igen."
        )


def start_job(
    name: str, title: str, *, params: dict[str, Any] | None = None, user: User | None = None
) -> Job:
    """Queue a job of kind ``name``; raises :class:`JobRefused` when its lock is held by another."""
    lock = kind(name).lock
    if lock and (running := _holder(lock)) is not None:
        raise JobRefused(running)
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=name, title=title[:200], lock=lock, params=params or {}, started_by=user
            )
            job.task_id = str(run_job.enqueue(job.pk).id)
            job.save(update_fields=["task_id"])
            log_after_commit("Job %s (%s) startet af %s", job.pk, name, actor(user))
    except IntegrityError:
        # Another start took the lock between the look and the insert (a double click).
        running = _holder(lock)
        if running is None:
            raise
        raise JobRefused(running) from None
    return job


def _holder(lock: str) -> Job | None:
    return Job.objects.filter(lock=lock, state__in=Job.ACTIVE).select_related("started_by").first()
