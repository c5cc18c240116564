"""Properties of the engine over random small populations (hypothesis), for each shipped standard."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.core.eligibility import Decision, evaluate
from fhb.core.population.model import EVENT_KINDS, Citizen, Event, Population
from fhb.core.standard import QualityStandard, available_standards, load_standard

YEAR = 2027
KINDS = sorted(EVENT_KINDS)


@cache
def standard(name: str) -> QualityStandard:
    return load_standard(name)


def days(lo: str, hi: str) -> st.SearchStrategy[date]:
    return st.dates(min_value=date.fromisoformat(lo), max_value=date.fromisoformat(hi))


@st.composite
def populations(draw: st.DrawFn) -> Population:
    """Up to 14 people at up to 5 addresses, some married, some dead, with random facts."""
    count = draw(st.integers(min_value=1, max_value=14))
    cprs = [f"{i:02d}0101{i:04d}" for i in range(1, count + 1)]
    people = []
    for i, cpr in enumerate(cprs):
        widowed = draw(st.booleans())
        people.append(
            Citizen(
                cpr=cpr,
                name=f"P{i}",
                birth_date=draw(
                    st.one_of(days("1925-01-01", "1962-12-31"), days("1995-01-01", "2015-12-31"))
                ),
                sex="F",
                address_id=f"a{draw(st.integers(min_value=0, max_value=4))}",
                street="Vej",
                postcode="1000",
                city="By",
                civil_status=draw(st.sampled_from([None, "G", "U", "E", "L", "P", "F"])),
                civil_status_date=draw(days("2025-06-01", "2027-12-31")) if widowed else None,
                spouse_cpr=draw(st.one_of(st.none(), st.sampled_from(cprs))),
                death_date=draw(st.one_of(st.none(), st.none(), days("2025-01-01", "2028-06-30"))),
            )
        )
    events = []
    for _ in range(draw(st.integers(min_value=0, max_value=20))):
        start = draw(days("2024-01-01", "2027-12-31"))
        length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=900)))
        events.append(
            Event(
                cpr=draw(st.sampled_from(cprs)),
                kind=draw(st.sampled_from(KINDS)),
                start=start,
                end=None if length is None else start + timedelta(days=length),
            )
        )
    return Population(citizens=tuple(people), events=tuple(events))


standards = st.sampled_from(available_standards())
extract_dates = days("2026-10-01", "2027-12-31")


@settings(max_examples=150, deadline=None)
@given(pop=populations(), name=standards, on=extract_dates, include_all=st.booleans())
def test_no_offer_to_a_dead_citizen(pop: Population, name: str, on: date, include_all: bool) -> None:
    dead = {c.cpr for c in pop.citizens if c.death_date is not None and c.death_date <= on}
    for row in evaluate(standard(name), pop, YEAR, on, include_all=include_all):
        if row.cpr in dead:
            assert row.decision == "exempt" and row.group == "none", f"row for a dead citizen: {row}"


@settings(max_examples=150, deadline=None)
@given(pop=populations(), name=standards, on=extract_dates)
def test_a_letter_only_on_an_offer_and_every_offer_has_one(pop: Population, name: str, on: date) -> None:
    for row in evaluate(standard(name), pop, YEAR, on, include_all=True):
        if row.decision == "offer":
            assert row.letter in ("with_time", "without_time"), row
        else:
            assert row.letter is None, f"a letter on a {row.decision} row: {row}"


@settings(max_examples=150, deadline=None)
@given(pop=populations(), name=standards, on=extract_dates)
def test_every_row_names_a_rule_of_the_standard(pop: Population, name: str, on: date) -> None:
    std = standard(name)
    ids = std.rule_ids()
    groups = {group.id for group in std.groups} | {"none"}
    for row in evaluate(std, pop, YEAR, on, include_all=True):
        assert row.rule_id in ids, f"unknown rule {row.rule_id}"
        assert row.group in groups
        assert row.clause and row.clause in std.rule(row.rule_id).clause_text
        assert row.reason and "\n" not in row.reason
        assert set(row.modifiers) <= ids


@settings(max_examples=150, deadline=None)
@given(pop=populations(), name=standards, on=extract_dates)
def test_windows_overlap_the_plan_year_and_are_ordered(pop: Population, name: str, on: date) -> None:
    for row in evaluate(standard(name), pop, YEAR, on):
        assert row.due_from is not None and row.due_to is not None
        assert row.due_from <= row.due_to, row
        assert row.due_from <= date(YEAR, 12, 31) and row.due_to >= date(YEAR, 1, 1), row
        assert (row.trigger is None) == (row.group != "risk"), row


@settings(max_examples=150, deadline=None)
@given(pop=populations(), name=standards, on=extract_dates, data=st.data())
def test_output_does_not_depend_on_row_order(
    pop: Population, name: str, on: date, data: st.DataObject
) -> None:
    shuffled = Population(
        citizens=tuple(data.draw(st.permutations(pop.citizens))),
        events=tuple(data.draw(st.permutations(pop.events))),
    )
    first: list[Decision] = evaluate(standard(name), pop, YEAR, on, include_all=True)
    second: list[Decision] = evaluate(standard(name), shuffled, YEAR, on, include_all=True)
    assert first == second


@settings(max_examples=60, deadline=None)
@given(pop=populations(), name=standards, on=extract_dates)
def test_explain_agrees_with_evaluate(pop: Population, name: str, on: date) -> None:
    from fhb.core.eligibility import explain

    std = standard(name)
    everything = evaluate(std, pop, YEAR, on, include_all=True)
    for person in pop.citizens[:4]:
        explained = explain(std, pop, person.cpr, YEAR, on)
        expected = sorted(
            (r.group, r.decision, r.letter, r.due_from, r.reason) for r in everything if r.cpr == person.cpr
        )
        got = sorted((r.group, r.decision, r.letter, r.due_from, r.reason) for r in explained.decisions)
        assert got == expected


@settings(max_examples=150, deadline=None)
@given(pop=populations(), name=standards, on=extract_dates)
def test_the_fast_path_decides_as_the_traced_path(pop: Population, name: str, on: date) -> None:
    """evaluate() unrolls the plain groups for speed; with_conditions=True runs the general, traced code."""
    fast = evaluate(standard(name), pop, YEAR, on, include_all=True)
    traced = evaluate(standard(name), pop, YEAR, on, include_all=True, with_conditions=True)
    assert fast == [dataclasses.replace(row, conditions=()) for row in traced]
    assert all(row.conditions for row in traced if row.group != "none")
