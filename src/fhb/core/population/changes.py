"""What changed between the stored population and a new extract (pure; the importer applies it).

A re-import must say what happened since the last one: new citizens, moves, deaths, changes of civil
status (becoming a widow(er) is a risk trigger), facts that started or ended, and citizens gone from the
extract. The same extract twice gives an empty change set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fhb.core.population.columns import CITIZEN_FIELDS, DWELLING_FIELDS
from fhb.core.population.model import WIDOWED_CODES, Citizen, Event, Population

#: The CPR civil status "død": the extract states a death by it or by a date of death.
DEAD_CODE = "D"

#: A fact is matched by citizen, kind and start (and end, to tell same-day facts apart).
EventKey = tuple[Any, ...]


def stated_dead(citizen: Citizen) -> bool:
    """The extract says the citizen is dead: a date of death, or civil status D (død)."""
    return citizen.death_date is not None or citizen.civil_status == DEAD_CODE


def event_key(event: Event) -> EventKey:
    return (event.cpr, event.kind, event.start)


@dataclass(frozen=True, slots=True)
class CitizenChange:
    """A citizen present before and now, with the names of the fields whose value changed."""

    before: Citizen
    after: Citizen
    changed_fields: tuple[str, ...]

    @property
    def cpr(self) -> str:
        return self.after.cpr

    @property
    def moved(self) -> bool:
        return "address_id" in self.changed_fields

    @property
    def died(self) -> bool:
        """The extract states a death it did not state before: a date of death or civil status D."""
        return not stated_dead(self.before) and stated_dead(self.after)

    @property
    def death_day(self) -> date | None:
        """The day of death as the extract states it: the date of death, else the day civil status D
        began; None when it gives neither."""
        if self.after.death_date is not None:
            return self.after.death_date
        return self.after.civil_status_date if self.after.civil_status == DEAD_CODE else None

    @property
    def civil_status_changed(self) -> bool:
        return "civil_status" in self.changed_fields

    @property
    def widowed(self) -> bool:
        return self.civil_status_changed and self.after.civil_status in WIDOWED_CODES


@dataclass(frozen=True, slots=True)
class EventChange:
    before: Event
    after: Event

    @property
    def ended(self) -> bool:
        return self.before.end is None and self.after.end is not None


@dataclass(slots=True)
class ChangeSet:
    """Everything a new extract changes, ready to be applied and summarised."""

    new_citizens: list[Citizen] = field(default_factory=list)
    changed_citizens: list[CitizenChange] = field(default_factory=list)
    returned_cprs: list[str] = field(default_factory=list)
    gone_cprs: list[str] = field(default_factory=list)
    new_events: list[Event] = field(default_factory=list)
    changed_events: list[EventChange] = field(default_factory=list)
    removed_events: list[Event] = field(default_factory=list)
    changed_dwellings: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.new_citizens
            or self.changed_citizens
            or self.returned_cprs
            or self.gone_cprs
            or self.new_events
            or self.changed_events
            or self.removed_events
            or self.changed_dwellings
        )

    def summary(self, list_limit: int = 1000) -> dict[str, Any]:
        """Counts and (capped) CPR lists per kind of change, as JSON-ready data."""

        def cprs(items: Iterable[str]) -> list[str]:
            return sorted(items)[:list_limit]

        changed = self.changed_citizens
        moved = [c.cpr for c in changed if c.moved]
        died = [c.cpr for c in changed if c.died]
        civil = [c.cpr for c in changed if c.civil_status_changed]
        widowed = [c.cpr for c in changed if c.widowed]
        started = [e.cpr for e in self.new_events]
        ended = [c.after.cpr for c in self.changed_events if c.ended]
        groups: dict[str, list[str]] = {
            "new": [c.cpr for c in self.new_citizens],
            "moved": moved,
            "died": died,
            "civil_status_changed": civil,
            "widowed": widowed,
            "other_changes": [c.cpr for c in changed],
            "returned": list(self.returned_cprs),
            "gone": list(self.gone_cprs),
            "events_started": started,
            "events_ended": ended,
            "events_changed": [c.after.cpr for c in self.changed_events],
            "events_removed": [e.cpr for e in self.removed_events],
            "dwellings_changed": list(self.changed_dwellings),
        }
        return {
            "counts": {name: len(items) for name, items in groups.items()},
            "cprs": {name: cprs(set(items)) for name, items in groups.items() if items},
        }


def diff_population(
    stored: Mapping[str, Citizen],
    stored_in_extract: Mapping[str, bool],
    stored_events: Iterable[Event],
    extract: Population,
    *,
    events_given: bool = True,
) -> ChangeSet:
    """Compare the stored population with a new extract.

    ``stored`` maps CPR to the citizen as stored, ``stored_in_extract`` says whether the citizen was in
    the latest extract. Facts are compared only when ``events_given`` (an import without an events file
    leaves the stored facts as they are).
    """
    changes = ChangeSet()
    stored_dwellings: dict[str, tuple[Any, ...]] = {}
    for citizen in stored.values():
        stored_dwellings[citizen.address_id] = _dwelling_values(citizen)

    seen: set[str] = set()
    new_dwellings: set[str] = set()
    for citizen in extract.citizens:
        seen.add(citizen.cpr)
        before = stored.get(citizen.cpr)
        if before is None:
            changes.new_citizens.append(citizen)
        else:
            if before != citizen:
                changed = tuple(
                    name for name in CITIZEN_FIELDS if getattr(before, name) != getattr(citizen, name)
                )
                changes.changed_citizens.append(CitizenChange(before, citizen, changed))
            if not stored_in_extract.get(citizen.cpr, True):
                changes.returned_cprs.append(citizen.cpr)
        known = stored_dwellings.get(citizen.address_id)
        if (
            known is not None
            and known != _dwelling_values(citizen)
            and citizen.address_id not in new_dwellings
        ):
            changes.changed_dwellings.append(citizen.address_id)
            new_dwellings.add(citizen.address_id)

    changes.gone_cprs = sorted(cpr for cpr in stored if cpr not in seen and stored_in_extract.get(cpr, True))

    if events_given:
        _diff_events(stored_events, extract.events, changes)
    return changes


def _diff_events(stored_events: Iterable[Event], events: Iterable[Event], changes: ChangeSet) -> None:
    """Match facts by their full identity, then pair what is left by citizen, kind and start.

    A fact whose end date changed is the same fact (paired); one with a new start is a new fact. Exact
    duplicate rows in the extract count once (their notes are joined, so nothing is lost).
    """
    incoming: dict[EventKey, Event] = {}
    for event in events:
        key = full_event_key(event)
        seen = incoming.get(key)
        if seen is None:
            incoming[key] = event
        elif event.note and event.note not in seen.note.split("; "):
            note = f"{seen.note}; {event.note}" if seen.note else event.note
            incoming[key] = Event(event.cpr, event.kind, event.start, event.end, note)

    before = {full_event_key(e): e for e in stored_events}
    unmatched: list[Event] = []
    for key, event in incoming.items():
        old = before.pop(key, None)
        if old is None:
            unmatched.append(event)
        elif old != event:
            changes.changed_events.append(EventChange(old, event))

    leftover: dict[EventKey, list[Event]] = {}
    for old in sorted(before.values(), key=_sort_key):
        leftover.setdefault(event_key(old), []).append(old)
    for event in unmatched:
        candidates = leftover.get(event_key(event))
        if candidates:
            changes.changed_events.append(EventChange(candidates.pop(), event))
        else:
            changes.new_events.append(event)
    changes.removed_events = sorted((e for olds in leftover.values() for e in olds), key=_sort_key)


def full_event_key(event: Event) -> EventKey:
    """The whole identity of a fact as stored: citizen, kind, start and end."""
    return (event.cpr, event.kind, event.start, event.end)


def _sort_key(event: Event) -> tuple[Any, ...]:
    # Ongoing facts (no end) sort last, so pairing takes an ongoing stored fact first.
    return (event.cpr, event.kind, event.start, event.end is None, event.end or event.start)


def _dwelling_values(citizen: Citizen) -> tuple[Any, ...]:
    return tuple(getattr(citizen, name) for name in DWELLING_FIELDS)
