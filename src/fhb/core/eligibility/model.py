"""What the eligibility engine returns: one :class:`Decision` per row of ``fhb eligibility``, and the
:class:`Explanation` of one citizen (every group considered, each condition with the data behind it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal

from fhb.core.standard.schema import group_name

DecisionKind = Literal["offer", "exempt", "dementia_coordinator", "assess"]
LetterKind = Literal["with_time", "without_time", "phone"]

#: The ``group`` of an ``--all`` row for a citizen in no target group (or dead on the extract date).
NO_GROUP = "none"

#: The columns of ``fhb eligibility`` (shared/contract/README.md); JSON objects have the same keys.
COLUMNS: tuple[str, ...] = ("cpr", "group", "decision", "letter", "due_from", "due_to", "trigger", "reason")

#: Danish words for the letter kinds and responses, used in reasons.
LETTER_TEXT: dict[str, str] = {
    "with_time": "tilbud med besøgsdato og tidspunkt",
    "without_time": "tilbud uden fastlagt tidspunkt",
    "phone": "tilbud ved telefonopkald",
}

#: The contract's ``letter`` cell of a letter kind (shared/contract/README.md allows only ``with_time`` and
#: ``without_time`` for an offer): an offer made by phone has no time, and when the citizen is not
#: reached it goes out as a letter without a time. The reason says it is made by phone.
CONTRACT_LETTER: dict[str | None, str] = {
    None: "",
    "with_time": "with_time",
    "without_time": "without_time",
    "phone": "without_time",
}
RESPONSE_TEXT: dict[str, str] = {"opt_in": "tilmelding", "opt_out": "framelding"}


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition of a rule, evaluated for one citizen: what was asked, whether it held, and the facts
    (Danish, one short line each) it was decided on."""

    rule_id: str
    text: str
    holds: bool
    facts: tuple[str, ...] = ()
    exception: bool = False
    """An exemption or hand-over: when it holds the citizen is taken out of the group (or handed over);
    when it does not, it simply does not apply (no failed requirement)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One row of the eligibility output: a citizen, a group and what the standard decides.

    ``due_from``/``due_to`` are the (inclusive) dates the visit or offer is due in; None only on ``--all``
    rows of group :data:`NO_GROUP`. ``trigger`` is the event kind of a risk trigger, ``trigger_date`` the
    date its window is counted from. ``rule_id`` is the id of the deciding rule in the standard file and
    ``clause`` its quoted sentence(s); ``modifiers`` are the ids of further rules that changed the row
    (a couple's visit length or letters). ``conditions`` is filled by :func:`explain` (and by
    :func:`evaluate` with ``with_conditions=True``); it is empty otherwise, to keep big runs fast.
    """

    cpr: str
    group: str
    decision: DecisionKind
    letter: LetterKind | None
    due_from: date | None
    due_to: date | None
    trigger: str | None
    reason: str
    rule_id: str
    clause: str
    trigger_date: date | None = None
    response: str | None = None
    duration_min: int | None = None
    couple_cpr: str | None = None
    joint_letter: bool = False
    follow_up_months: int | None = None
    invitation: str | None = None
    """The activity the letter invites to (the group's ``invitation`` or ``arrangement``), if any."""
    modifiers: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()

    def as_row(self) -> dict[str, str | None]:
        """The contract's columns; None for an empty cell, dates as ISO text."""
        return {
            "cpr": self.cpr,
            "group": self.group,
            "decision": self.decision,
            "letter": CONTRACT_LETTER[self.letter] or None,
            "due_from": self.due_from.isoformat() if self.due_from else None,
            "due_to": self.due_to.isoformat() if self.due_to else None,
            "trigger": self.trigger,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class GroupCheck:
    """How one target group was considered for one citizen: its conditions and the rows it produced."""

    group: str
    label: str
    title: str
    rule_id: str
    clause: str
    reading: str | None
    conditions: tuple[Condition, ...]
    decisions: tuple[Decision, ...]

    @property
    def name(self) -> str:
        """The group's name in full, as a page shows it (:func:`fhb.core.standard.schema.group_name`)."""
        return group_name(self.label, self.title)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why one citizen gets what the standard decides, for one plan year and extract date."""

    cpr: str
    name: str
    standard_id: str
    municipality: str
    law: str
    """The legal basis the standard cites (:attr:`fhb.core.standard.QualityStandard.legal_basis_text`)."""
    year: int
    on: date
    birth_date: date
    age_on: int
    age_turned: int
    address_id: str
    address: str
    death_date: date | None
    household: tuple[str, ...]
    """The other people at the address, one line each (CPR, age, alive, counted as an adult or not)."""
    partner: str | None
    """The spouse or partner, one line (CPR, same address or not), when there is one."""
    facts: tuple[str, ...]
    """The care system's facts about the citizen and the derived ones, one line each, with in force or not."""
    groups: tuple[GroupCheck, ...]
    decisions: tuple[Decision, ...]
    scope_rule_id: str
    scope_clause: str


def _slot_filler(cls: type[Decision]) -> Callable[..., Decision]:
    """A positional constructor of :class:`Decision` that fills the slots directly.

    A frozen dataclass's ``__init__`` sets every field through ``object.__setattr__``; for the hundreds of
    thousands of rows of a big run that is most of the cost of a row. The objects are equal to, and as
    immutable as, those made by the class itself (a test checks it).
    """
    names = [field.name for field in fields(cls)]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    body = ["    o = _new(_cls)"]
    for i, name in enumerate(names):
        namespace[f"_set{i}"] = getattr(cls, name).__set__
        body.append(f"    _set{i}(o, {name})")
    source = f"def make({', '.join(names)}):\n" + "\n".join(body) + "\n    return o\n"
    exec(source, namespace)  # the names are the dataclass's own field names: nothing is injected
    make: Callable[..., Decision] = namespace["make"]
    return make


#: ``new_decision(cpr, group, ..., conditions)``: all fields, positionally, in declaration order.
new_decision = _slot_filler(Decision)
