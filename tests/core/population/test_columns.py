"""The contract's columns, read off the core records, are the contract's tables (docs/contract.md)."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from pathlib import Path

from fhb.core.population.columns import (
    CITIZEN_COLUMNS,
    CITIZEN_FIELDS,
    CITIZEN_OPTIONAL_COLUMNS,
    CITIZEN_REQUIRED_COLUMNS,
    DWELLING_FIELDS,
    EVENT_COLUMNS,
    EVENT_FIELDS,
    EVENT_OPTIONAL_COLUMNS,
    EVENT_REQUIRED_COLUMNS,
    FROM_CPR,
)
from fhb.core.population.inputs import parse_citizens_text, parse_events_text
from fhb.core.population.model import Citizen, Event
from fhb.core.population.records import new_citizen, new_event

CONTRACT = Path(__file__).resolve().parents[3] / "docs" / "contract.md"


def contract_table(heading: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (required, optional) columns of the table under the contract's heading that starts so."""
    section = CONTRACT.read_text(encoding="utf-8").split(heading, 1)[1].split("\n## ", 1)[0]
    required: list[str] = []
    optional: list[str] = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[1] in ("yes", "no"):
            names = re.findall(r"`([a-z_]+)`", cells[0])
            (required if cells[1] == "yes" else optional).extend(names)
    return tuple(required), tuple(optional)


def test_citizen_columns_are_the_contract_s() -> None:
    assert contract_table("## Input 1") == (CITIZEN_REQUIRED_COLUMNS, CITIZEN_OPTIONAL_COLUMNS)
    assert CITIZEN_COLUMNS == CITIZEN_REQUIRED_COLUMNS + CITIZEN_OPTIONAL_COLUMNS


def test_event_columns_are_the_contract_s() -> None:
    assert contract_table("## Input 2") == (EVENT_REQUIRED_COLUMNS, EVENT_OPTIONAL_COLUMNS)
    assert EVENT_COLUMNS == EVENT_FIELDS


def test_every_field_is_a_column_or_given_by_the_cpr_number() -> None:
    assert tuple(f.name for f in fields(Citizen)) == CITIZEN_FIELDS
    assert set(CITIZEN_FIELDS) == set(CITIZEN_COLUMNS) | set(FROM_CPR)
    assert not set(CITIZEN_COLUMNS) & set(FROM_CPR)
    assert set(DWELLING_FIELDS) <= set(CITIZEN_OPTIONAL_COLUMNS) | set(CITIZEN_REQUIRED_COLUMNS)


def test_empty_optional_cells_give_the_fields_defaults() -> None:
    header = ",".join(CITIZEN_COLUMNS)
    row = "0101401234,Anna,adr-1,Vej 1,9800,Hjørring" + "," * len(CITIZEN_OPTIONAL_COLUMNS)
    citizens, _ = parse_citizens_text(f"{header}\n{row}\n")
    defaults = {f.name: f.default for f in fields(Citizen) if f.name in CITIZEN_OPTIONAL_COLUMNS}
    assert {name: getattr(citizens[0], name) for name in CITIZEN_OPTIONAL_COLUMNS} == defaults
    events = parse_events_text(f"{','.join(EVENT_COLUMNS)}\n0101401234,dementia,2025-01-01,,\n")
    assert events == [Event("0101401234", "dementia", date(2025, 1, 1))]


def test_the_fast_constructors_make_equal_records() -> None:
    citizen = Citizen("0101401234", "Anna", date(1940, 1, 1), "F", "adr-1", "Vej 1", "9800", "Hjørring")
    values = [getattr(citizen, name) for name in CITIZEN_FIELDS]
    made = new_citizen(*values)
    assert type(made) is Citizen and made == citizen and hash(made) == hash(citizen)
    event = Event("0101401234", "dementia", date(2025, 1, 1), None, "note")
    assert new_event(*(getattr(event, name) for name in EVENT_FIELDS)) == event
