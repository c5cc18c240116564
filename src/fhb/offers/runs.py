"""Store what a run of the quality standard decided, and work out what changed since the last run.

The engine is the pure core (:mod:`fhb.core.eligibility`); :func:`fhb.offers.actions.start_run` evaluates
the standard over the stored population (:mod:`fhb.offers.population`) and hands the decisions to
:func:`store_decisions`, which stores them as :class:`Offer` rows and works out the offers that are new,
changed and vanished, each vanished one with the reason why. The offers of a citizen missing from the
latest extract (not in the population a run sees) are left as they are: a leader decides about them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from fhb.citizens.models import Citizen
from fhb.core.eligibility import Decision, Explanation, explain
from fhb.core.population.model import Population
from fhb.core.standard.schema import QualityStandard
from fhb.offers.closing import close_open_work
from fhb.offers.models import EligibilityRun, Offer

OfferKey = tuple[str, str, str, date]
LIST_LIMIT = 1000

#: Offer fields a later run may change without it being another offer.
UPDATABLE = (
    "decision",
    "letter",
    "due_to",
    "reason",
    "rule_id",
    "clause",
    "duration_min",
    "couple_cpr",
    "response",
    "joint_letter",
    "follow_up_months",
)


def offer_key(cpr: str, group: str, trigger: str | None, due_from: date) -> OfferKey:
    return (cpr, group, trigger or "", due_from)


def store_decisions(
    run: EligibilityRun, decisions: list[Decision], population: Population, standard: QualityStandard
) -> tuple[list[Offer], list[Offer], list[Offer]]:
    """Store the run's decisions; return the offers that are new, withdrawn and changed."""
    history = {"default_user": run.user, "default_change_reason": f"Kørsel {run.pk}"}
    existing = {
        offer_key(o.citizen.cpr, o.group, o.trigger, o.due_from): o
        for o in Offer.objects.filter(year=run.year, origin=Offer.Origin.RUN).select_related("citizen")
    }
    citizen_ids = dict(Citizen.objects.values_list("cpr", "pk"))
    elsewhere = _windows_of_other_years(run.year)
    created: list[Offer] = []
    reactivated: list[Offer] = []
    changed: list[Offer] = []
    unchanged_ids: list[int] = []
    seen: set[OfferKey] = set()
    for d in decisions:
        assert d.due_from is not None
        key = offer_key(d.cpr, d.group, d.trigger, d.due_from)
        seen.add(key)
        values = offer_values(d)
        offer = existing.get(key)
        if offer is None and key in elsewhere:
            continue  # the same window (an event in December) is stored under the other plan year
        if offer is None:
            created.append(
                Offer(citizen_id=citizen_ids[d.cpr], year=run.year, first_run=run, last_run=run, **values)
            )
        elif offer.status == Offer.Status.WITHDRAWN:
            _set(offer, values, status=Offer.Status.ACTIVE, withdrawn_reason="")
            reactivated.append(offer)
        elif any(getattr(offer, name) != values[name] for name in UPDATABLE):
            if offer.decision != values["decision"] and offer.decision in (
                Offer.Decision.OFFER,
                Offer.Decision.ASSESS,
            ):
                close_open_work([offer], f"Afgørelsen er ændret: {values['reason']}")
            _set(offer, values)
            changed.append(offer)
        else:
            unchanged_ids.append(offer.pk)
    if created:
        bulk_create_with_history(created, Offer, batch_size=2000, **history)

    # A citizen missing from the latest extract is not in the population: her offers stay as they are
    # until a leader decides (fhb.offers.actions.close_for_missing_citizen), or she comes back.
    present = {c.cpr for c in population.citizens}
    vanished = [
        o
        for key, o in existing.items()
        if key not in seen and o.status == Offer.Status.ACTIVE and key[0] in present
    ]
    reasons = _vanished_reasons(vanished, population, standard, run)
    for offer in vanished:
        offer.status, offer.withdrawn_reason = Offer.Status.WITHDRAWN, reasons[offer.pk]
        close_open_work([offer], f"Tilbuddet er bortfaldet: {reasons[offer.pk]}")
    touched = [*reactivated, *changed, *vanished]
    for offer in touched:
        offer.last_run = run
    if touched:
        fields = [*UPDATABLE, "trigger_date", "status", "withdrawn_reason", "last_run"]
        bulk_update_with_history(touched, Offer, fields, batch_size=2000, **history)
    # Offers decided again without change only move their last run: nothing changed, no history row.
    for i in range(0, len(unchanged_ids), 5000):
        Offer.objects.filter(pk__in=unchanged_ids[i : i + 5000]).update(last_run=run)
    return [*created, *reactivated], vanished, changed


def _windows_of_other_years(year: int) -> set[OfferKey]:
    """The trigger windows stored by the runs of other plan years that reach into ``year``: a loss in
    December opens a window into January, seen by the runs of both years; the first run to store it keeps
    it, so the case is one offer (or assessment) and is counted once."""
    rows = (
        Offer.objects.filter(
            origin=Offer.Origin.RUN,
            status=Offer.Status.ACTIVE,
            due_to__gte=date(year, 1, 1),
            due_from__lte=date(year, 12, 31),
        )
        .exclude(year=year)
        .exclude(trigger="")
        .values_list("citizen__cpr", "group", "trigger", "due_from")
    )
    return {offer_key(cpr, group, trigger, due_from) for cpr, group, trigger, due_from in rows}


def _set(offer: Offer, values: dict[str, Any], **more: Any) -> None:
    for name, value in {**values, **more}.items():
        setattr(offer, name, value)


def offer_values(d: Decision) -> dict[str, Any]:
    return {
        "group": d.group,
        "trigger": d.trigger or "",
        "trigger_date": d.trigger_date,
        "decision": d.decision,
        "letter": d.letter or "",
        "due_from": d.due_from,
        "due_to": d.due_to,
        "reason": d.reason,
        "rule_id": d.rule_id,
        "clause": d.clause,
        "duration_min": d.duration_min,
        "couple_cpr": d.couple_cpr or "",
        "response": d.response or "",
        "joint_letter": d.joint_letter,
        "follow_up_months": d.follow_up_months,
    }


def _vanished_reasons(
    offers: list[Offer], population: Population, standard: QualityStandard, run: EligibilityRun
) -> dict[int, str]:
    """Why each offer is no longer decided: the failing conditions of its group, in the standard's words."""
    present = {c.cpr: c for c in population.citizens}
    reasons: dict[int, str] = {}
    for offer in offers:
        cpr = offer.citizen.cpr
        person = present[cpr]
        if person.death_date is not None and person.death_date <= run.on:
            reasons[offer.pk] = f"Borgeren er død {person.death_date.isoformat()}."
            continue
        explanation = explain(standard, population, cpr, run.year, run.on)
        reasons[offer.pk] = _group_verdict(explanation, offer)
    return reasons


def _group_verdict(explanation: Explanation, offer: Offer) -> str:
    for check in explanation.groups:
        if check.group != offer.group:
            continue
        failed = [c for c in check.conditions if not c.holds and not c.text.startswith("undtaget")]
        exempt = [d for d in check.decisions if d.decision != "offer"]
        if exempt:
            return exempt[0].reason
        if failed:
            return "Betingelse ikke længere opfyldt: " + "; ".join(
                f"{c.text} ({', '.join(c.facts)})" if c.facts else c.text for c in failed
            )
        return "Afgørelsen er ændret: " + "; ".join(d.reason for d in check.decisions)
    return "Målgruppen findes ikke længere i kvalitetsstandarden."


def summarise(
    run: EligibilityRun, new: list[Offer], withdrawn: list[Offer], changed: list[Offer]
) -> dict[str, Any]:
    counts: dict[str, dict[str, int]] = {}
    for group, decision in Offer.objects.filter(year=run.year, status=Offer.Status.ACTIVE).values_list(
        "group", "decision"
    ):
        counts.setdefault(group, {}).setdefault(decision, 0)
        counts[group][decision] += 1
    return {
        "by_group": counts,
        "new": len(new),
        "withdrawn": len(withdrawn),
        "changed": len(changed),
        "new_ids": [o.pk for o in new][:LIST_LIMIT],
        "withdrawn_ids": [o.pk for o in withdrawn][:LIST_LIMIT],
    }
