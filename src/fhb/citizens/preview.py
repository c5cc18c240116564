"""What an extract would change, worked out before anything is stored: the preview, and the brake.

A valid file can still be the wrong one: a test export of two rows is a correct extract in which every
other citizen is gone. So an import is first compared with the stored population without writing
anything (:func:`preview_extract`): how many citizens are new, moved, dead, gone, back, changed, with a
few examples of each (a masked CPR number, and no name where the address is protected), and what it would
do to the plan. The preview is plain data (:meth:`ImportPreview.to_json`), so a background job can store
it and a page can show it later for a person to confirm.

**The brake.** When more than ``FHB_IMPORT_MAX_GONE_PERCENT`` (default 5) of the citizens of the latest
extract would be gone, :func:`fhb.citizens.actions.import_extract` refuses the extract with
:class:`TooManyGone` (carrying the preview) and stores nothing, unless the caller forces it or passes the
number of gone citizens a person typed after reading the preview. An empty database (the first import)
never trips it.

**What it means for the plan.** A death the extract states closes the citizen's offers and cancels her
planned visits when the import is applied; a citizen who is gone keeps both, and a leader decides on the
page "Ikke i seneste udtræk". The preview counts both kinds (:class:`PlanAtStake`), asking the apps that
hold offers and visits through the :data:`fhb.citizens.signals.work_at_stake` signal.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.conf import settings

from fhb.citizens.importer import Comparison, compare_with_stored
from fhb.citizens.signals import work_at_stake
from fhb.core.population.model import Citizen as CoreCitizen
from fhb.core.population.model import Population

#: Examples kept per kind of change.
EXAMPLES = 5
#: The kinds of change of :meth:`fhb.core.population.changes.ChangeSet.summary` whose lists are citizens
#: (``dwellings_changed`` lists addresses, which a preview does not show).
CITIZEN_KINDS = (
    "new",
    "moved",
    "died",
    "civil_status_changed",
    "widowed",
    "other_changes",
    "returned",
    "gone",
    "events_started",
    "events_ended",
    "events_changed",
    "events_removed",
)


def mask_cpr(cpr: str) -> str:
    """A CPR number with its last four digits hidden: ``010150-xxxx`` (the birth date stays readable)."""
    return f"{cpr[:6]}-xxxx"


def max_gone_percent() -> float:
    """The brake's limit: the share of the latest extract's citizens (in percent) that may be gone from a
    new one before it needs a person's confirmation (setting ``FHB_IMPORT_MAX_GONE_PERCENT``)."""
    return float(settings.FHB_IMPORT_MAX_GONE_PERCENT)


def gone_share_exceeds(gone: int, stored_citizens: int, max_percent: float) -> bool:
    """More than ``max_percent`` of ``stored_citizens`` would be gone. Never with no stored citizens: the
    first import has nothing to lose."""
    return stored_citizens > 0 and 100 * gone > max_percent * stored_citizens


@dataclass(frozen=True)
class Example:
    """One citizen named as an example of a change: the masked CPR number and the name, which is empty
    when the citizen or someone at her address has address protection."""

    cpr: str
    name: str
    protected: bool


@dataclass(frozen=True)
class PlanAtStake:
    """The work of some citizens the import would touch: planned visits from today on (a couple's visit
    counts once) and active offers whose work is not over."""

    planned_visits: int = 0
    open_offers: int = 0


@dataclass(frozen=True)
class ImportPreview:
    """What an extract would change, computed without writing anything.

    ``counts`` has the keys of :meth:`fhb.core.population.changes.ChangeSet.summary` (``new``,
    ``moved``, ``died``, ``civil_status_changed``, ``widowed``, ``other_changes``, ``returned``, ``gone``,
    ``events_started``, ``events_ended``, ``events_changed``, ``events_removed``, ``dwellings_changed``),
    ``examples`` up to :data:`EXAMPLES` citizens for each kind in :data:`CITIZEN_KINDS` that has any.
    ``stored_citizens`` is the number of citizens in the latest stored extract, the base of
    :attr:`gone_percent`. ``died_at_stake`` is the work a stated death cancels when the import is applied;
    ``gone_at_stake`` the work of citizens missing from the extract, which stays for a leader to decide.
    """

    today: date
    events_given: bool
    stored_citizens: int
    extract_citizens: int
    extract_events: int
    warnings: int
    counts: dict[str, int]
    examples: dict[str, tuple[Example, ...]] = field(default_factory=dict)
    died_at_stake: PlanAtStake = PlanAtStake()
    gone_at_stake: PlanAtStake = PlanAtStake()

    @property
    def gone(self) -> int:
        """Citizens of the latest extract missing from this one."""
        return self.counts.get("gone", 0)

    @property
    def confirmation_number(self) -> int:
        """The number a person must type to confirm an extract that trips the brake: the gone count."""
        return self.gone

    @property
    def gone_percent(self) -> float:
        """The gone citizens as a share of the latest extract's citizens, in percent (0 when none stored)."""
        return 100 * self.gone / self.stored_citizens if self.stored_citizens else 0.0

    @property
    def is_empty(self) -> bool:
        """The extract changes nothing."""
        return not any(self.counts.values())

    def needs_typed_confirmation(self, max_gone_percent: float) -> bool:
        """More than ``max_gone_percent`` of the stored citizens would be gone (never on a first import)."""
        return gone_share_exceeds(self.gone, self.stored_citizens, max_gone_percent)

    def to_json(self) -> dict[str, Any]:
        """The preview as JSON-ready data (dates as ISO text); :meth:`from_json` reads it back."""
        return {
            "today": self.today.isoformat(),
            "events_given": self.events_given,
            "stored_citizens": self.stored_citizens,
            "extract_citizens": self.extract_citizens,
            "extract_events": self.extract_events,
            "warnings": self.warnings,
            "counts": dict(self.counts),
            "examples": {
                kind: [{"cpr": e.cpr, "name": e.name, "protected": e.protected} for e in items]
                for kind, items in self.examples.items()
            },
            "died_at_stake": _stake_json(self.died_at_stake),
            "gone_at_stake": _stake_json(self.gone_at_stake),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportPreview:
        """The preview :meth:`to_json` wrote."""
        return cls(
            today=date.fromisoformat(data["today"]),
            events_given=bool(data["events_given"]),
            stored_citizens=int(data["stored_citizens"]),
            extract_citizens=int(data["extract_citizens"]),
            extract_events=int(data["extract_events"]),
            warnings=int(data["warnings"]),
            counts={str(k): int(v) for k, v in data["counts"].items()},
            examples={
                str(kind): tuple(
                    Example(cpr=str(e["cpr"]), name=str(e["name"]), protected=bool(e["protected"]))
                    for e in items
                )
                for kind, items in data.get("examples", {}).items()
            },
            died_at_stake=PlanAtStake(**data.get("died_at_stake", {})),
            gone_at_stake=PlanAtStake(**data.get("gone_at_stake", {})),
        )


class TooManyGone(Exception):
    """The extract leaves out more than the allowed share of the latest extract's citizens, and nobody
    confirmed it: nothing was stored. ``preview`` says what it would have changed."""

    def __init__(self, preview: ImportPreview, max_gone_percent: float) -> None:
        self.preview = preview
        self.max_gone_percent = max_gone_percent
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Why nothing was stored, in Danish; the caller adds how to confirm (a typed number, --force)."""
        p = self.preview
        return (
            f"Intet er gemt: {danish_number(p.gone)} af de {danish_number(p.stored_citizens)} borgere i"
            f" seneste udtræk ({danish_percent(p.gone_percent)}) er ikke med i den nye fil, og grænsen er"
            f" {danish_percent(self.max_gone_percent)} (FHB_IMPORT_MAX_GONE_PERCENT). Er filen det fulde"
            " udtræk, skal indlæsningen bekræftes."
        )


def preview_extract(population: Population, *, events_given: bool, today: date) -> ImportPreview:
    """What importing the parsed extract ``population`` would change, computed without writing anything.
    ``events_given``: an events file came with it (without one the stored facts stay as they are);
    ``today``: planned visits from this day on count as at stake."""
    comparison = compare_with_stored(population, events_given=events_given)
    return build_preview(comparison, population, events_given=events_given, today=today)


def build_preview(
    comparison: Comparison, population: Population, *, events_given: bool, today: date
) -> ImportPreview:
    """The preview of a comparison already made (:func:`fhb.citizens.importer.compare_with_stored`)."""
    changes = comparison.changes
    summary = changes.summary(list_limit=EXAMPLES)
    counts: dict[str, int] = summary["counts"]
    examples = examples_of(
        {kind: cprs for kind, cprs in summary["cprs"].items() if kind in CITIZEN_KINDS},
        population.citizens,
        comparison.stored.values(),
    )
    died = frozenset(c.cpr for c in changes.changed_citizens if c.died)
    return ImportPreview(
        today=today,
        events_given=events_given,
        stored_citizens=comparison.stored_in_extract,
        extract_citizens=len(population.citizens),
        extract_events=len(population.events),
        warnings=len(population.warnings),
        counts=counts,
        examples=examples,
        died_at_stake=plan_at_stake(died, today),
        gone_at_stake=plan_at_stake(frozenset(changes.gone_cprs), today),
    )


def plan_at_stake(cprs: frozenset[str], today: date) -> PlanAtStake:
    """The planned visits (from ``today`` on) and open offers of the citizens ``cprs``, as counts."""
    if not cprs:
        return PlanAtStake()
    counts: dict[str, int] = {}
    for _receiver, answer in work_at_stake.send(sender=ImportPreview, cprs=cprs, today=today):
        counts.update(cast(dict[str, int], answer))
    return PlanAtStake(
        planned_visits=counts.get("planned_visits", 0), open_offers=counts.get("open_offers", 0)
    )


def examples_of(
    cprs_by_kind: Mapping[str, Iterable[str]], extract: Iterable[CoreCitizen], stored: Iterable[CoreCitizen]
) -> dict[str, tuple[Example, ...]]:
    """The citizens ``cprs_by_kind`` names, as examples: the masked CPR number, and the name (from the
    extract, else as stored) unless she or someone at her address (in the extract or as stored) has
    address protection. One pass over both populations."""
    wanted = {cpr for cprs in cprs_by_kind.values() for cpr in cprs}
    found: dict[str, CoreCitizen] = {}
    protected_cprs: set[str] = set()
    protected_addresses: set[str] = set()
    for citizen in itertools.chain(stored, extract):  # the extract's record wins
        if citizen.address_protected:
            protected_cprs.add(citizen.cpr)
            protected_addresses.add(citizen.address_id)
        if citizen.cpr in wanted:
            found[citizen.cpr] = citizen

    def example(cpr: str) -> Example:
        citizen = found.get(cpr)
        protected = cpr in protected_cprs or (
            citizen is not None and citizen.address_id in protected_addresses
        )
        name = "" if protected or citizen is None else citizen.name
        return Example(cpr=mask_cpr(cpr), name=name, protected=protected)

    return {kind: tuple(example(cpr) for cpr in cprs) for kind, cprs in cprs_by_kind.items()}


def danish_number(value: int) -> str:
    """An integer with dots between thousands: ``21.900``."""
    return f"{value:,}".replace(",", ".")


def danish_percent(value: float) -> str:
    """A percentage with at most two decimals after a comma: ``5 %``, ``5,04 %``, ``99,99 %``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %"


def _stake_json(stake: PlanAtStake) -> dict[str, int]:
    return {"planned_visits": stake.planned_visits, "open_offers": stake.open_offers}
