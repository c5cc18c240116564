"""The job half of ``fhb worker``: claim a queued task, run it, keep a sign of life, clean up after a crash.

django-tasks-db's own ``db_worker`` command runs tasks in a loop of its own; fhb's worker also drives the
letter outbox and reconnects after a database failover, so it claims tasks the same way (the backend's
locked query in an exclusive transaction) one at a time between its outbox rounds.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from fhb.jobs.models import Job, WorkerBeat
from fhb.jobs.registry import HOUSEKEEPING

log = logging.getLogger("fhb.jobs")

#: A worker not seen for this long is gone: the outbox page says so, and its running jobs are failed.
GONE_AFTER = dt.timedelta(minutes=5)
#: Finished jobs (and the task queue's rows) are deleted this long after they ended.
KEEP_FINISHED = dt.timedelta(days=90)


def run_next(worker: str) -> bool:
    """Claim the oldest ready task and run it; False when none was ready."""
    tasks = DBTaskResult.objects.ready().order_by("-priority", "run_after", "enqueued_at")
    try:
        with exclusive_transaction(tasks.db):
            claimed = tasks.get_locked()
            if claimed is not None:
                claimed.claim(worker)
    except OperationalError as error:
        if is_locked_database_exception(error):
            return False  # SQLite busy with another writer: try again next round
        raise
    if claimed is None:
        return False
    try:
        claimed.task.call(*claimed.task_result.args, **claimed.task_result.kwargs)
    except Exception as error:  # the task recorded what it could on its Job; keep the library's row true
        claimed.set_failed(error)
        log.exception("opgave %s fejlede", claimed.id)
    else:
        claimed.set_successful(None)
    return True


def announce(name: str) -> None:
    """Register this worker's sign of life, and fail the jobs that died with a worker that is gone."""
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        name=name,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "started_at": now, "seen_at": now},
    )
    recover(now)


def beat(name: str) -> None:
    WorkerBeat.objects.filter(name=name).update(seen_at=timezone.now())


def goodbye(name: str) -> None:
    WorkerBeat.objects.filter(name=name).delete()


def recover(now: dt.datetime) -> int:
    """Fail the jobs left running by a worker that is gone (killed, or its machine restarted).

    A worker on this machine is gone when its process is; one elsewhere when it has not been seen for
    :data:`GONE_AFTER`. The job's writes were its own transactions, so what it had not committed is not
    stored; the message says to start it again.
    """
    here = socket.gethostname()
    alive = {b.name for b in WorkerBeat.objects.all() if _alive(b, here, now)}
    failed = 0
    for job in Job.objects.filter(state=Job.State.RUNNING).exclude(worker__in=alive):
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.FAILED,
            finished_at=now,
            error=(
                f"Arbejderen ({job.worker or 'ukendt'}) stoppede, mens jobbet var i gang "
                f"(trin: {job.step or 'start'}). Det, jobbet ikke havde gemt, er ikke gemt; "
                "start jobbet igen."
            ),
        )
        if job.task_id:
            DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
                status="FAILED", finished_at=now, exception_class_path="fhb.jobs.worker.WorkerGone"
            )
        failed += 1
    WorkerBeat.objects.exclude(name__in=alive).delete()
    if failed:
        log.warning("%s job stoppede med en arbejder, der er væk, og er markeret som fejlet", failed)
    return failed


def _alive(beat: WorkerBeat, here: str, now: dt.datetime) -> bool:
    if beat.host == here:
        return beat.pid == os.getpid() or _process_exists(beat.pid)
    return now - beat.seen_at < GONE_AFTER


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def last_seen() -> dt.datetime | None:
    """When a worker was last seen, or None when none ever was (the outbox page's warning)."""
    return WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def worker_missing() -> bool:
    """True when no ``fhb worker`` has been seen for :data:`GONE_AFTER`: queued jobs and letters wait."""
    seen = last_seen()
    return seen is None or timezone.now() - seen > GONE_AFTER


def tidy(now: dt.datetime) -> int:
    """Delete jobs and queued-task rows finished :data:`KEEP_FINISHED` ago, after each app's own tidy-up
    (:func:`fhb.jobs.registry.housekeeping`); the number of jobs deleted."""
    for task in HOUSEKEEPING:
        task(now)
    before = now - KEEP_FINISHED
    finished = Job.objects.exclude(state__in=Job.ACTIVE).filter(finished_at__lt=before)
    deleted = finished.delete()[0]
    DBTaskResult.objects.exclude(status__in=["READY", "RUNNING"]).filter(finished_at__lt=before).delete()
    return deleted
