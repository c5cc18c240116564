"""Small populations, a flat death-rate table and fixed rates for hand-computed forecasts."""

from __future__ import annotations

import dataclasses
import itertools
import math
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from fhb.core.forecast import MortalityTable, Rate, Rates
from fhb.core.population.model import Citizen, Event, Population
from fhb.core.standard import QualityStandard, load_standard

DATA = Path(__file__).parent / "data"
_serial = itertools.count(1)

#: Constant death rates: men 100, women 50 per 1,000 person-years at every age.
FLAT = MortalityTable((60, 100), (100.0, 100.0), (50.0, 50.0), "testtabel")


def mini() -> QualityStandard:
    return load_standard(DATA / "mini.toml")


def person(born: str, *, sex: str = "F", address: str | None = None, **fields: Any) -> Citizen:
    birth = date.fromisoformat(born)
    serial = next(_serial)
    return Citizen(
        cpr=f"{birth:%d%m%y}{serial % 10000:04d}",
        name=f"Borger {serial}",
        birth_date=birth,
        sex="M" if sex == "M" else "F",
        address_id=address or f"adr-{serial}",
        street=f"Testvej {serial}",
        postcode="9800",
        city="Testby",
        **fields,
    )


def couple(born_man: str, born_woman: str) -> tuple[Citizen, Citizen]:
    address = f"adr-par-{next(_serial)}"
    man = person(born_man, sex="M", address=address, civil_status="G")
    woman = person(born_woman, sex="F", address=address, civil_status="G", spouse_cpr=man.cpr)
    return dataclasses.replace(man, spouse_cpr=woman.cpr), woman


def population(*people: Citizen, events: tuple[Event, ...] = ()) -> Population:
    return Population(tuple(people), events)


def fixed_rates(**changes: Any) -> Rates:
    """Acceptance 0.5 (opt-in letters) and 0.8 (letters with a time), 30 min driving, 1 hour per full-time
    consultant (so that the consultants equal the hours), no trigger-group cases unless given."""
    values: dict[str, Any] = {
        "acceptance": {
            ("alone70", "without_time"): Rate(0.5, "test", 100),
            ("age80", "with_time"): Rate(0.8, "test", 100),
            ("age85plus", "without_time"): Rate(0.5, "test", 100),
            ("risk", "with_time"): Rate(0.8, "test", 100),
        },
        "risk_per_1000": {"risk": Rate(0.0, "test", 100)},
        "drive_min_per_visit": Rate(30.0, "test", 100),
        "productive_hours_per_fte": Rate(1.0, "test"),
    }
    values.update(changes)
    return Rates(**values)


def alive(sex: str, years: float) -> float:
    """Survival under :data:`FLAT`."""
    return math.exp(-(0.1 if sex == "M" else 0.05) * years)


def shipped(name: str) -> str:
    """The TOML text of a shipped standard."""
    return resources.files("fhb").joinpath("standards", f"{name}.toml").read_text(encoding="utf-8")


def years_to(year: int, on: date) -> float:
    return (date(year, 1, 1) - on).days / 365.25
