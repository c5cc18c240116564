"""An import interrupted half-way leaves the database as it was, and the same files then import normally.

Each case makes one step of applying a changed extract fail after earlier steps have written rows: the new
dwellings and citizens, the bulk updates, a removed fact, the offers the re-import withdraws. Every table
(citizens, dwellings, facts, their history, import runs, and the offers, visits and letters a re-import
touches) must hold exactly the rows it held before. The tests commit for real (``transaction=True``), so
the import's own transaction is the one rolled back, not a savepoint inside the test's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from fhb.citizens import bulk, importer
from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import CareEvent, Citizen, ImportRun
from fhb.offers import receivers
from fhb.offers.models import Offer
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.citizens.builders import BASE, BASE_EVENTS, citizens_csv, events_csv, person

pytestmark = pytest.mark.django_db(transaction=True)

#: The extract a month later: Bent died and Åse is widowed, their street was renamed, Clara moved to a new
#: address and her help ended, Dan is gone (his nursing-home fact with him), Eva is new.
CHANGED = [
    person(
        "0101501234",
        "Åse Testesen",
        "adr-1",
        street="Kløverstien 1",
        civil_status="E",
        civil_status_date="2026-10-01",
    ),
    person(
        "0202481235",
        "Bent Testesen",
        "adr-1",
        street="Kløverstien 1",
        civil_status="D",
        death_date="2026-10-01",
    ),
    person("0303441236", "Clara Prøvesen", "adr-9", civil_status="E", civil_status_date="2025-05-01"),
    person("0505601238", "Eva Nysen", "adr-4"),
]
CHANGED_EVENTS = [
    {"cpr": "0303441236", "kind": "practical_help", "start": "2025-01-01", "end": "2026-09-30"},
    {"cpr": "0101501234", "kind": "bereavement", "start": "2026-10-01"},
]


class Interrupted(Exception):
    """The fault: a crash, a lost connection, a killed process half-way through."""


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows (in a fixed order)."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            tables[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return tables


def changed_tables(before: dict[str, tuple[int, str]]) -> list[str]:
    after = snapshot()
    return [table for table in sorted(before.keys() | after.keys()) if before.get(table) != after.get(table)]


def run_import(people: list[dict[str, Any]], events: list[dict[str, Any]]) -> ImportRun:
    # force: past the brake (Dan is one of four: 25 % gone)
    return import_extract(
        ImportFile("citizens.csv", citizens_csv(people)),
        ImportFile("events.csv", events_csv(events)),
        force=True,
    )


def plan_visit(offer: Offer, day: int) -> None:
    start = datetime(2027, 3, day, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))
    planned = Visit.objects.create(start=start, end=start + timedelta(hours=1))
    planned.offers.add(offer)


@pytest.fixture
def municipality() -> None:
    """The base extract imported, this year's offers, a planned visit for Dan (who will be gone) and one
    for Bent (who will die) on an offer granted after a request."""
    from fhb.offers.actions import start_run

    run_import(BASE, BASE_EVENTS)
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    plan_visit(Offer.objects.get(citizen__cpr="0404371237", year=2027), 2)
    bent = Offer.objects.create(
        citizen=Citizen.objects.get(cpr="0202481235"),
        year=2027,
        group="request",
        decision=Offer.Decision.OFFER,
        letter=Offer.Letter.WITH_TIME,
        due_from=date(2027, 2, 1),
        due_to=date(2027, 5, 1),
        reason="Bevilget efter henvendelse",
        rule_id="request",
        origin=Offer.Origin.REQUEST,
    )
    plan_visit(bent, 3)


def fail_on_call(
    module: Any, name: str, call: int, after: bool, written: list[list[str]], before: dict[str, Any]
) -> None:
    """Replace ``module.name`` by a wrapper that does the real work until its ``call``-th call, which raises
    instead (or, ``after``, once it has done its work); ``written`` gets the tables changed by then, so the
    test knows the fault came half-way."""
    real: Callable[..., Any] = getattr(module, name)
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls != call:
            return real(*args, **kwargs)
        if after:
            real(*args, **kwargs)
        written.append(changed_tables(before))
        raise Interrupted(f"{name}, call {call}")

    setattr(module, name, wrapper)


# (module, function, which call fails, after its work or instead of it, a table written before the fault)
FAULTS = {
    # insert_rows: 1 dwellings, 2 their history, 3 citizens, 4 their history, 5 facts, 6 their history
    "citizen history rows": (bulk, "insert_rows", 4, False, "citizens_citizen"),
    "new facts": (bulk, "insert_rows", 5, False, "citizens_historicalcitizen"),
    # bulk updates with history: 1 dwellings, 2 citizens, 3 facts
    "citizen updates": (importer, "bulk_update_with_history", 2, False, "citizens_historicaldwelling"),
    "fact updates": (importer, "bulk_update_with_history", 3, False, "citizens_historicalcitizen"),
    # Dan's nursing-home fact is not in the new events file: deleted row by row, last of the facts
    "a removed fact": (CareEvent, "delete", 1, True, "citizens_historicalcareevent"),
    # the re-import's signal: Bent died (offer withdrawn, planned visit cancelled); Dan, only gone, keeps his
    "offers withdrawn": (receivers, "withdraw_for_citizens", 1, True, "visits_visit"),
}


@pytest.mark.parametrize("fault", FAULTS.keys())
def test_an_interrupted_import_leaves_every_table_as_it_was(
    municipality: None, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    module, name, call, after, written_first = FAULTS[fault]
    before = snapshot()
    written: list[list[str]] = []
    with monkeypatch.context() as patch:
        patch.setattr(module, name, getattr(module, name))  # undone when the block ends
        fail_on_call(module, name, call, after, written, before)
        with pytest.raises(Interrupted):
            run_import(CHANGED, CHANGED_EVENTS)
    assert written and written_first in written[0], (
        f"the fault should come after {written_first} was written; written by then: {written}"
    )
    assert changed_tables(before) == [], "an interrupted import must leave every table as it was"

    run = run_import(CHANGED, CHANGED_EVENTS)
    counts = {k: v for k, v in run.summary["counts"].items() if v}
    assert counts == {
        "new": 1,
        "moved": 1,
        "died": 1,
        "widowed": 1,
        "gone": 1,
        "events_started": 1,
        "events_ended": 1,
        "events_removed": 1,
        "events_changed": 1,
        "civil_status_changed": 2,
        "dwellings_changed": 1,
        "other_changes": 3,
    }, "the same files without the fault apply as usual"
    assert ImportRun.objects.count() == 2, "the first import and the re-run; the interrupted one left none"
    assert Citizen.objects.get(cpr="0303441236").dwelling.address_id == "adr-9"
    assert not Citizen.objects.get(cpr="0404371237").in_extract
    assert not CareEvent.objects.filter(citizen__cpr="0404371237").exists()
    dan = Offer.objects.get(citizen__cpr="0404371237", year=2027)
    assert dan.status == Offer.Status.ACTIVE, "a citizen missing from the extract keeps her offer"
    assert dan.visits.get().status == Visit.Status.PLANNED, "and her planned visit: the leader decides"
    bent = Offer.objects.get(citizen__cpr="0202481235")
    assert bent.status == Offer.Status.WITHDRAWN, "a death the extract states closes the offer"
    assert bent.visits.get().status == Visit.Status.CANCELLED, "and cancels the planned visit"
