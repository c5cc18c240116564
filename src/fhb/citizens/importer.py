"""Import of the population extract and the care system's facts, all or nothing.

The files are parsed by the pure core (every problem collected; nothing stored if any), compared with
the stored population (:func:`compare_with_stored`, which writes nothing, so that
:mod:`fhb.citizens.preview` can show what an extract would change), and the difference is applied in one
transaction with a history record for every row it touches. The import run keeps a summary of what
changed.

A citizen missing from the extract is kept, marked ``in_extract`` false with the import that first
missed her (``missing_since``); her planned visits and open offers stay until a leader decides
(the page "Ikke i seneste udtræk"). One who comes back is unmarked, and the leader's decision to wait
is cleared with it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from simple_history.utils import bulk_update_with_history

from fhb.accounts.models import User
from fhb.citizens.bulk import create_with_history
from fhb.citizens.models import CareEvent, Citizen, Dwelling, ImportRun
from fhb.citizens.signals import extract_applied
from fhb.core.population.changes import ChangeSet, diff_population, full_event_key
from fhb.core.population.columns import CITIZEN_FIELDS, DWELLING_FIELDS
from fhb.core.population.inputs import parse_citizens_bytes, parse_events_bytes
from fhb.core.population.model import Citizen as CoreCitizen
from fhb.core.population.model import Event as CoreEvent
from fhb.core.population.model import Population

BATCH = 2000

#: Citizen fields stored on the citizen row itself, in field order: all but its key (cpr) and its
#: dwelling's (address_id, the dwelling's key, and the dwelling's fields).
CITIZEN_COLUMNS = tuple(
    name for name in CITIZEN_FIELDS if name not in {"cpr", "address_id", *DWELLING_FIELDS}
)
#: Citizen fields stored on the dwelling row.
DWELLING_COLUMNS = DWELLING_FIELDS
#: Where each field of a core citizen is stored, in the record's field order (a query's columns).
STORED_AS = tuple(
    f"dwelling__{name}" if name == "address_id" or name in DWELLING_FIELDS else name
    for name in CITIZEN_FIELDS
)
#: Fields the record holds as None where the database stores an empty text.
BLANK_AS_NONE = ("civil_status", "spouse_cpr")


@dataclass(frozen=True)
class ImportFile:
    """An input file's name (for messages) and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> ImportFile:
        path = Path(path)
        return cls(name=path.name, data=path.read_bytes())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def parse_extract(citizens: ImportFile, events: ImportFile | None) -> Population:
    """Parse both files; raises :class:`fhb.core.population.InvalidInput` listing every problem."""
    people, warnings = parse_citizens_bytes(citizens.data, citizens.name)
    facts: list[CoreEvent] = []
    if events is not None:
        facts = parse_events_bytes(events.data, events.name, {c.cpr for c in people})
    return Population(citizens=tuple(people), events=tuple(facts), warnings=tuple(warnings))


def load_stored(
    citizens: QuerySet[Citizen] | None = None,
) -> tuple[dict[str, CoreCitizen], dict[str, bool], list[CoreEvent]]:
    """Stored citizens as core records by CPR, their in-extract flag, and their facts.

    All citizens, or those of ``citizens`` (a queryset) only.
    """
    queryset = Citizen.objects.all() if citizens is None else citizens
    found: dict[str, CoreCitizen] = {}
    in_extract: dict[str, bool] = {}
    rows = queryset.values_list(*STORED_AS, "in_extract").iterator(chunk_size=5000)
    blank = [CITIZEN_FIELDS.index(name) for name in BLANK_AS_NONE]
    for *values, flag in rows:
        for i in blank:
            values[i] = values[i] or None
        found[values[0]] = CoreCitizen(*values)
        in_extract[values[0]] = flag
    facts = CareEvent.objects.all() if citizens is None else CareEvent.objects.filter(citizen__in=queryset)
    events = [
        CoreEvent(cpr=cpr, kind=kind, start=start, end=end, note=note)
        for cpr, kind, start, end, note in facts.values_list(
            "citizen__cpr", "kind", "start", "end", "note"
        ).iterator(chunk_size=5000)
    ]
    return found, in_extract, events


@dataclass(frozen=True)
class Comparison:
    """The stored population (as core records, with each citizen's in-extract flag) and what a parsed
    extract would change in it."""

    stored: dict[str, CoreCitizen]
    in_extract: dict[str, bool]
    changes: ChangeSet

    @property
    def stored_in_extract(self) -> int:
        """Stored citizens who were in the latest extract: the base of the share that would be gone."""
        return sum(self.in_extract.values())


def compare_with_stored(population: Population, *, events_given: bool) -> Comparison:
    """Compare the parsed extract ``population`` with the stored population; writes nothing. Facts are
    compared only when ``events_given`` (an import without an events file keeps the stored ones)."""
    stored, in_extract, stored_events = load_stored()
    changes = diff_population(stored, in_extract, stored_events, population, events_given=events_given)
    return Comparison(stored=stored, in_extract=in_extract, changes=changes)


def apply_extract(
    population: Population,
    citizens: ImportFile,
    events: ImportFile | None,
    *,
    user: User | None,
    changes: ChangeSet | None = None,
) -> ImportRun:
    """Store what changed between the stored population and the parsed extract ``population`` and return
    the :class:`ImportRun` with its summary. ``changes``: the comparison already made in the same
    transaction (:func:`compare_with_stored`), else it is made here. The caller holds the transaction
    (:func:`fhb.citizens.actions.import_extract`)."""
    if changes is None:
        changes = compare_with_stored(population, events_given=events is not None).changes
    run = ImportRun.objects.create(
        user=user,
        citizens_file=citizens.name,
        events_file=events.name if events else "",
        citizens_sha256=citizens.sha256,
        events_sha256=events.sha256 if events else "",
        summary={},
        warnings=[_problem_json(w) for w in population.warnings[:1000]],
    )
    reason = f"Indlæsning {run.pk}: {citizens.name}"
    history = {"default_user": user, "default_change_reason": reason, "default_date": run.started_at}
    _apply(changes, population, history, run)
    extract_applied.send(
        sender=ImportRun,
        run=run,
        died={c.cpr: c.death_day for c in changes.changed_citizens if c.died},
        gone=list(changes.gone_cprs),
    )
    run.summary = changes.summary()
    run.summary["total_citizens"] = len(population.citizens)
    run.summary["total_events"] = len(population.events)
    run.summary["warnings"] = len(population.warnings)
    run.save(update_fields=["summary"])
    return run


def _apply(changes: ChangeSet, population: Population, history: dict[str, Any], run: ImportRun) -> None:
    dwelling_ids = _apply_dwellings(changes, population, history)

    if changes.new_citizens:
        _create(
            Citizen,
            ["cpr", *CITIZEN_COLUMNS, "dwelling_id", "in_extract"],
            [
                (c.cpr, *_citizen_values(c).values(), dwelling_ids[c.address_id], True)
                for c in changes.new_citizens
            ],
            history,
        )

    touched: dict[str, dict[str, Any]] = {}
    for change in changes.changed_citizens:
        values = _citizen_values(change.after)
        values["dwelling_id"] = dwelling_ids[change.after.address_id]
        touched[change.cpr] = values
    for cpr in changes.returned_cprs:
        touched.setdefault(cpr, {}).update(
            in_extract=True, missing_since=None, missing_kept_on=None, missing_kept_by=None, missing_note=""
        )
    for cpr in changes.gone_cprs:
        touched.setdefault(cpr, {}).update(in_extract=False, missing_since=run)
    if touched:
        rows = list(Citizen.objects.filter(cpr__in=touched.keys()))
        update_fields: set[str] = set()
        for row in rows:
            for name, value in touched[row.cpr].items():
                setattr(row, name, value)
                update_fields.add(name)
        bulk_update_with_history(rows, Citizen, sorted(update_fields), batch_size=BATCH, **history)

    _apply_events(changes, history)


def _apply_dwellings(changes: ChangeSet, population: Population, history: dict[str, Any]) -> dict[str, int]:
    """Create dwellings new in the extract and update changed ones; return address_id -> pk."""
    ids = dict(Dwelling.objects.values_list("address_id", "pk"))
    first_seen: dict[str, CoreCitizen] = {}
    for citizen in population.citizens:
        first_seen.setdefault(citizen.address_id, citizen)
    new = [address_id for address_id in first_seen if address_id not in ids]
    if new:
        values = [(address_id, *_dwelling_values(first_seen[address_id]).values()) for address_id in new]
        created = _create(Dwelling, ["address_id", *DWELLING_COLUMNS], values, history)
        ids.update(zip(new, created, strict=True))
    if changes.changed_dwellings:
        rows = list(Dwelling.objects.filter(address_id__in=changes.changed_dwellings))
        for row in rows:
            for name, value in _dwelling_values(first_seen[row.address_id]).items():
                setattr(row, name, value)
        bulk_update_with_history(rows, Dwelling, list(DWELLING_COLUMNS), batch_size=BATCH, **history)
    return ids


def _apply_events(changes: ChangeSet, history: dict[str, Any]) -> None:
    if not (changes.new_events or changes.changed_events or changes.removed_events):
        return
    citizen_ids = dict(Citizen.objects.values_list("cpr", "pk"))
    if changes.new_events:
        values = [(citizen_ids[e.cpr], e.kind, e.start, e.end, e.note) for e in changes.new_events]
        _create(CareEvent, ["citizen_id", "kind", "start", "end", "note"], values, history)
    if changes.changed_events:
        rows = _stored_events([c.before for c in changes.changed_events])
        for row, change in zip(rows, changes.changed_events, strict=True):
            row.end, row.note = change.after.end, change.after.note
        bulk_update_with_history(rows, CareEvent, ["end", "note"], batch_size=BATCH, **history)
    for row in _stored_events(changes.removed_events):
        row._change_reason = history["default_change_reason"]  # type: ignore[attr-defined]
        row.delete()


def _stored_events(events: list[CoreEvent]) -> list[CareEvent]:
    """The stored rows of ``events``, in the same order."""
    cprs = {e.cpr for e in events}
    stored = {
        (row.citizen.cpr, row.kind, row.start, row.end): row
        for row in CareEvent.objects.filter(citizen__cpr__in=cprs).select_related("citizen")
    }
    return [stored[full_event_key(e)] for e in events]


def _create(model: Any, fields: list[str], rows: list[tuple[Any, ...]], history: dict[str, Any]) -> list[int]:
    user = history["default_user"]
    return create_with_history(
        model,
        fields,
        rows,
        user_id=user.pk if user is not None else None,
        reason=history["default_change_reason"],
        when=history["default_date"],
    )


def _citizen_values(c: CoreCitizen) -> dict[str, Any]:
    """The citizen row's columns from a core citizen (None stored as "" where the column is a text)."""
    values = {name: getattr(c, name) for name in CITIZEN_COLUMNS}
    for name in BLANK_AS_NONE:
        values[name] = values[name] or ""
    return values


def _dwelling_values(c: CoreCitizen) -> dict[str, Any]:
    return {name: getattr(c, name) for name in DWELLING_COLUMNS}


def _problem_json(problem: Any) -> dict[str, Any]:
    return {
        "file": problem.file,
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "why": problem.why,
    }
