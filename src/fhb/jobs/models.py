"""A background job as people see it, and the worker's sign of life.

django-tasks-db keeps its own row per queued task (what to call, when); :class:`Job` is fhb's row beside
it: what the job is in Danish, who started it, how far it is, what came of it, and which lock it holds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "I kø"
        RUNNING = "running", "I gang"
        DONE = "done", "Færdig"
        FAILED = "failed", "Fejlet"

    #: States in which a job holds its lock.
    ACTIVE = (State.QUEUED, State.RUNNING)

    kind = models.CharField("slags", max_length=40)
    title = models.CharField("job", max_length=200)
    #: Jobs that change the same data share a lock; at most one active job holds it (the constraint below).
    lock = models.CharField("lås", max_length=40, blank=True)
    params = models.JSONField("parametre", default=dict)
    state = models.CharField("status", max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField("trin", max_length=200, blank=True)
    done = models.PositiveIntegerField("udført", default=0)
    total = models.PositiveIntegerField("i alt", null=True, blank=True)
    message = models.TextField("resultat", blank=True)
    result_url = models.CharField("resultatets side", max_length=300, blank=True)
    result = models.JSONField("resultatdata", default=dict)
    error = models.TextField("fejl", blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="startet af"
    )
    task_id = models.CharField("opgave-id", max_length=64, blank=True)
    worker = models.CharField("arbejder", max_length=200, blank=True)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    started_at = models.DateTimeField("startet", null=True, blank=True)
    finished_at = models.DateTimeField("afsluttet", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "baggrundsjob"
        verbose_name_plural = "baggrundsjob"
        constraints = [
            models.UniqueConstraint(
                fields=["lock"],
                condition=Q(state__in=["queued", "running"]) & ~Q(lock=""),
                name="one_active_job_per_lock",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class WorkerBeat(models.Model):
    """One row per ``fhb worker`` process: the outbox page tells when none has been seen lately."""

    name = models.CharField("arbejder", max_length=200, unique=True)
    host = models.CharField("maskine", max_length=200)
    pid = models.PositiveIntegerField("proces-id")
    started_at = models.DateTimeField("startet")
    seen_at = models.DateTimeField("sidst set")

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = "arbejder"
        verbose_name_plural = "arbejdere"

    def __str__(self) -> str:
        return self.name
