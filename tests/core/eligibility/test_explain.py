"""Explanations: every group considered, each condition with its data, the decision and the clause."""

from __future__ import annotations

import pytest
from eligibility_builders import citizen, couple, d, event, home_care, population

from fhb.core.cpr import format_cpr
from fhb.core.eligibility import UnknownCitizen, explain, render_explanation
from fhb.core.standard import load_standard


def test_explanation_lists_every_group_with_its_conditions_and_clause() -> None:
    std = load_standard("hjoerring")
    anna = citizen("1957-06-15", address="a")
    child = citizen("2010-01-01", address="a")  # 17: does not count
    expl = explain(std, population(anna, child), anna.cpr, 2027)
    assert [check.group for check in expl.groups] == ["alone70", "age75", "age80", "age82plus", "risk"]
    alone70 = expl.groups[0]
    assert [(c.text, c.holds) for c in alone70.conditions][:2] == [
        ("fylder 70 i 2027", True),
        ("bor alene den 1. januar 2027", True),
    ]
    household = alone70.conditions[1].facts
    assert any(format_cpr(child.cpr) in line and "tæller ikke" in line for line in household), household
    assert alone70.decisions[0].decision == "offer"
    assert "bor alene" in alone70.clause
    assert not expl.groups[1].conditions[0].holds, "age75's age condition is false"


def test_explanation_shows_the_exemption_checked_with_the_facts() -> None:
    std = load_standard("hjoerring")
    carl = citizen("1947-05-05")
    expl = explain(std, population(carl, events=home_care(carl, "2025-01-01")), carl.cpr, 2027)
    age80 = next(check for check in expl.groups if check.group == "age80")
    exemption = next(c for c in age80.conditions if c.rule_id == "exempt.home_care")
    assert exemption.holds
    assert any("i kraft 1. januar 2027" in line for line in exemption.facts)
    assert exemption.exception, "an exemption is marked as one: when it does not hold it does not apply"
    assert expl.decisions[0].decision == "exempt"


def test_explanation_of_a_citizen_in_no_group() -> None:
    std = load_standard("ishoej")
    pia = citizen("1990-01-01")
    expl = explain(std, population(pia), pia.cpr, 2027)
    assert [x.group for x in expl.decisions] == ["none"]
    assert expl.decisions[0].reason.startswith("Ikke i nogen målgruppe")


def test_explanation_of_a_dead_citizen() -> None:
    std = load_standard("herning")
    eva = citizen("1940-01-01", death_date=d("2026-05-05"))
    expl = explain(std, population(eva), eva.cpr, 2027)
    assert expl.decisions[0].reason == "Død 2026-05-05: ingen tilbud"
    assert "Død: 2026-05-05" in render_explanation(expl)


def test_explanation_of_a_couple_shows_the_partner_and_the_couple_length() -> None:
    std = load_standard("hjoerring")
    a, b = couple("1947-03-03", "1952-04-04")
    expl = explain(std, population(a, b), a.cpr, 2027)
    assert expl.partner is not None and format_cpr(b.cpr) in expl.partner and "samme adresse" in expl.partner
    assert expl.decisions[0].duration_min == 90


def test_explanation_of_the_dementia_spouse_names_the_spouse_fact() -> None:
    std = load_standard("ishoej")
    a, b = couple("1947-05-05", "1944-06-06")
    expl = explain(std, population(a, b, events=[event(b, "dementia", "2026-01-01")]), a.cpr, 2027)
    age80 = next(check for check in expl.groups if check.group == "age80")
    handover = next(c for c in age80.conditions if c.rule_id == "handover.dementia")
    assert handover.holds
    assert any(format_cpr(b.cpr) in line and "i kraft" in line for line in handover.facts)


def test_rendered_explanation_is_danish_text_with_the_quoted_clause() -> None:
    std = load_standard("hjoerring")
    finn = citizen("1955-01-01", civil_status="E", civil_status_date=d("2027-04-04"))
    text = render_explanation(explain(std, population(finn), finn.cpr, 2027))
    assert text.startswith(f"Forklaring for {finn.cpr}")
    assert "[ja ] tab af ægtefælle: vindue, der overlapper 2027" in text
    assert (
        "»Borgere, der mister en ægtefælle. Borgeren kontaktes 6-8 uger efter tabet af en ægtefælle.«" in text
    )
    assert "tab af ægtefælle 4. april 2027 (afledt af civilstand)" in text


def test_explain_accepts_a_hyphenated_cpr_and_refuses_an_unknown_one() -> None:
    std = load_standard("hjoerring")
    anna = citizen("1957-06-15")
    hyphenated = f"{anna.cpr[:6]}-{anna.cpr[6:]}"
    assert explain(std, population(anna), hyphenated, 2027).cpr == anna.cpr
    with pytest.raises(UnknownCitizen):
        explain(std, population(anna), "0101011234", 2027)
