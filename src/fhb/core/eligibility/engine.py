"""Evaluating a quality standard over a population: who is in which target group, and what follows.

The engine knows no municipality: every group, condition, window, exemption and hand-over comes from the
standard file. It is pure: the plan year and the extract date are arguments; nothing is read or written.

Order of decision for a citizen in a group: the group's conditions (age, lives alone, a trigger's window)
place the citizen in it; then the exemptions that apply to the group, in file order (decision ``exempt``);
then the hand-overs (e.g. ``dementia_coordinator``); otherwise the group's (or trigger's) decision, ``offer``
with its letter or ``assess``. Finally couples: an offer whose co-resident partner also has an offer gets
``couple_cpr``, the couple's visit length and, in the couples' groups, the couples' letter.

Dead citizens (``death_date`` on or before the extract date) get no row, except with ``include_all``: then a
row of group ``none``, decision ``exempt``, reason "Død ...", like the citizens in no group.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter

from fhb.core.cpr import format_cpr
from fhb.core.eligibility.couples import CouplePairing
from fhb.core.eligibility.facts import Facts, age_on, birthday_in, in_force
from fhb.core.eligibility.model import (
    LETTER_TEXT,
    NO_GROUP,
    RESPONSE_TEXT,
    Condition,
    Decision,
    DecisionKind,
    new_decision,
)
from fhb.core.eligibility.texts import (
    ASSESS_TEXT,
    age_requirement,
    arrangement_text,
    by_date,
    event_line,
    exemption_text,
    handover_text,
    kinds_text,
    offer_text,
    sorted_kinds,
)
from fhb.core.eligibility.windows import bereavement_horizon, trigger_test, trigger_windows, window_text
from fhb.core.letters.texts import format_short_date
from fhb.core.population.model import EVENT_KINDS, Citizen, Event, Population
from fhb.core.standard.schema import Age, Exemption, Handover, QualityStandard, Rule, TargetGroup, Trigger

_MAX_AGE = 150

#: The output order: CPR, group, due_from. The engine sorts each citizen's rows by (group, due_from) and the
#: whole list by CPR with a stable sort; rows that tie keep the order they were made in (trigger file order,
#: anchor date), so the order is total and deterministic.
sort_key = attrgetter("cpr")
_row_order = attrgetter("group", "due_from")


def _plain_age_may_hold(age: Age, turned: int) -> bool:
    """Whether a plain group's age condition can hold for someone turning ``turned`` in the plan year."""
    if age.kind == "turns":
        return turned == age.years
    if age.kind == "turns_at_least":
        return turned >= age.lower_years
    # between, judged on 1 January: the age then is turned - 1 (or turned, born 1 January)
    return turned >= age.lower_years and (age.max_years is None or turned - 1 <= age.max_years)


def _age_holds(age: Age, citizen: Citizen, turned: int, on: date) -> bool:
    if age.kind == "turns":
        return turned == age.years
    if age.kind == "turns_at_least":
        return turned >= age.lower_years
    years = age_on(citizen.birth_date, on)
    return years >= age.lower_years and (age.max_years is None or years <= age.max_years)


class _FastGroup:
    """A plain group prepared for the fast path of :meth:`Engine.evaluate` (what ``_decide`` reads, once)."""

    __slots__ = (
        "birthday_years",
        "clause",
        "duration_min",
        "follow_up_months",
        "group",
        "invitation",
        "letter",
        "lives_alone",
        "offer",
        "response",
        "spouse_dependent",
        "tail",
    )

    def __init__(self, group: TargetGroup, clause: str, duration_min: int) -> None:
        assert group.age is not None
        self.group = group
        self.lives_alone = group.lives_alone
        self.birthday_years = group.age.years if group.age.due_from_birthday else None
        self.offer = group.decision == "offer"
        self.letter = group.letter
        self.response = group.response
        self.clause = clause
        self.duration_min = duration_min
        self.follow_up_months = group.follow_up.after_months if group.follow_up is not None else None
        self.invitation = group.invites_to
        self.tail = (
            arrangement_text(group) + offer_text(group.letter, group.response)
            if group.letter is not None
            else ASSESS_TEXT
        )
        self.spouse_dependent = False


class Engine:
    """A quality standard prepared for evaluation: its tables are built once, then used for every citizen."""

    def __init__(self, standard: QualityStandard) -> None:
        self.standard = standard
        # A group reached only by referral is never evaluated: a run places no one in it.
        groups = [group for group in standard.groups if not group.referral_only]
        self._triggered = tuple(group for group in groups if group.triggers)
        self._exemptions: dict[str, tuple[Exemption, ...]] = {
            group.id: tuple(ex for ex in standard.exemptions if group.id in ex.applies_to) for group in groups
        }
        self._handovers: dict[str, tuple[Handover, ...]] = {
            group.id: tuple(h for h in standard.handovers if group.id in h.applies_to) for group in groups
        }
        #: The kinds of fact that hand a spouse over too, and the groups whose decision may depend on them.
        self._spouse_kinds = frozenset(
            kind for handover in standard.handovers if handover.also_spouse for kind in handover.when_any
        )
        self._spouse_dependent = frozenset(
            group.id for group in groups if any(h.also_spouse for h in self._handovers[group.id])
        )
        self._trigger_kinds = frozenset(
            trigger.event for group in self._triggered for trigger in group.triggers
        )
        status_kinds = {kind for ex in standard.exemptions for kind in ex.kinds}
        status_kinds |= {kind for handover in standard.handovers for kind in handover.when_any}
        self.event_kinds = frozenset(self._trigger_kinds | status_kinds)
        self._clause = {rule.id: rule.clause_text for _, rule in standard.rules()}
        lows: list[int] = []
        for group in groups:
            for trigger in group.triggers:
                age = trigger.age or group.age
                lows.append(age.lower_years if age is not None else 0)
            if not group.triggers and group.age is not None:
                lows.append(group.age.lower_years)
        #: Citizens turning less than this in the plan year can be in no group: they are skipped at once.
        self.min_turned = min(lows, default=_MAX_AGE + 1)
        self._plain_by_turned = tuple(
            tuple(
                group
                for group in groups
                if not group.triggers and group.age is not None and _plain_age_may_hold(group.age, t)
            )
            for t in range(_MAX_AGE + 1)
        )
        self._couples = CouplePairing(standard)
        self._bereavement_triggers = "bereavement" in self._trigger_kinds
        #: Groups evaluated on the fast path: no triggers, and an age the dispatch table decides alone.
        self._fast_groups = {
            group.id: _FastGroup(group, self._clause[group.id], standard.visit.duration_min)
            for group in groups
            if not group.triggers and group.age is not None and group.age.kind in ("turns", "turns_at_least")
        }
        for plan in self._fast_groups.values():
            plan.spouse_dependent = plan.group.id in self._spouse_dependent
        self._slow_by_turned = tuple(
            tuple(group for group in groups if group.id not in self._fast_groups)
            for groups in self._plain_by_turned
        )
        self._offer_text = {
            (letter, response): offer_text(letter, response)
            for letter in LETTER_TEXT
            for response in (*RESPONSE_TEXT, None)
        }

    # --- facts ---------------------------------------------------------------------------------------------

    def bereavement_horizon(self, year: int) -> date:
        """The earliest loss that can open a bereavement window overlapping the plan year."""
        return bereavement_horizon(self._triggered, year, self.standard.deadlines.by_need_weeks)

    def facts(
        self, population: Population, on: date, *, year: int | None = None, for_explanation: bool = False
    ) -> Facts:
        """Index a population for this standard on the extract date ``on``. With ``year``, derived
        bereavements too old to matter in that plan year are left out; for an explanation, every event kind
        and the spouse index are kept, to show everything known about a citizen."""
        settings = self.standard.facts
        return Facts(
            population,
            on,
            bereavements_since=None if year is None else self.bereavement_horizon(year),
            is_trigger=None
            if year is None
            else trigger_test(self._triggered, year, self.standard.deadlines.by_need_weeks),
            event_kinds=None if for_explanation else self.event_kinds,
            adult_age_years=settings.adult_age_years,
            bereavement_from_civil_status=settings.bereavement_from_civil_status
            and self._bereavement_triggers,
            bereavement_from_spouse_death=settings.bereavement_from_spouse_death
            and self._bereavement_triggers,
        )

    # --- the whole population ----------------------------------------------------------------------------

    def evaluate(
        self,
        population: Population,
        year: int,
        on: date | None = None,
        *,
        include_all: bool = False,
        with_conditions: bool = False,
    ) -> list[Decision]:
        """All decisions for the plan year, sorted by CPR, group and due date (see :func:`evaluate`)."""
        on = on if on is not None else date(year, 1, 1)
        facts = self.facts(population, on, year=year)
        min_turned = self.min_turned
        if with_conditions:  # every plain group through the general, traced code
            fast_table: tuple[tuple[tuple[_FastGroup, str, str], ...], ...] = ((),) * (_MAX_AGE + 1)
            slow_table = self._plain_by_turned
        else:
            fast_table = self._fast_table(year)
            slow_table = self._slow_by_turned
        triggered_groups = self._triggered
        events_of, losses_of, death_dates, triggering = facts.lookups()
        adults_at = facts.adults_at
        lives_alone = facts.lives_alone
        partner_cpr = facts.partner_cpr
        # Who has a fact that hands the spouse over (dementia): only their partners leave the fast path.
        holders = {
            event.cpr
            for event in population.events
            if event.kind in self._spouse_kinds and in_force(event, on)
        }
        jan1 = date(year, 1, 1)
        dec31 = date(year, 12, 31)
        decisions: list[Decision] = []
        #: Citizens with an offer who share the address with another adult: maybe half of a couple.
        offered: dict[str, Citizen] = {}
        trace: list[Condition] | None = None
        for citizen in population.citizens:
            died = citizen.death_date
            if died is not None and died <= on:
                if include_all:
                    decisions.append(self.dead_row(citizen))
                continue
            turned = year - citizen.birth_date.year
            if turned < min_turned:
                if include_all:
                    decisions.append(self.none_row(citizen, year, facts))
                continue
            index = turned if turned <= _MAX_AGE else _MAX_AGE
            fast_entries = fast_table[index]
            slow_groups = slow_table[index]
            cpr = citizen.cpr
            events = events_of(cpr)
            bereavements = None
            if triggered_groups:
                bereavements = losses_of(cpr)
                if citizen.spouse_cpr in death_dates:
                    bereavements = facts.bereavements_of(citizen)
            triggered = triggered_groups if bereavements is not None or cpr in triggering else ()
            if not fast_entries and not slow_groups and not triggered:
                if include_all:
                    decisions.append(self.none_row(citizen, year, facts))
                continue
            found: list[Decision] = []
            has_offer = False
            for plan, head, reason in fast_entries:
                # The table guarantees the age condition: this is group_decisions, unrolled for speed.
                if plan.lives_alone and not lives_alone(citizen):
                    continue
                due_from = jan1
                if plan.birthday_years == turned:
                    due_from = birthday_in(citizen.birth_date, year)
                    head = self._plain_head(plan.group, citizen.birth_date, turned, year, due_from)
                    reason = head + plan.tail
                if (
                    plan.offer
                    and events is None
                    and not (plan.spouse_dependent and partner_cpr(citizen) in holders)
                ):
                    # No fact can exempt or hand over: the group's offer, exactly as _decide makes it.
                    found.append(
                        new_decision(
                            cpr, plan.group.id, "offer", plan.letter, due_from, dec31, None, reason,
                            plan.group.id, plan.clause, None, plan.response, plan.duration_min, None, False,
                            plan.follow_up_months, plan.invitation, (), (),
                        )
                    )  # fmt: skip
                    has_offer = True
                else:
                    decision = self._decide(
                        citizen, plan.group, None, None, due_from, dec31, head, facts, events, None
                    )
                    found.append(decision)
                    has_offer = has_offer or decision.decision == "offer"
            for group in (*slow_groups, *triggered) if slow_groups else triggered:
                trace = [] if with_conditions else None
                made = self.group_decisions(citizen, group, turned, year, facts, events, bereavements, trace)
                if made:
                    found += made
                    has_offer = has_offer or any(decision.decision == "offer" for decision in made)
            if not found:
                if include_all:
                    decisions.append(self.none_row(citizen, year, facts))
                continue
            if len(found) > 1:
                found.sort(key=_row_order)
            decisions += found
            if has_offer and isinstance(adults_at(citizen.address_id), list):
                offered[cpr] = citizen
        decisions = self.pair_couples(decisions, offered, facts)
        # Each citizen's rows are already in order and stay together: a stable sort by CPR is enough.
        decisions.sort(key=sort_key)
        return decisions

    def _fast_table(self, year: int) -> tuple[tuple[tuple[_FastGroup, str, str], ...], ...]:
        """For each age turned in the plan year (0-150): the fast groups whose age condition holds, each
        with the head and the offer reason of a row due from 1 January."""
        jan1 = date(year, 1, 1)
        table = []
        for turned in range(_MAX_AGE + 1):
            entries = []
            for group in self._plain_by_turned[turned]:
                plan = self._fast_groups.get(group.id)
                if plan is not None:
                    head = self._plain_head(group, jan1, turned, year, jan1)  # no birth date needed here
                    entries.append((plan, head, head + plan.tail))
            table.append(tuple(entries))
        return tuple(table)

    # --- one citizen, one group --------------------------------------------------------------------------

    def group_decisions(
        self,
        citizen: Citizen,
        group: TargetGroup,
        turned: int,
        year: int,
        facts: Facts,
        events: list[Event] | None,
        bereavements: list[tuple[date, str]] | None,
        trace: list[Condition] | None,
    ) -> list[Decision]:
        """The rows one group gives one citizen (none, one, or one per trigger window), before couples are
        paired. With ``trace`` (a list) every condition evaluated is appended to it, and each row carries
        the conditions that led to it."""
        if group.referral_only:
            if trace is not None:
                text = "kun efter henvisning: en konsulent registrerer henvisningen som en vurdering"
                trace.append(Condition(group.id, text, False, ("kørslen placerer ingen i målgruppen",)))
            return []
        if group.triggers:
            return self._triggered_decisions(citizen, group, turned, year, facts, events, bereavements, trace)
        age = group.age
        assert age is not None
        jan1 = date(year, 1, 1)
        due_from = jan1
        holds = _age_holds(age, citizen, turned, jan1)
        if holds and age.due_from_birthday and turned == age.years:
            due_from = birthday_in(citizen.birth_date, year)
        if trace is not None:
            data = [f"født {format_short_date(citizen.birth_date)}", f"fylder {turned} i {year}"]
            if age.kind == "between":
                data.append(f"{age_on(citizen.birth_date, jan1)} år den {format_short_date(jan1)}")
            if holds and due_from != jan1:
                data.append(f"tilbuddet gælder fra fødselsdagen {format_short_date(due_from)}")
            trace.append(Condition(group.id, age_requirement(age, year, jan1), holds, tuple(data)))
        if not holds:
            return []
        if group.lives_alone:
            alone = facts.lives_alone(citizen)
            if trace is not None:
                lines = tuple(self.household_lines(citizen, facts))
                text = f"bor alene den {format_short_date(facts.on)}"
                trace.append(Condition(group.id, text, alone, lines))
            if not alone:
                return []
        head = self._plain_head(group, citizen.birth_date, turned, year, due_from)
        return [
            self._decide(citizen, group, None, None, due_from, date(year, 12, 31), head, facts, events, trace)
        ]

    @staticmethod
    def _plain_head(group: TargetGroup, birth_date: date, turned: int, year: int, due_from: date) -> str:
        """The start of the reason of a plain group's row: "Målgruppe 3: fylder 80 i 2027"."""
        age = group.age
        assert age is not None
        jan1 = date(year, 1, 1)
        if age.kind == "turns":
            what = f"fylder {age.years} i {year}"
        elif age.kind == "turns_at_least":
            if turned != age.years:
                what = f"fylder {turned} i {year} ({age.years} år og derover)"
            elif due_from != jan1:
                what = f"fylder {age.years} den {due_from.isoformat()}"
            else:
                what = f"fylder {age.years} i {year}"
        else:
            what = f"{age_on(birth_date, jan1)} år den {jan1.isoformat()}"
        return f"{group.label}: bor alene og {what}" if group.lives_alone else f"{group.label}: {what}"

    def _triggered_decisions(
        self,
        citizen: Citizen,
        group: TargetGroup,
        turned: int,
        year: int,
        facts: Facts,
        events: list[Event] | None,
        bereavements: list[tuple[date, str]] | None,
        trace: list[Condition] | None,
    ) -> list[Decision]:
        decisions: list[Decision] = []
        kinds = {event.kind for event in events} if events else set()
        if bereavements:
            kinds.add("bereavement")
        for trigger in group.triggers:
            if trace is None and trigger.event not in kinds:
                continue
            windows = trigger_windows(
                trigger, events, bereavements, year, self.standard.deadlines.by_need_weeks
            )
            if trace is not None:
                lines = [
                    f"{what}: vindue {format_short_date(start)}–{format_short_date(end)}"
                    for _, start, end, what in windows
                ]
                none = f"ingen hændelse: {EVENT_KINDS.get(trigger.event, trigger.event)}"
                text = f"{trigger.label}: vindue, der overlapper {year}"
                trace.append(Condition(trigger.id, text, bool(windows), tuple(lines) or (none,)))
            age = trigger.age or group.age
            for anchor, start, end, what in windows:
                local: list[Condition] | None = None if trace is None else []
                years = age_on(citizen.birth_date, start)
                if age is not None:
                    holds = _age_holds(age, citizen, turned, start)
                    if local is not None:
                        data = (
                            f"født {format_short_date(citizen.birth_date)}",
                            f"{years} år den {format_short_date(start)}",
                        )
                        local.append(Condition(trigger.id, age_requirement(age, year, start), holds, data))
                    if not holds:
                        if trace is not None and local is not None:
                            trace.extend(local)
                        continue
                head = f"{group.label}: {what}, {years} år{window_text(trigger)}"
                decisions.append(
                    self._decide(citizen, group, trigger, anchor, start, end, head, facts, events, local)
                )
                if trace is not None and local is not None:
                    trace.extend(local)
        return decisions

    def _decide(
        self,
        citizen: Citizen,
        group: TargetGroup,
        trigger: Trigger | None,
        anchor: date | None,
        due_from: date,
        due_to: date,
        head: str,
        facts: Facts,
        events: list[Event] | None,
        trace: list[Condition] | None,
    ) -> Decision:
        """The row of a citizen placed in a group: exempt, handed over, or the group's own decision."""
        conditions: tuple[Condition, ...] = ()
        overruled = None
        if events is not None or trace is not None or group.id in self._spouse_dependent:
            overruled = self._overruled(citizen, group, facts, events, trace)
            if trace is not None:
                conditions = tuple(trace)
        event = trigger.event if trigger is not None else None
        if overruled is not None:
            decision, rule, reason = overruled
            return new_decision(
                citizen.cpr, group.id, decision, None, due_from, due_to, event, reason, rule.id,
                self._clause[rule.id], anchor, None, None, None, False, None, None, (), conditions,
            )  # fmt: skip
        rule_id = trigger.id if trigger is not None else group.id
        decision = (trigger.decision if trigger is not None else None) or group.decision
        if decision == "offer":
            letter = (trigger.letter if trigger is not None else None) or group.letter
            assert letter is not None
            follow_up = group.follow_up
            return new_decision(
                citizen.cpr, group.id, "offer", letter, due_from, due_to, event,
                head + arrangement_text(group) + self._offer_text[letter, group.response], rule_id,
                self._clause[rule_id], anchor,
                group.response, self.standard.visit.duration_min, None, False,
                follow_up.after_months if follow_up is not None else None, group.invites_to, (), conditions,
            )  # fmt: skip
        return new_decision(
            citizen.cpr, group.id, decision, None, due_from, due_to, event, head + ASSESS_TEXT, rule_id,
            self._clause[rule_id], anchor, None, None, None, False, None, None, (), conditions,
        )  # fmt: skip

    def _overruled(
        self,
        citizen: Citizen,
        group: TargetGroup,
        facts: Facts,
        events: list[Event] | None,
        trace: list[Condition] | None,
    ) -> tuple[DecisionKind, Rule, str] | None:
        """The first exemption (then hand-over) of the group that holds: (decision, rule, reason)."""
        on = facts.on
        kinds = {event.kind for event in events if in_force(event, on)} if events else set()
        chosen: tuple[DecisionKind, Rule, str] | None = None
        for exemption in self._exemptions[group.id]:
            old_enough = (
                exemption.min_age_years is None or age_on(citizen.birth_date, on) >= exemption.min_age_years
            )
            # The first set of kinds all in force: when_all, else an alternative of or_when_all.
            held = next((ks for ks in exemption.kind_sets if all(k in kinds for k in ks)), None)
            holds = old_enough and held is not None
            if trace is not None:
                named = exemption.kinds
                lines = [event_line(e, on) for e in by_date(events) if e.kind in named]
                lines = lines or [f"ingen af: {', '.join(EVENT_KINDS[k] for k in sorted_kinds(exemption))}"]
                if exemption.min_age_years is not None:
                    lines.append(f"{age_on(citizen.birth_date, on)} år den {format_short_date(on)}")
                text = f"undtaget: {exemption_text(exemption)}"
                trace.append(Condition(exemption.id, text, holds, tuple(lines), True))
            if holds and chosen is None:
                what = exemption.label
                if held is not None and held != exemption.kind_sets[0]:
                    what = f"{kinds_text(held)}, der tæller som: {exemption.label}"
                chosen = ("exempt", exemption, f"Undtaget: {what} — gælder {self._applies(exemption)}")
                if trace is None:
                    return chosen
        for handover in self._handovers[group.id]:
            own = any(kind in kinds for kind in handover.when_any)
            spouse = facts.partner_cpr(citizen) if handover.also_spouse else None
            spouse_events = (facts.events_of(spouse) or []) if spouse is not None else []
            via = (
                spouse
                if any(e.kind in handover.when_any and in_force(e, on) for e in spouse_events)
                else None
            )
            holds = own or via is not None
            if trace is not None:
                lines = [event_line(e, on) for e in by_date(events) if e.kind in handover.when_any]
                if spouse is not None:
                    theirs = [e for e in by_date(spouse_events) if e.kind in handover.when_any]
                    lines += [f"ægtefælle {format_cpr(spouse)}: {event_line(e, on)}" for e in theirs]
                    lines = lines or [f"ægtefælle {format_cpr(spouse)}: ingen"]
                trace.append(
                    Condition(
                        handover.id,
                        f"overdrages til {handover.receiver_text}: {handover.label}",
                        holds,
                        tuple(lines) or ("ingen",),
                        True,
                    )
                )
            if holds and chosen is None:
                whose = "" if own else f" hos ægtefællen {via}"
                reason = (
                    f"{handover_text(handover)}: {handover.label}{whose} — gælder {self._applies(handover)}"
                )
                chosen = (handover.decision, handover, reason)
                if trace is None:
                    return chosen
        return chosen

    def _applies(self, rule: Exemption | Handover) -> str:
        if rule.applies_to_text:
            return rule.applies_to_text
        if set(rule.applies_to) == {group.id for group in self.standard.groups}:
            return "alle målgrupper"
        return ", ".join(self.standard.group(group_id).label for group_id in rule.applies_to)

    def household_lines(self, citizen: Citizen, facts: Facts) -> list[str]:
        """The other people at the citizen's address, one line each, and whether they count as adults."""
        lines = []
        for other in facts.household(citizen):
            years = age_on(other.birth_date, facts.on)
            if not facts.is_alive(other):
                state = f"død {format_short_date(other.death_date) if other.death_date else ''}: tæller ikke"
            elif facts.is_adult(other):
                state = "voksen: tæller"
            else:
                state = f"under {self.standard.facts.adult_age_years} år: tæller ikke"
            lines.append(f"{format_cpr(other.cpr)} {years} år ({state})")
        return lines or ["ingen andre på adressen"]

    # --- couples, rows without a group ----------------------------------------------------------------

    def pair_couples(
        self, decisions: list[Decision], offered: dict[str, Citizen], facts: Facts
    ) -> list[Decision]:
        """Offers of two co-resident partners who both have an offer get the couple's terms
        (:class:`fhb.core.eligibility.couples.CouplePairing`); the list is returned in the same order."""
        return self._couples.pair(decisions, offered, facts)

    def plain_groups_for(self, turned: int) -> tuple[TargetGroup, ...]:
        """The groups without triggers whose age condition can hold for a citizen turning ``turned``."""
        if turned < self.min_turned:
            return ()
        return self._plain_by_turned[min(max(turned, 0), _MAX_AGE)]

    def none_row(self, citizen: Citizen, year: int, facts: Facts) -> Decision:
        """The ``--all`` row of a living citizen in no target group, with the reasons in brief."""
        turned = year - citizen.birth_date.year
        why = [f"fylder {turned} i {year}"]
        plain = self.plain_groups_for(turned)
        if plain and all(group.lives_alone for group in plain):
            why.append("bor ikke alene")
        if self._triggered:
            events = facts.events_of(citizen.cpr) or ()
            horizon = self.bereavement_horizon(year)
            losses = facts.bereavements_of(citizen) if self._bereavement_triggers else None
            had_facts = any(event.kind in self._trigger_kinds for event in events) or any(
                when >= horizon for when, _ in losses or ()
            )
            why.append(
                f"ingen udløsende hændelse med vindue i {year}" if had_facts else "ingen udløsende hændelse"
            )
        return self._scope_row(citizen, "Ikke i nogen målgruppe: " + ", ".join(why))

    def dead_row(self, citizen: Citizen) -> Decision:
        """The ``--all`` row of a citizen who died on or before the extract date."""
        assert citizen.death_date is not None
        return self._scope_row(citizen, f"Død {citizen.death_date.isoformat()}: ingen tilbud")

    def _scope_row(self, citizen: Citizen, reason: str) -> Decision:
        scope = self.standard.scope
        return new_decision(
            citizen.cpr, NO_GROUP, "exempt", None, None, None, None, reason, scope.id, self._clause[scope.id],
            None, None, None, None, False, None, None, (), (),
        )  # fmt: skip


def evaluate(
    standard: QualityStandard,
    population: Population,
    year: int,
    on: date | None = None,
    *,
    include_all: bool = False,
    with_conditions: bool = False,
) -> list[Decision]:
    """Evaluate ``standard`` over ``population`` for the plan year ``year``.

    ``on`` is the extract date on which living alone, help, nursing home, dementia and death are judged
    (default 1 January of ``year``). Returns one decision per citizen and group (and per trigger window),
    sorted by CPR, group and ``due_from``. Citizens in no group are left out unless ``include_all``; then they
    (and the dead) get a row of group ``none``. ``with_conditions`` fills each decision's ``conditions``
    (slower; :func:`fhb.core.eligibility.explain` gives the full picture for one citizen).
    """
    return Engine(standard).evaluate(
        population, year, on, include_all=include_all, with_conditions=with_conditions
    )
