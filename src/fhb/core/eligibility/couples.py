"""Couples: two co-resident partners who are both offered a visit share the couple's terms.

The standard's ``[visit] couple_duration_min`` gives both offers the couple's visit length; ``[couples]``
gives offers in its groups its letter (e.g. one letter each, without a set time) when both partners
are offered in those groups. Each changed offer carries ``couple_cpr`` and the ids of the rules that
changed it in ``modifiers``.
"""

from __future__ import annotations

from fhb.core.eligibility.facts import Facts
from fhb.core.eligibility.model import Decision, new_decision
from fhb.core.eligibility.texts import offer_text
from fhb.core.population.model import Citizen
from fhb.core.standard.schema import QualityStandard

_Terms = tuple[str, str | None, str | None, bool, int | None, tuple[str, ...]]


class CouplePairing:
    """The couple rules of one standard."""

    def __init__(self, standard: QualityStandard) -> None:
        self.standard = standard
        self._couple_groups = frozenset(standard.couples.groups) if standard.couples else frozenset()
        labels = [group.label for group in standard.groups if group.id in self._couple_groups]
        self._couple_groups_text = " eller ".join(labels)

    def pair(self, decisions: list[Decision], offered: dict[str, Citizen], facts: Facts) -> list[Decision]:
        """Offers of two co-resident partners who both have an offer: the couple's visit length and, in the
        couples' groups, the couples' letter. ``offered``: the citizens with an offer, by CPR (others may be
        left out). Returns the list with those offers replaced, in the same order."""
        partner_of: dict[str, str] = {}
        for cpr, citizen in offered.items():
            partner = facts.co_resident_partner(citizen)
            if partner is not None and partner.cpr in offered:
                back = facts.co_resident_partner(offered[partner.cpr])
                if back is not None and back.cpr == cpr:
                    partner_of[cpr] = partner.cpr
        if not partner_of:
            return decisions
        in_couple_groups: set[str] = set()  # partners with an offer in one of the couples' groups
        if self._couple_groups:
            for decision in decisions:
                if (
                    decision.decision == "offer"
                    and decision.group in self._couple_groups
                    and decision.cpr in partner_of
                ):
                    in_couple_groups.add(decision.cpr)
        made: dict[tuple[str, str, bool], _Terms] = {}
        paired = []
        for decision in decisions:
            mate = partner_of.get(decision.cpr) if decision.decision == "offer" else None
            if mate is None:
                paired.append(decision)
                continue
            both = decision.group in self._couple_groups and mate in in_couple_groups
            key = (decision.reason, decision.group, both)
            terms = made.get(key)
            if terms is None:
                terms = made[key] = self._couple_terms(decision, both)
            reason, letter, response, joint, duration, modifiers = terms
            paired.append(
                new_decision(
                    decision.cpr, decision.group, decision.decision, letter, decision.due_from,
                    decision.due_to, decision.trigger, reason, decision.rule_id, decision.clause,
                    decision.trigger_date, response, duration, mate, joint, decision.follow_up_months,
                    decision.invitation, decision.modifiers + modifiers, decision.conditions,
                )
            )  # fmt: skip
        return paired

    def _couple_terms(self, decision: Decision, couples_letter: bool) -> _Terms:
        """What being a couple changes in an offer: (reason, letter, response, joint letter, visit length,
        rule ids). ``couples_letter``: both partners are offered in the couples' groups."""
        visit = self.standard.visit
        couples = self.standard.couples
        letter, response, joint = decision.letter, decision.response, False
        duration = decision.duration_min
        modifiers: list[str] = []
        assert letter is not None
        reason = decision.reason.removesuffix(offer_text(letter, response))
        suffix = ""
        if visit.couple_duration_min is not None:
            duration = visit.couple_duration_min
            modifiers.append(visit.id)
            suffix += f" — ægtepar, begge i målgruppen: besøg {duration} min"
        if couples is not None and couples_letter:
            letter, response, joint = couples.letter, couples.response, couples.joint_letter
            modifiers.append(couples.id)
            letters = "ét fælles brev" if joint else "ét brev til hver"
            suffix += f" — ægtepar, begge i {self._couple_groups_text}: {letters}"
        return (
            reason + offer_text(letter, response) + suffix,
            letter,
            response,
            joint,
            duration,
            tuple(modifiers),
        )
