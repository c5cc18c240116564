"""The contract's columns (docs/contract.md, ``citizens.csv`` and ``events.csv``): defined here, once.

Each column fills the record field of the same name (:mod:`fhb.core.population.model`), so the columns are
read off the records: a column of ``events.csv`` for every field of :class:`Event`, one of ``citizens.csv``
for every field of :class:`Citizen` but those the CPR number gives (birth date and sex), in field order.
A column is required when its field has no default; an optional column's empty or absent cell gives the
field's default (None, False, ""). ``tests/core/population/test_columns.py`` checks all of this against
the contract's tables.

The parsers, the importer, the change detection and the synthetic generator take their columns from here.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any

from fhb.core.population.model import Citizen, Event

__all__ = [
    "CITIZEN_COLUMNS",
    "CITIZEN_FIELDS",
    "CITIZEN_MAX_LENGTHS",
    "CITIZEN_OPTIONAL_COLUMNS",
    "CITIZEN_REQUIRED_COLUMNS",
    "DWELLING_FIELDS",
    "EVENT_COLUMNS",
    "EVENT_FIELDS",
    "EVENT_OPTIONAL_COLUMNS",
    "EVENT_REQUIRED_COLUMNS",
    "FROM_CPR",
]

#: The fields of the records, in their order (the order of the records' positional arguments).
CITIZEN_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Citizen))
EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Event))

#: Citizen fields the CPR number gives: no column holds them.
FROM_CPR: tuple[str, ...] = ("birth_date", "sex")

#: Citizen fields that describe the dwelling (the home ``address_id`` names), not the person: people with
#: the same ``address_id`` share them.
DWELLING_FIELDS: tuple[str, ...] = ("street", "postcode", "city", "lat", "lon")


def _required_and_optional(
    record: Any, without: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The columns of a record type: (those of fields without a default, those of fields with one)."""
    required: list[str] = []
    optional: list[str] = []
    for field in fields(record):
        if field.name not in without:
            has_default = field.default is not MISSING or field.default_factory is not MISSING
            (optional if has_default else required).append(field.name)
    return tuple(required), tuple(optional)


#: The columns of citizens.csv that must be there (and filled), and those that may.
CITIZEN_REQUIRED_COLUMNS, CITIZEN_OPTIONAL_COLUMNS = _required_and_optional(Citizen, FROM_CPR)
#: The columns of events.csv that must be there (and filled), and those that may.
EVENT_REQUIRED_COLUMNS, EVENT_OPTIONAL_COLUMNS = _required_and_optional(Event)
#: All columns in the contract's order: the header the synthetic generator writes.
CITIZEN_COLUMNS: tuple[str, ...] = CITIZEN_REQUIRED_COLUMNS + CITIZEN_OPTIONAL_COLUMNS
EVENT_COLUMNS: tuple[str, ...] = EVENT_REQUIRED_COLUMNS + EVENT_OPTIONAL_COLUMNS

#: The longest text each of these cells may hold: the lengths of the database columns (fhb.citizens.models;
#: tests/web/test_hostile_input.py checks that they agree).
CITIZEN_MAX_LENGTHS: dict[str, int] = {
    "name": 200,
    "address_id": 100,
    "street": 200,
    "postcode": 10,
    "city": 100,
}
