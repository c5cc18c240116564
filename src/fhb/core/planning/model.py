"""The planner's records: consultants and visits to place in, day plans and reasons out.

Times are naive local times (Europe/Copenhagen); durations carry their unit in the name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from fhb.core.planning.calendar import Absence, WorkingPattern
from fhb.core.planning.travel import Point


@dataclass(frozen=True, slots=True)
class Consultant:
    id: int
    name: str
    base: Point
    """Where the day starts and ends (the health centre, or home)."""
    pattern: WorkingPattern
    absences: tuple[Absence, ...] = ()


@dataclass(frozen=True, slots=True)
class Promise:
    """A time already given to the citizen (in a letter, on the phone, or moved by hand): it never moves."""

    consultant: int
    start: dt.datetime


@dataclass(frozen=True, slots=True)
class VisitNeed:
    """A visit to place (or, with ``promise``, to keep where it is)."""

    key: str
    """The caller's name for it (fhb: ``visit:<pk>`` or ``offers:<pk>+<pk>``)."""
    point: Point
    duration_min: int
    due_from: dt.date
    due_to: dt.date
    promise: Promise | None = None
    previous_consultant: int | None = None
    """Continuity: the consultant who visited the citizen before is preferred."""
    notice_from: dt.date | None = None
    """The first day the visit may be held when the citizen is still to be told its time by letter (the
    plan's day + the standard's ``letter_notice_days``); None: nothing to wait for. A promised visit keeps
    its time whatever this says."""

    def __post_init__(self) -> None:
        if self.due_to < self.due_from:
            raise ValueError(f"{self.key}: due_to {self.due_to} is before due_from {self.due_from}")
        if not 0 < self.duration_min <= 600:
            raise ValueError(f"{self.key}: duration_min must be 1..600 (got {self.duration_min})")


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    key: str
    consultant: int
    start: dt.datetime
    end: dt.datetime
    promised: bool
    travel_s: int
    """Driving to this visit from the previous stop (or the start place)."""


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One consultant's route on one shift: leave, visits in order (lunch among them), come back."""

    consultant: int
    day: dt.date
    leave: dt.datetime
    back: dt.datetime
    visits: tuple[PlannedVisit, ...]
    lunch: tuple[dt.datetime, dt.datetime] | None
    driving_s: int
    """All driving of the route, the way home included."""

    @property
    def working_s(self) -> int:
        return int((self.back - self.leave).total_seconds())


class Reason(StrEnum):
    NO_CONSULTANT = "no_consultant"
    """No consultant works on any day of the visit's window inside the horizon."""
    NO_CAPACITY = "no_capacity"
    """Consultants work in the window, but their days are full."""
    LATER = "later"
    """The window goes on after the horizon: it can wait for a later plan. Not a warning."""
    PROMISE_OFF_SHIFT = "promise_off_shift"
    """A promised time lies outside its consultant's working time (absence, closing day): move it by hand."""
    PROMISE_CLASH = "promise_clash"
    """A promised time cannot be kept beside the consultant's other promised visits: move it by hand."""
    NO_NOTICE = "no_notice"
    """The window ends before ``notice_from``: a letter with the time cannot reach the citizen in time."""


WARNINGS = frozenset(
    {
        Reason.NO_CONSULTANT,
        Reason.NO_CAPACITY,
        Reason.PROMISE_OFF_SHIFT,
        Reason.PROMISE_CLASH,
        Reason.NO_NOTICE,
    }
)


@dataclass(frozen=True, slots=True)
class NotPlaced:
    key: str
    reason: Reason
    text: str
    """Danish, for the leader."""

    @property
    def is_warning(self) -> bool:
        return self.reason in WARNINGS


@dataclass(frozen=True, slots=True)
class Plan:
    first: dt.date
    last: dt.date
    days: tuple[DayPlan, ...]
    not_placed: tuple[NotPlaced, ...]

    @property
    def visits(self) -> tuple[PlannedVisit, ...]:
        return tuple(v for d in self.days for v in d.visits)

    @property
    def driving_s(self) -> int:
        return sum(d.driving_s for d in self.days)

    @property
    def working_s(self) -> int:
        return sum(d.working_s for d in self.days if d.visits)
