"""Factory functions for eligibility tests: citizens, households, couples and events, built directly.

Every citizen gets its own address (so lives alone) unless one is given; CPR numbers are made from the
birth date and a running serial, so they are unique and sort by nothing in particular.
"""

from __future__ import annotations

import dataclasses
import itertools
import tomllib
from collections.abc import Callable, Iterable
from datetime import date
from importlib import resources
from typing import Any

from fhb.core.eligibility import Decision, evaluate
from fhb.core.population.model import Citizen, Event, Population
from fhb.core.standard import QualityStandard, load_standard
from fhb.core.standard.schema import reference_problems

YEAR = 2027
_serial = itertools.count(1)


def d(text: str) -> date:
    """A date from ISO text (shorter to read in tests)."""
    return date.fromisoformat(text)


def citizen(
    born: str | date,
    *,
    address: str | None = None,
    cpr: str | None = None,
    sex: str = "F",
    **fields: Any,
) -> Citizen:
    """A citizen born on ``born``, alone at a fresh address unless ``address`` is given."""
    birth = d(born) if isinstance(born, str) else born
    serial = next(_serial)
    return Citizen(
        cpr=cpr or f"{birth:%d%m%y}{serial % 10000:04d}",
        name=f"Borger {serial}",
        birth_date=birth,
        sex="M" if sex == "M" else "F",
        address_id=address or f"adr-{serial}",
        street=f"Testvej {serial}",
        postcode="9800",
        city="Testby",
        **fields,
    )


def couple(born_a: str, born_b: str, *, address: str | None = None, **fields: Any) -> tuple[Citizen, Citizen]:
    """Two married citizens at one address, each naming the other as spouse."""
    address = address or f"adr-par-{next(_serial)}"
    a = citizen(born_a, address=address, civil_status="G", **fields)
    b = citizen(born_b, address=address, civil_status="G", spouse_cpr=a.cpr, **fields)
    return dataclasses.replace(a, spouse_cpr=b.cpr), b


def event(who: Citizen | str, kind: str, start: str | date, end: str | date | None = None) -> Event:
    cpr = who if isinstance(who, str) else who.cpr
    begin = d(start) if isinstance(start, str) else start
    finish = d(end) if isinstance(end, str) else end
    return Event(cpr=cpr, kind=kind, start=begin, end=finish)


def home_care(who: Citizen, start: str = "2020-01-01", end: str | None = None) -> list[Event]:
    """Both kinds of § 83 help (personal care and practical help)."""
    return [event(who, "personal_care", start, end), event(who, "practical_help", start, end)]


def population(*people: Citizen | Iterable[Citizen], events: Iterable[Event] = ()) -> Population:
    flat: list[Citizen] = []
    for item in people:
        if isinstance(item, Citizen):
            flat.append(item)
        else:
            flat.extend(item)
    return Population(citizens=tuple(flat), events=tuple(events))


def rows(
    standard: str | QualityStandard,
    pop: Population,
    year: int = YEAR,
    on: str | date | None = None,
    **options: Any,
) -> list[Decision]:
    """Evaluate a shipped standard (by name) or a loaded one."""
    std = load_standard(standard) if isinstance(standard, str) else standard
    when = d(on) if isinstance(on, str) else on
    return evaluate(std, pop, year, when, **options)


def rows_of(decisions: list[Decision], person: Citizen, group: str | None = None) -> list[Decision]:
    return [x for x in decisions if x.cpr == person.cpr and (group is None or x.group == group)]


def only(decisions: list[Decision], person: Citizen, group: str | None = None) -> Decision:
    """The one row of ``person`` (in ``group``); fails with what was there instead."""
    found = rows_of(decisions, person, group)
    assert len(found) == 1, f"expected one row for {person.cpr} in {group or 'any group'}, got {found}"
    return found[0]


def standard_with(name: str, edit: Callable[[dict[str, Any]], None]) -> QualityStandard:
    """A shipped standard with ``edit`` applied to its parsed TOML (to test that a reading is a setting)."""
    raw = tomllib.loads(resources.files("fhb").joinpath("standards", f"{name}.toml").read_text("utf-8"))
    edit(raw)
    standard = QualityStandard.model_validate(raw)
    assert reference_problems(standard) == []
    return standard


def group_of(raw: dict[str, Any], group_id: str) -> dict[str, Any]:
    """The raw table of a group in a parsed standard file."""
    for group in raw["groups"]:
        if group["id"] == group_id:
            found: dict[str, Any] = group  # the same dict, to edit in place
            return found
    raise KeyError(group_id)
