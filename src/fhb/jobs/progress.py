"""How far a running job is, written where the job's page reads it.

A job reports between its transactions (parsing, solving, rendering); inside a transaction a report would
only be seen at commit, and on SQLite a second connection could not write at all, so a report made inside
one is skipped. Reports are written at most every :data:`EVERY_S` seconds, except a new step.
"""

from __future__ import annotations

import time

from django.db import connection
from django.utils import timezone

from fhb.jobs.models import Job, WorkerBeat

#: Seconds between two progress writes for the same step.
EVERY_S = 0.5


class Progress:
    def __init__(self, job: Job, worker: str = "") -> None:
        self.job = job
        self.worker = worker
        self._written = 0.0

    def step(self, text: str, *, total: int | None = None) -> None:
        """A new step: its text (Danish, e.g. "Lægger breve i udbakken") and how many things it counts."""
        self.job.step = text[:200]
        self.job.done = 0
        self.job.total = total
        self._write(force=True)

    def advance(self, done: int, total: int | None = None) -> None:
        """``done`` of ``total`` (or of the step's total) are finished."""
        self.job.done = done
        if total is not None:
            self.job.total = total
        self._write(force=False)

    def _write(self, *, force: bool) -> None:
        now = time.monotonic()
        if _in_transaction() or (not force and now - self._written < EVERY_S):
            return
        self._written = now
        Job.objects.filter(pk=self.job.pk).update(
            step=self.job.step, done=self.job.done, total=self.job.total
        )
        if self.worker:
            WorkerBeat.objects.filter(name=self.worker).update(seen_at=timezone.now())


def _in_transaction() -> bool:
    """Inside a transaction of the work's own (not one a test wraps around everything): Django's own
    durability check tells them apart the same way."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
