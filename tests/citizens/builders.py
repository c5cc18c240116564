"""Build small extracts (citizens.csv / events.csv bytes) for importer and view tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from fhb.core.population import columns

CITIZEN_COLUMNS = list(columns.CITIZEN_COLUMNS)
EVENT_COLUMNS = list(columns.EVENT_COLUMNS)


def person(cpr: str, name: str, address_id: str = "adr-1", **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "cpr": cpr,
        "name": name,
        "address_id": address_id,
        "street": f"Kløvervej {address_id[-1]}",
        "postcode": "9800",
        "city": "Hjørring",
        "lat": "57.45",
        "lon": "9.98",
    }
    row.update(values)
    return row


def to_csv(columns: list[str], rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in columns})
    return out.getvalue().encode()


def citizens_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    return to_csv(CITIZEN_COLUMNS, rows)


def events_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    return to_csv(EVENT_COLUMNS, rows)


#: A small municipality: a couple, a widow living alone, a man in a nursing home.
BASE = [
    person("0101501234", "Åse Testesen", "adr-1", civil_status="G", spouse_cpr="0202481235"),
    person("0202481235", "Bent Testesen", "adr-1", civil_status="G", spouse_cpr="0101501234"),
    person("0303441236", "Clara Prøvesen", "adr-2", civil_status="E", civil_status_date="2025-05-01"),
    person("0404371237", "Dan Eksempelsen", "adr-3", civil_status="U"),
]
BASE_EVENTS = [
    {"cpr": "0404371237", "kind": "nursing_home", "start": "2024-03-01"},
    {"cpr": "0303441236", "kind": "practical_help", "start": "2025-01-01", "end": ""},
]
