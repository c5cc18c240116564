"""The law as data (issue 20): helhedspleje under the Ældrelov and the standard's legal basis.

Since the 2025 reform home care is granted as helhedspleje (``holistic_care``) instead of personal care and
practical help under Serviceloven § 83. The shipped standards' home-care exemption counts a helhedspleje
grant like both § 83 kinds together (``or_when_all``), as a setting a file can leave out; the top-level
``law`` is the legal basis ``fhb explain`` and the case page cite.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from eligibility_builders import citizen, event, home_care, only, population, rows, standard_with
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from fhb.cli import main
from fhb.core.eligibility import explain, render_explanation
from fhb.core.population.model import EVENT_KINDS, Citizen, Event
from fhb.core.standard import QualityStandard, available_standards, load_standard

YEAR = 2027
ON = date(YEAR, 1, 1)
SHIPPED = ["herning", "hjoerring", "ishoej"]
HOME_CARE = ["personal_care", "practical_help", "holistic_care"]


def turning_80() -> Citizen:
    """In the 80-year-olds' group of every shipped standard (and over Hjørring's 65)."""
    return citizen("1947-05-05")


def without_alternative(raw: dict[str, Any]) -> None:
    """The home-care exemption as a 2024 file writes it: the two § 83 kinds only."""
    for exemption in raw["exemptions"]:
        exemption.pop("or_when_all", None)


def home_care_exemption(standard: QualityStandard) -> Any:
    return next(ex for ex in standard.exemptions if ex.id == "exempt.home_care")


def test_every_shipped_standard_has_the_alternative_on_its_home_care_exemption() -> None:
    assert sorted(available_standards()) == SHIPPED, "a new shipped standard needs a look at its exemption"
    for name in SHIPPED:
        exemption = home_care_exemption(load_standard(name))
        assert exemption.when_all == ["personal_care", "practical_help"]
        assert exemption.or_when_all == [["holistic_care"]]
        assert exemption.reading is not None and "helhedspleje" in exemption.reading
        assert "or_when_all" in exemption.reading, "the reading says how to switch it off"


@pytest.mark.parametrize("name", SHIPPED)
def test_helhedspleje_in_force_exempts_and_the_reason_names_it(name: str) -> None:
    gerda = turning_80()
    pop = population(gerda, events=[event(gerda, "holistic_care", "2025-07-01")])
    row = only(rows(name, pop), gerda, "age80")
    assert (row.decision, row.rule_id) == ("exempt", "exempt.home_care")
    assert row.reason.startswith("Undtaget: helhedspleje (Ældreloven), der tæller som: "), row.reason


@pytest.mark.parametrize("name", SHIPPED)
def test_both_paragraph_83_kinds_still_exempt_with_the_reason_of_before(name: str) -> None:
    carl = turning_80()
    row = only(rows(name, population(carl, events=home_care(carl))), carl, "age80")
    label = home_care_exemption(load_standard(name)).label
    assert (row.decision, row.rule_id) == ("exempt", "exempt.home_care")
    assert row.reason.startswith(f"Undtaget: {label} — gælder "), row.reason


@pytest.mark.parametrize("name", SHIPPED)
def test_personal_care_alone_does_not_exempt(name: str) -> None:
    pia = turning_80()
    row = only(rows(name, population(pia, events=[event(pia, "personal_care", "2024-01-01")])), pia, "age80")
    assert row.decision != "exempt" and row.rule_id == "age80"


@pytest.mark.parametrize("name", SHIPPED)
def test_helhedspleje_that_ended_before_the_extract_date_does_not_exempt(name: str) -> None:
    ole = turning_80()
    pop = population(ole, events=[event(ole, "holistic_care", "2025-07-01", "2026-12-31")])
    assert only(rows(name, pop), ole, "age80").rule_id == "age80"


@pytest.mark.parametrize("name", SHIPPED)
def test_without_the_alternative_helhedspleje_does_not_exempt(name: str) -> None:
    gerda = turning_80()
    pop = population(gerda, events=[event(gerda, "holistic_care", "2025-07-01")])
    plain = standard_with(name, without_alternative)
    assert home_care_exemption(plain).or_when_all == []
    assert only(rows(plain, pop), gerda, "age80").rule_id == "age80"
    # The same, switched off on the loaded model.
    shipped = load_standard(name)
    switched_off = shipped.model_copy(
        update={
            "exemptions": [
                ex.model_copy(update={"or_when_all": []}) if ex.id == "exempt.home_care" else ex
                for ex in shipped.exemptions
            ]
        }
    )
    assert only(rows(switched_off, pop), gerda, "age80").rule_id == "age80"


def test_a_2024_file_without_the_key_loads_from_its_text_and_decides_as_before(tmp_path: Path) -> None:
    source = resources.files("fhb").joinpath("standards", "hjoerring.toml").read_text("utf-8")
    assert 'or_when_all = [["holistic_care"]]\n' in source
    old = tmp_path / "hjoerring-2024.toml"
    old.write_text(source.replace('or_when_all = [["holistic_care"]]\n', ""), encoding="utf-8")
    before = load_standard(old)
    carl, gerda = turning_80(), turning_80()
    pop = population(carl, gerda, events=[*home_care(carl), event(gerda, "holistic_care", "2025-07-01")])
    decided = rows(before, pop)
    assert only(decided, carl, "age80").reason == (
        "Undtaget: modtager både personlig pleje og praktisk hjælp (SEL § 83) — gælder målgruppe 2–5"
    )
    assert only(decided, gerda, "age80").decision == "offer"


def _in_force(kind: str, state: str, who: Citizen) -> list[Event]:
    """A fact of ``kind`` that is in force on the extract date, ended before it, begins after it, or none."""
    if state == "in_force":
        return [event(who, kind, ON - timedelta(days=400))]
    if state == "ended":
        return [event(who, kind, ON - timedelta(days=400), ON - timedelta(days=1))]
    if state == "later":
        return [event(who, kind, ON + timedelta(days=1))]
    return []


STATES = st.sampled_from(["none", "in_force", "ended", "later"])


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(SHIPPED),
    states=st.fixed_dictionaries({kind: STATES for kind in HOME_CARE}),
    alternative=st.booleans(),
)
def test_exempt_exactly_when_both_83_kinds_or_helhedspleje_are_in_force(
    name: str, states: dict[str, str], alternative: bool
) -> None:
    standard = load_standard(name) if alternative else standard_with(name, without_alternative)
    who = turning_80()
    facts = [fact for kind in HOME_CARE for fact in _in_force(kind, states[kind], who)]
    row = only(rows(standard, population(who, events=facts)), who, "age80")
    active = {kind for kind, state in states.items() if state == "in_force"}
    expected = {"personal_care", "practical_help"} <= active or (alternative and "holistic_care" in active)
    assert (row.rule_id == "exempt.home_care") == expected, (states, row.reason)
    assert (row.decision == "exempt") == expected
    if expected:
        assert ("helhedspleje" in row.reason) == (not {"personal_care", "practical_help"} <= active)


@settings(max_examples=30, deadline=None)
@given(name=st.sampled_from(SHIPPED), states=st.fixed_dictionaries({k: STATES for k in HOME_CARE[:2]}))
def test_without_helhedspleje_the_alternative_changes_no_row(name: str, states: dict[str, str]) -> None:
    who, other = turning_80(), citizen("1940-02-02")
    facts = [fact for kind in HOME_CARE[:2] for fact in _in_force(kind, states[kind], who)]
    pop = population(who, other, events=facts)
    assert rows(name, pop) == rows(standard_with(name, without_alternative), pop)


def test_the_explanation_shows_the_alternative_and_the_helhedspleje_grant() -> None:
    std = load_standard("ishoej")
    gerda = turning_80()
    expl = explain(
        std, population(gerda, events=[event(gerda, "holistic_care", "2025-07-01")]), gerda.cpr, YEAR
    )
    age80 = next(check for check in expl.groups if check.group == "age80")
    condition = next(c for c in age80.conditions if c.rule_id == "exempt.home_care")
    assert (
        condition.text
        == "undtaget: modtager både personlig og praktisk hjælp, eller helhedspleje (Ældreloven)"
    )
    assert condition.holds
    assert condition.facts == ("Helhedspleje (Ældreloven) 1. juli 2025–… (i kraft 1. januar 2027)",)


def test_the_explanation_of_a_citizen_without_help_names_every_kind_checked() -> None:
    std = load_standard("herning")
    bo = turning_80()
    expl = explain(std, population(bo), bo.cpr, YEAR)
    age80 = next(check for check in expl.groups if check.group == "age80")
    condition = next(c for c in age80.conditions if c.rule_id == "exempt.home_care")
    assert not condition.holds
    assert condition.facts == (
        "ingen af: Personlig hjælp og pleje (SEL § 83), Praktisk hjælp (SEL § 83), Helhedspleje (Ældreloven)",
    )


# --- the exemption key's validation ---------------------------------------------------------------------


def _alternative(value: Any) -> dict[str, Any]:
    def edit(raw: dict[str, Any]) -> None:
        for exemption in raw["exemptions"]:
            if exemption["id"] == "exempt.home_care":
                exemption["or_when_all"] = value

    return edit


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ([["home_help"]], "unknown event kind 'home_help'"),
        ([[]], "at least 1 item"),
        (["holistic_care"], "list"),
        ([["personal_care", "practical_help"]], "repeats the set of kinds"),
        ([["holistic_care"], ["holistic_care"]], "repeats the set of kinds"),
    ],
)
def test_a_bad_alternative_is_refused(value: Any, why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        standard_with("herning", _alternative(value))


def test_an_alternative_of_several_kinds_needs_them_all() -> None:
    std = standard_with("herning", _alternative([["holistic_care", "home_nursing"]]))
    a, b = turning_80(), turning_80()
    facts = [event(a, "holistic_care", "2025-07-01"), event(b, "holistic_care", "2025-07-01")]
    facts.append(event(b, "home_nursing", "2026-01-01"))
    decided = rows(std, population(a, b, events=facts))
    assert only(decided, a, "age80").rule_id == "age80"
    exempt = only(decided, b, "age80")
    assert exempt.reason.startswith("Undtaget: helhedspleje (Ældreloven) og hjemmesygepleje, der tæller som:")


# --- the legal basis ---------------------------------------------------------------------------------------


def test_holistic_care_is_a_contract_kind_with_a_danish_label() -> None:
    assert EVENT_KINDS["holistic_care"] == "Helhedspleje (Ældreloven)"
    assert "§ 83" in EVENT_KINDS["personal_care"] and "§ 83" in EVENT_KINDS["practical_help"]


@pytest.mark.parametrize(
    ("name", "law"),
    [
        ("herning", "Lov om Social Service § 79a"),
        ("hjoerring", "Lov om social service § 79 a (lov nr. 1894 af 29/12/2015)"),
        ("ishoej", "Servicelovens § 79a"),
    ],
)
def test_the_explanation_cites_the_files_law(name: str, law: str) -> None:
    """The shipped files cite the Ældrelov and name the paragraph their approved text gives; a file that
    gives the law as a plain string (as a 2024 file does) cites that string."""
    std = load_standard(name)
    assert std.legal_basis == "Ældreloven"
    assert std.legal_basis_text == f"Ældreloven (kvalitetsstandarden: {law})"
    anna = turning_80()
    text = render_explanation(explain(std, population(anna), anna.cpr, YEAR))
    assert text.splitlines()[2] == f"Lovgrundlag: Ældreloven (kvalitetsstandarden: {law})"
    old = standard_with(name, lambda raw: raw.update(law=law))
    assert old.legal_basis == old.legal_basis_text == law
    text = render_explanation(explain(old, population(anna), anna.cpr, YEAR))
    assert text.splitlines()[2] == f"Lovgrundlag: {law}"


def test_the_law_as_a_table_cites_the_basis_and_names_what_the_standard_says() -> None:
    std = standard_with(
        "ishoej",
        lambda raw: raw.update(
            law={"basis": "Ældreloven", "as_approved": "Servicelovens § 79a", "reading": "Efter 2025."}
        ),
    )
    assert std.legal_basis == "Ældreloven"
    assert std.legal_basis_text == "Ældreloven (kvalitetsstandarden: Servicelovens § 79a)"
    anna = turning_80()
    text = render_explanation(explain(std, population(anna), anna.cpr, YEAR))
    assert "Lovgrundlag: Ældreloven (kvalitetsstandarden: Servicelovens § 79a)\n" in text
    plain = standard_with("ishoej", lambda raw: raw.update(law={"basis": "Ældreloven"}))
    assert plain.legal_basis_text == "Ældreloven"


def test_a_law_table_without_basis_is_refused() -> None:
    with pytest.raises(ValidationError, match="basis"):
        standard_with("ishoej", lambda raw: raw.update(law={"as_approved": "Servicelovens § 79a"}))


def test_fhb_explain_prints_the_law_and_reads_holistic_care_from_events_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    citizens = tmp_path / "citizens.csv"
    events = tmp_path / "events.csv"
    citizens.write_text(
        "cpr,name,address_id,street,postcode,city\n0505471240,Gerda Helhed,a1,Storegade 1,9800,Hjørring\n",
        encoding="utf-8",
    )
    events.write_text("cpr,kind,start,end,note\n0505471240,holistic_care,2025-07-01,,\n", encoding="utf-8")
    args = ["explain", "0505471240", "--standard", "hjoerring", "--year", "2027"]
    code = main([*args, "--citizens", str(citizens), "--events", str(events)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Lovgrundlag: Ældreloven (kvalitetsstandarden: Lov om social service § 79 a" in out
    assert "Helhedspleje (Ældreloven) 1. juli 2025–… (i kraft 1. januar 2027)" in out
    assert "=> undtaget / intet tilbud: Undtaget: helhedspleje (Ældreloven), der tæller som:" in out
