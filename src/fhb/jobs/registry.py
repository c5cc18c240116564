"""The kinds of background job: each app registers the work it owns under a name.

An app's ``jobs.py`` says ``@job_kind("plan_run", lock="plan")`` over a function that takes the
:class:`~fhb.jobs.models.Job` and a :class:`~fhb.jobs.progress.Progress` and returns an :class:`Outcome`;
the app's ``AppConfig.ready()`` imports that module. Jobs of kinds with the same ``lock`` change the same
data: only one of them is queued or running at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fhb.jobs.models import Job
    from fhb.jobs.progress import Progress


@dataclass(frozen=True)
class Outcome:
    """What came of a job: a sentence in Danish, the page to see it on, and data for that page."""

    message: str
    url: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class JobFailed(Exception):
    """Raised by a job with a message for the person who started it (Danish: what, where, why)."""


Handler = Callable[["Job", "Progress"], Outcome]


@dataclass(frozen=True)
class JobKind:
    name: str
    lock: str
    handler: Handler


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, lock: str = "") -> Callable[[Handler], Handler]:
    """Register ``handler`` as the work of jobs of kind ``name``."""

    def register(handler: Handler) -> Handler:
        if name in KINDS and KINDS[name].handler is not handler:
            raise ValueError(f"job kind {name!r} is registered twice")
        KINDS[name] = JobKind(name=name, lock=lock, handler=handler)
        return handler

    return register


#: Tidy-ups the worker runs now and then (e.g. uploads nobody confirmed): each takes the current time.
HOUSEKEEPING: list[Callable[[Any], None]] = []


def housekeeping(task: Callable[[Any], None]) -> Callable[[Any], None]:
    """Register ``task(now)`` for the worker to run about once an hour."""
    if task not in HOUSEKEEPING:
        HOUSEKEEPING.append(task)
    return task


def kind(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(
            f"no job kind {name!r} is registered (is its app's jobs module imported?)"
        ) from None
