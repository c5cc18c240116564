"""Run the quality standard over the stored population and store what it decides.

The engine is the pure core (:mod:`fhb.core.eligibility`); this module loads the stored population as
core records, stores the decisions as :class:`Offer` rows and works out what changed since the last run
of the same plan year: offers that are new, and offers that vanished, each with the reason why.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from fhb.citizens.importer import load_stored
from fhb.citizens.models import Citizen
from fhb.core.eligibility import Decision, Explanation, evaluate, explain
from fhb.core.population.model import Population
from fhb.core.standard.loader import load_standard
from fhb.core.standard.schema import QualityStandard
from fhb.offers.closing import close_open_work
from fhb.offers.declined import declined_all_events
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


def current_standard() -> QualityStandard:
    """The municipality's standard (``FHB_STANDARD``), loaded once per process and setting."""
    return _load_standard(settings.FHB_STANDARD)


@lru_cache(maxsize=8)
def _load_standard(name: str) -> QualityStandard:
    return load_standard(name)


def default_extract_date(year: int, today: date) -> date:
    """The date facts are judged on: today, but within the plan year (1 January before it starts)."""
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


def stored_population() -> Population:
    """The citizens of the latest extract and their facts, as core records."""
    citizens, _, events = load_stored(Citizen.objects.filter(in_extract=True))
    return Population(tuple(citizens.values()), (*events, *declined_all_events()))


def household_population(citizen: Citizen) -> Population:
    """The citizen, everyone at the address and the spouse: what one explanation needs."""
    cprs = set(Citizen.objects.filter(dwelling_id=citizen.dwelling_id).values_list("cpr", flat=True))
    cprs.add(citizen.cpr)
    if citizen.spouse_cpr:
        cprs.add(citizen.spouse_cpr)
    citizens, _, events = load_stored(Citizen.objects.filter(cpr__in=cprs))
    return Population(tuple(citizens.values()), (*events, *declined_all_events(cprs)))


def explain_citizen(citizen: Citizen, year: int, on: date) -> Explanation:
    """Every group considered for ``citizen`` in ``year``, judged on ``on``, with the clauses."""
    return explain(current_standard(), household_population(citizen), citizen.cpr, year, on)


def offer_key(cpr: str, group: str, trigger: str | None, due_from: date) -> OfferKey:
    return (cpr, group, trigger or "", due_from)


def start_run(year: int, kind: str, *, on: date, user: Any = None) -> EligibilityRun:
    """Evaluate the standard for ``year`` on the stored population and store the result."""
    standard = current_standard()
    population = stored_population()
    decisions = [d for d in evaluate(standard, population, year, on) if d.due_from and d.due_to]
    with transaction.atomic():
        run = EligibilityRun.objects.create(
            year=year,
            on=on,
            kind=kind,
            standard=standard.id,
            standard_approved=f"{standard.approval.body} {standard.approval.date.isoformat()}",
            user=user,
        )
        new, withdrawn, changed = _store(run, decisions, population, standard)
        run.summary = _summary(run, new, withdrawn, changed)
        run.save(update_fields=["summary"])
    return run


def _store(
    run: EligibilityRun, decisions: list[Decision], population: Population, standard: QualityStandard
) -> tuple[list[Offer], list[Offer], list[Offer]]:
    """Store the run's decisions; return the offers that are new, withdrawn and changed."""
    history = {"default_user": run.user, "default_change_reason": f"Kørsel {run.pk}"}
    existing = {
        offer_key(o.citizen.cpr, o.group, o.trigger, o.due_from): o
        for o in Offer.objects.filter(year=run.year, origin=Offer.Origin.RUN).select_related("citizen")
    }
    citizen_ids = dict(Citizen.objects.values_list("cpr", "pk"))
    created: list[Offer] = []
    reactivated: list[Offer] = []
    changed: list[Offer] = []
    unchanged_ids: list[int] = []
    seen: set[OfferKey] = set()
    for d in decisions:
        assert d.due_from is not None
        key = offer_key(d.cpr, d.group, d.trigger, d.due_from)
        seen.add(key)
        values = _offer_values(d)
        offer = existing.get(key)
        if offer is None:
            created.append(
                Offer(citizen_id=citizen_ids[d.cpr], year=run.year, first_run=run, last_run=run, **values)
            )
        elif offer.status == Offer.Status.WITHDRAWN:
            _set(offer, values, status=Offer.Status.ACTIVE, withdrawn_reason="")
            reactivated.append(offer)
        elif any(getattr(offer, name) != values[name] for name in UPDATABLE):
            if offer.decision == Offer.Decision.OFFER and values["decision"] != Offer.Decision.OFFER:
                close_open_work([offer], f"Afgørelsen er ændret: {values['reason']}")
            _set(offer, values)
            changed.append(offer)
        else:
            unchanged_ids.append(offer.pk)
    if created:
        bulk_create_with_history(created, Offer, batch_size=2000, **history)

    vanished = [o for key, o in existing.items() if key not in seen and o.status == Offer.Status.ACTIVE]
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


def _set(offer: Offer, values: dict[str, Any], **more: Any) -> None:
    for name, value in {**values, **more}.items():
        setattr(offer, name, value)


def _offer_values(d: Decision) -> dict[str, Any]:
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
        if cpr not in present:
            reasons[offer.pk] = "Borgeren er ikke længere i udtrækket (fraflyttet eller udgået)."
            continue
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


def _summary(
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
