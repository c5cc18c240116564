"""Records of the population extract (citizens.csv) and the care system's facts (events.csv).

The formats are fixed by shared/contract/README.md. These records are what the parser returns and what
the eligibility engine, the importer's change detection and the synthetic generator exchange.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

#: CPR civil status codes (contract: ``civil_status``), with their Danish meaning.
CIVIL_STATUS_CODES: dict[str, str] = {
    "U": "ugift",
    "G": "gift",
    "F": "fraskilt",
    "E": "enke/enkemand",
    "P": "registreret partnerskab",
    "O": "ophævet partnerskab",
    "L": "længstlevende partner",
    "D": "død",
}

#: Civil status codes that mean the person lost a spouse or partner on ``civil_status_date``.
WIDOWED_CODES = frozenset({"E", "L"})

#: Event kinds of the contract (``events.csv`` column ``kind``), with their Danish label. ``personal_care``
#: and ``practical_help`` are grants under Serviceloven § 83 (before the 2025 reform); ``holistic_care`` is
#: helhedspleje granted under the Ældrelov since then (a standard's exemption says whether it counts like
#: both).
EVENT_KINDS: dict[str, str] = {
    "personal_care": "Personlig hjælp og pleje (SEL § 83)",
    "practical_help": "Praktisk hjælp (SEL § 83)",
    "holistic_care": "Helhedspleje (Ældreloven)",
    "nursing_home": "Bor i plejebolig",
    "dementia": "Demens (diagnosticeret eller under udredning)",
    "rehabilitation": "Rehabiliteringsforløb (SEL § 83 a)",
    "chronic_rehab": "Rehabilitering ved kronisk sygdom (sundhedscenter)",
    "retraining": "Genoptræningsplan (SUL § 140)",
    "lifestyle_course": "Livsstilsindsats",
    "home_nursing": "Hjemmesygepleje",
    "refugee": "Flygtning med opholdstilladelse (65+)",
    "hospital_admission": "Hospitalsindlæggelse",
    "serious_illness": "Alvorlig sygdom (egen eller nærmeste familie)",
    "isolation": "Isolation",
    "sensory_loss": "Sansetab",
    "bereavement": "Tab af ægtefælle/samlever",
    "spouse_to_nursing_home": "Ægtefælle/samlever flyttet i plejebolig",
    "declined_all": "Har frabedt sig tilbud fremover",
    "interpreter": "Behov for tolk",
}

Sex = Literal["M", "F"]


@dataclass(frozen=True, slots=True)
class Citizen:
    """One person in the municipality's extract (one row of citizens.csv).

    ``birth_date`` and ``sex`` follow from the CPR number. Dates are calendar dates in Danish time.
    """

    cpr: str  # 10 digits, no hyphen
    name: str
    birth_date: date
    sex: Sex
    address_id: str
    street: str
    postcode: str
    city: str
    lat: float | None = None
    lon: float | None = None
    civil_status: str | None = None
    civil_status_date: date | None = None
    spouse_cpr: str | None = None
    death_date: date | None = None
    digital_post_exempt: bool = False
    address_protected: bool = False

    def is_alive_on(self, on: date) -> bool:
        """True when the citizen has not died on or before ``on``."""
        return self.death_date is None or self.death_date > on

    def age_on(self, on: date) -> int:
        """Completed years of age on ``on`` (a 29 February birthday counts on 1 March in common years)."""
        years = on.year - self.birth_date.year
        if (on.month, on.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


@dataclass(frozen=True, slots=True)
class Event:
    """One fact from the care system (one row of events.csv); ``end`` is inclusive, None while it lasts."""

    cpr: str
    kind: str
    start: date
    end: date | None = None
    note: str = ""

    def in_force_on(self, on: date) -> bool:
        """A fact is in force on ``on`` when start <= on and (end is None or on <= end)."""
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One problem found in an input file: where it is, what was there and why it is wrong.

    ``row`` is the 1-based line number in the file (the header is line 1); 0 when the problem concerns the
    whole file. ``column`` is empty when the problem concerns a whole row or file.
    """

    file: str
    row: int
    column: str
    value: str
    why: str

    def __str__(self) -> str:
        where = self.file
        if self.row:
            where += f", række {self.row}"
        if self.column:
            where += f", kolonne {self.column}"
        shown = f" ({self.value!r})" if self.value else ""
        return f"{where}{shown}: {self.why}"


class InvalidInput(Exception):
    """Raised when an input file cannot be accepted; carries every problem found (capped)."""

    def __init__(self, problems: list[InputProblem], truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        lines = [str(p) for p in problems]
        if truncated:
            lines.append(f"... flere fejl udeladt (viser de første {len(problems)})")
        super().__init__("\n".join(lines))


@dataclass(frozen=True, slots=True)
class Population:
    """A parsed extract: citizens, facts, and warnings that did not stop the import."""

    citizens: tuple[Citizen, ...]
    events: tuple[Event, ...] = ()
    warnings: tuple[InputProblem, ...] = field(default=())
