"""The rates a forecast turns offers into visits and hours with, and the documented defaults.

Each rate is a :class:`Rate`: a value and where it came from (Danish, shown among the forecast's
assumptions). The stored history gives rates where at least :data:`MIN_OFFERS` offers (or visits) lie
behind them (:mod:`fhb.forecast.rates`); everything else falls back to the defaults below.

**The defaults are assumptions, not measurements.** They are round figures a team leader can recognise
and override (``fhb forecast --drive-min``, ``--hours-per-fte``; the same fields on the page); the
forecast prints each one it used with the word "antagelse".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from fhb.core.standard.schema import TargetGroup

OfferKind = Literal["with_time", "without_time", "invitation", "arrangement", "phone", "assess"]
"""How an offer reaches the citizen: a letter with a set (or proposed) time, a letter without a time (the
citizen contacts us), a letter without a time that invites to an activity (the senior fair) and tells of
the home visit, an invitation to a collective arrangement that is the offer itself (the visit only for
whoever asks instead), a telephone call (letter ``phone``: a letter without a time only for whoever is not
reached), or no letter: a consultant assesses the need first (``decision = "assess"``)."""

OFFER_KINDS: tuple[OfferKind, ...] = (
    "with_time",
    "without_time",
    "invitation",
    "arrangement",
    "phone",
    "assess",
)

#: Danish names of the offer kinds (table headings, assumption lines).
KIND_TEXT: dict[str, str] = {
    "with_time": "brev med tidspunkt",
    "without_time": "brev uden tidspunkt",
    "invitation": "brev med invitation",
    "arrangement": "invitation til fællesarrangement",
    "phone": "telefonopkald",
    "assess": "vurdering uden brev",
}

#: A rate from history needs at least this many offers (or held visits) behind it; below, the default.
MIN_OFFERS = 30

# --- Defaults (assumptions; see docs/forecast.md) ----------------------------------------------------------

#: Share of offers that become a held visit when the visit happens unless the citizen declines: a letter
#: with a set or proposed time, or any opt-out letter. Assumption: most citizens keep a time they are given
#: (round figure; the history replaces it as soon as 30 such offers lie behind a group).
DEFAULT_ACCEPTANCE_OPT_OUT = 0.80
#: Share of offers that become a held visit when the citizen must ask for it (opt-in letter without a
#: time, and invitations to the senior fair that also tell of the visit). Assumption: about half.
DEFAULT_ACCEPTANCE_OPT_IN = 0.50
#: Share of invitations to a collective arrangement (the group's ``arrangement``) that become a held home
#: visit: the citizens who ask for the individual visit instead, or are offered it after not coming.
#: Assumption: few, since the arrangement is the offer (round figure; history replaces it).
DEFAULT_ACCEPTANCE_ARRANGEMENT = 0.15
#: Share of offers made by a telephone call (letter ``phone``) that become a held visit: the date is agreed in
#: the conversation, so as a letter with a time, less those the calls do not reach. Assumption: 70 %.
DEFAULT_ACCEPTANCE_PHONE = 0.70
#: Share of offers made by telephone whose citizen the calls do not reach, who then get a letter without a
#: time. Assumption: one in four (round figure; fhb does not yet read it from history).
DEFAULT_PHONE_NOT_REACHED = 0.25
#: Share of assessments (``assess``: a consultant judges the need with the citizen first) that become a
#: held visit. Assumption: as a letter with a time, since the need has been talked over already.
DEFAULT_ACCEPTANCE_ASSESS = 0.80
#: Offers (or assessments) per 1,000 citizens in a trigger group's age range per year, when the history
#: holds too few. Assumption from public figures: about 60 % of Danes aged 65-81 are married (FOLK1A
#: 2025Q4, shipped in fhb/data/stats) and a spouse dies at about 25-30 per 1,000 a year at those ages
#: (death rates 2012); together about 18 bereavements per 1,000 a year. Other triggers (end of
#: rehabilitation, hospital admissions, ...) are not in this figure.
DEFAULT_RISK_PER_1000 = 18.0
#: Minutes of driving per held visit (to it from the previous stop, the day's way home shared out).
#: Assumption: a rural Danish municipality, ~15 km at ~45 km/h between visits.
DEFAULT_DRIVE_MIN = 20.0
#: Hours a full-time consultant has for visits and driving in a year. Assumption: 37 h x 52 weeks = 1,924 h
#: less holidays, public holidays and sickness (~1,600 h) less letters, phone, documentation and meetings.
DEFAULT_PRODUCTIVE_HOURS = 1300.0


@dataclass(frozen=True, slots=True)
class Rate:
    """A rate and where it came from. ``observed``: the offers (or visits) it was measured on; 0 when it is
    a default or given by the user."""

    value: float
    source: str
    observed: int = 0


def assumed(value: float, why: str = "antagelse") -> Rate:
    """A default rate (an assumption)."""
    return Rate(value, why)


def default_acceptance(kind: str, response: str | None) -> float:
    """The assumed share of offers of ``kind`` (and ``response``) that become a held visit."""
    if kind == "assess":
        return DEFAULT_ACCEPTANCE_ASSESS
    if kind == "arrangement":
        return DEFAULT_ACCEPTANCE_ARRANGEMENT
    if kind == "phone":
        return DEFAULT_ACCEPTANCE_PHONE
    if kind == "with_time" or response == "opt_out":
        return DEFAULT_ACCEPTANCE_OPT_OUT
    return DEFAULT_ACCEPTANCE_OPT_IN


@dataclass(frozen=True, slots=True)
class Rates:
    """What the forecast needs beyond the standard and the population; missing entries use the defaults.

    - ``acceptance``: (group id, offer kind) -> share of offers that became a held visit;
    - ``pooled_acceptance``: (offer kind, response) -> the same over all groups (used for a group or kind
      without enough history of its own, e.g. a kind the edited standard introduces);
    - ``risk_per_1000``: trigger group id -> offers and assessments per 1,000 citizens in the group's age
      range per year; ``risk_kind_shares``: trigger group id -> offer kind -> share of those;
    - ``drive_min_per_visit``, ``productive_hours_per_fte``: see the defaults above;
    - ``held_min_per_visit``: the mean length of held visits (for information: hours use the standard's
      visit length).
    """

    acceptance: Mapping[tuple[str, str], Rate] = field(default_factory=dict)
    pooled_acceptance: Mapping[tuple[str, str], Rate] = field(default_factory=dict)
    risk_per_1000: Mapping[str, Rate] = field(default_factory=dict)
    risk_kind_shares: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    drive_min_per_visit: Rate | None = None
    productive_hours_per_fte: Rate | None = None
    held_min_per_visit: Rate | None = None

    def acceptance_for(self, group: str, kind: str, response: str | None) -> Rate:
        """The group's own rate for ``kind``, else the pooled one for ``kind`` and ``response``, else the
        default."""
        own = self.acceptance.get((group, kind))
        if own is not None:
            return own
        pooled = self.pooled_acceptance.get((kind, response or ""))
        if pooled is not None:
            return pooled
        return assumed(default_acceptance(kind, response))

    def risk_rate(self, group: str) -> Rate:
        return self.risk_per_1000.get(group) or assumed(DEFAULT_RISK_PER_1000)

    def drive_min(self) -> Rate:
        return self.drive_min_per_visit or assumed(DEFAULT_DRIVE_MIN)

    def productive_hours(self) -> Rate:
        return self.productive_hours_per_fte or assumed(DEFAULT_PRODUCTIVE_HOURS)

    def risk_split(self, group: TargetGroup) -> dict[str, float]:
        """How a trigger group's cases split over offer kinds: the history's shares among the kinds the
        group can give (renormalised), else all of them to :func:`primary_kind`."""
        possible = set(trigger_kinds(group))
        shares = {k: v for k, v in self.risk_kind_shares.get(group.id, {}).items() if k in possible and v > 0}
        total = sum(shares.values())
        if total <= 0:
            return {primary_kind(group): 1.0}
        return {kind: share / total for kind, share in shares.items()}


def letter_kind(decision: str, letter: str | None, group: TargetGroup | None) -> OfferKind:
    """The offer kind of a decision (or a stored offer) of ``group`` (None: a group the standard no longer
    has): ``assess``; a letter with a time (also when it invites to an activity: the time decides how the
    citizen answers); a telephone call; an invitation to a collective arrangement (the group's
    ``arrangement``); an invitation without a time (its ``invitation``); or a letter without a time."""
    if decision == "assess":
        return "assess"
    if letter == "with_time":
        return "with_time"
    if letter == "phone":
        return "phone"
    if group is not None and group.arrangement:
        return "arrangement"
    return "invitation" if group is not None and group.invitation else "without_time"


def trigger_kinds(group: TargetGroup) -> list[OfferKind]:
    """The offer kinds a trigger group's triggers give, in trigger order (one per trigger)."""
    kinds: list[OfferKind] = []
    for trigger in group.triggers:
        decision = trigger.decision or group.decision
        letter = trigger.letter or group.letter
        kinds.append(letter_kind(decision, letter, group))
    return kinds


def primary_kind(group: TargetGroup) -> OfferKind:
    """The kind the default rate (bereavements) is given: that of the bereavement trigger, else the
    first trigger's."""
    kinds = trigger_kinds(group)
    for trigger, kind in zip(group.triggers, kinds, strict=True):
        if trigger.event == "bereavement":
            return kind
    return kinds[0]


def trigger_group_ages(group: TargetGroup) -> tuple[int, int | None]:
    """The age range (completed years, inclusive; None: no upper age) a trigger group's rate is counted
    per: the widest of the group's and its triggers' ages; 65-81 (the law's risk group) when none is
    given."""
    ages = [age for age in (group.age, *(t.age for t in group.triggers)) if age is not None]
    if not ages:
        return 65, 81
    low = min(age.lower_years for age in ages)
    highs = [age.max_years if age.kind == "between" else None for age in ages]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    return low, high
