"""Why one citizen gets what the standard decides: every group considered, each condition with its data.

:func:`explain` runs the same code as :func:`fhb.core.eligibility.evaluate` for one citizen (and the
partner, for the couple rules), with a trace; :func:`render_explanation` writes it as plain Danish text.
"""

from __future__ import annotations

from datetime import date

from fhb.core.cpr import format_cpr
from fhb.core.eligibility.engine import Engine
from fhb.core.eligibility.facts import age_on, in_force
from fhb.core.eligibility.model import Condition, Decision, Explanation, GroupCheck
from fhb.core.letters.texts import format_short_date
from fhb.core.population.model import EVENT_KINDS, Population
from fhb.core.standard.schema import QualityStandard, TargetGroup


class UnknownCitizen(LookupError):
    """The CPR number asked about is not in the population."""


def explain(
    standard: QualityStandard, population: Population, cpr: str, year: int, on: date | None = None
) -> Explanation:
    """Explain the decisions for the citizen ``cpr`` (with or without hyphen) in the plan year ``year``,
    judged on the extract date ``on`` (default 1 January of ``year``). Raises :class:`UnknownCitizen`."""
    on = on if on is not None else date(year, 1, 1)
    cpr = cpr.replace("-", "").strip()
    engine = Engine(standard)
    facts = engine.facts(population, on, for_explanation=True)
    citizen = facts.citizen(cpr)
    if citizen is None:
        raise UnknownCitizen(f"CPR {cpr} findes ikke i udtrækket")
    turned = year - citizen.birth_date.year
    events = facts.events_of(cpr)
    bereavements = facts.bereavements_of(citizen)
    alive = facts.is_alive(citizen)

    decisions: list[Decision] = []
    traced: list[tuple[TargetGroup, list[Condition], list[Decision]]] = []
    for group in standard.groups:
        trace: list[Condition] = []
        found: list[Decision] = []
        if alive:
            found = engine.group_decisions(citizen, group, turned, year, facts, events, bereavements, trace)
        traced.append((group, trace, found))
        decisions += found
    # The couple rules need the partner's offers: evaluate the co-resident partner too.
    offered = {cpr: citizen} if any(d.decision == "offer" for d in decisions) else {}
    partner = facts.co_resident_partner(citizen) if alive else None
    together = list(decisions)
    if partner is not None:
        partner_turned = year - partner.birth_date.year
        partner_events = facts.events_of(partner.cpr)
        partner_bereavements = facts.bereavements_of(partner)
        for group in standard.groups:
            theirs = engine.group_decisions(
                partner, group, partner_turned, year, facts, partner_events, partner_bereavements, None
            )
            together += theirs
            if any(d.decision == "offer" for d in theirs):
                offered[partner.cpr] = partner
    paired = {
        id(before): after
        for before, after in zip(together, engine.pair_couples(together, offered, facts), strict=True)
    }

    checks: list[GroupCheck] = []
    decisions = []
    for group, trace, found in traced:
        final = tuple(paired[id(decision)] for decision in found)
        decisions += final
        checks.append(
            GroupCheck(
                group=group.id,
                label=group.label,
                title=group.title,
                rule_id=group.id,
                clause=group.clause_text,
                reading=group.reading,
                conditions=tuple(trace),
                decisions=final,
            )
        )
    if not alive:
        decisions.append(engine.dead_row(citizen))
    elif not decisions:
        decisions.append(engine.none_row(citizen, year, facts))

    fact_lines = [
        f"{_event_text(event.kind)} {format_short_date(event.start)}–"
        f"{format_short_date(event.end) if event.end else '…'}"
        f" ({'i kraft' if in_force(event, on) else 'ikke i kraft'} {format_short_date(on)})"
        + (f": {event.note}" if event.note else "")
        for event in sorted(events or (), key=lambda e: (e.start, e.kind))
    ]
    fact_lines += [
        f"tab af ægtefælle {format_short_date(when)} (afledt af {source})"
        for when, source in sorted(bereavements or ())
    ]
    partner_line = None
    partner_cpr = facts.partner_cpr(citizen)
    if partner_cpr is not None:
        found_partner = facts.citizen(partner_cpr)
        if found_partner is None:
            partner_line = f"{format_cpr(partner_cpr)} (ikke i udtrækket)"
        else:
            where = "samme adresse" if found_partner.address_id == citizen.address_id else "anden adresse"
            years = age_on(found_partner.birth_date, on)
            partner_line = f"{format_cpr(partner_cpr)} ({found_partner.name}), {years} år, {where}"
    elif citizen.spouse_cpr is not None:
        partner_line = f"{format_cpr(citizen.spouse_cpr)} (død)"
    decisions.sort(key=lambda d: (d.group, d.due_from or date.min, d.trigger or "", d.rule_id))
    return Explanation(
        cpr=citizen.cpr,
        name=citizen.name,
        standard_id=standard.id,
        municipality=standard.municipality.name,
        law=standard.legal_basis_text,
        year=year,
        on=on,
        birth_date=citizen.birth_date,
        age_on=age_on(citizen.birth_date, on),
        age_turned=turned,
        address_id=citizen.address_id,
        address=f"{citizen.street}, {citizen.postcode} {citizen.city}",
        death_date=citizen.death_date,
        household=tuple(engine.household_lines(citizen, facts)),
        partner=partner_line,
        facts=tuple(fact_lines),
        groups=tuple(checks),
        decisions=tuple(decisions),
        scope_rule_id=standard.scope.id,
        scope_clause=standard.scope.clause_text,
    )


def _event_text(kind: str) -> str:
    return EVENT_KINDS.get(kind, kind)


_DECISION_TEXT = {
    "offer": "tilbud",
    "exempt": "undtaget / intet tilbud",
    "dementia_coordinator": "overdraget til demenskoordinator",
    "assess": "vurdering af behov",
}


def render_explanation(explanation: Explanation) -> str:
    """The explanation as plain Danish text (for ``fhb explain`` and the case page)."""
    e = explanation
    lines = [
        f"Forklaring for {e.cpr} ({e.name})",
        f"Kvalitetsstandard: {e.municipality} ({e.standard_id}), planår {e.year}, udtræk {e.on.isoformat()}",
        f"Lovgrundlag: {e.law}",
        "",
        f"Født {e.birth_date.isoformat()}: {e.age_on} år den {e.on.isoformat()}, "
        f"fylder {e.age_turned} i {e.year}.",
        f"Adresse: {e.address} (adresse-id {e.address_id})",
    ]
    if e.death_date is not None:
        lines.append(f"Død: {e.death_date.isoformat()}")
    lines.append("Andre på adressen:")
    lines += [f"  - {line}" for line in e.household]
    lines.append(f"Ægtefælle/partner: {e.partner or 'ingen'}")
    lines.append("Oplysninger fra omsorgssystemet og CPR:")
    lines += [f"  - {line}" for line in e.facts] or ["  - ingen"]
    lines += ["", "Målgrupper:"]
    for check in e.groups:
        lines.append(f"  {check.label} ({check.group}): {check.title}")
        if not check.conditions:
            lines.append("    (ikke vurderet: borgeren er død)")
        for condition in check.conditions:
            mark = "ja " if condition.holds else "nej"
            lines.append(f"    [{mark}] {condition.text}  [{condition.rule_id}]")
            lines += [f"          {fact}" for fact in condition.facts]
        if check.decisions:
            for decision in check.decisions:
                lines.append(f"    => {_DECISION_TEXT[decision.decision]}: {decision.reason}")
        else:
            lines.append("    => ikke i målgruppen")
        lines.append(f"    Kvalitetsstandarden: »{check.clause}«")
        if check.reading:
            lines.append(f"    Fortolkning: {check.reading}")
    lines += ["", "Afgørelser:"]
    for decision in e.decisions:
        window = ""
        if decision.due_from is not None and decision.due_to is not None:
            window = f", {decision.due_from.isoformat()}–{decision.due_to.isoformat()}"
        letter = f", brev {decision.letter}" if decision.letter else ""
        extra = f", besøg {decision.duration_min} min" if decision.duration_min else ""
        if decision.couple_cpr:
            extra += f", ægtepar med {decision.couple_cpr}"
        lines.append(f"  - {decision.group}: {decision.decision}{letter}{window}{extra}")
        lines.append(f"    {decision.reason}")
        lines.append(f"    Regel {decision.rule_id}: »{decision.clause}«")
    return "\n".join(lines) + "\n"
