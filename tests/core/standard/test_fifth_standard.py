"""A fifth municipality as data only (issue 20): Ærø Kommune's standard, kept in tests/data/standards/aeroe.

The file is checked as the shipped ones are (every clause verbatim in the source text) and evaluated on a
small hand-made population; its forecast runs too. Only the beginning of Ærø's page was available, so
Målgruppe 4 is reached only by referral (the rest of its text was not available).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.core.eligibility.eligibility_builders import citizen, couple, only, population, rows, rows_of
from tests.core.forecast.forecast_builders import FLAT
from tests.core.standard.test_shipped_standards import canonical, unquoted_clauses

from fhb.core.forecast import Rates, forecast
from fhb.core.forecast.rates import DEFAULT_ACCEPTANCE_PHONE, DEFAULT_PHONE_NOT_REACHED
from fhb.core.standard import load_standard
from fhb.core.standard.approval import approved_on

FOLDER = Path(__file__).parents[2] / "data" / "standards" / "aeroe"
PATH = FOLDER / "aeroe.toml"


def aeroe():  # type: ignore[no-untyped-def]
    return load_standard(PATH)


def test_the_file_loads_by_path_with_its_own_letter_folder() -> None:
    standard = aeroe()
    assert (standard.id, standard.municipality.name, standard.municipality.code) == (
        "aeroe",
        "Ærø Kommune",
        492,
    )
    assert [g.id for g in standard.groups] == ["alone70", "age75", "age80", "age82plus", "risk"]
    assert (standard.law.basis, standard.law.as_approved) == ("Ældreloven", "Lov om social service § 79a")  # type: ignore[union-attr]
    assert standard.letters.templates == str((FOLDER / "letters").resolve())
    assert standard.exemptions == [] and standard.handovers == []


def test_every_clause_is_quoted_verbatim_from_the_source_text() -> None:
    """The same check as the shipped standards' (test_shipped_standards.canonical)."""
    standard = aeroe()
    assert standard.source == "aeroe-kvalitetsstandard.txt"
    text = canonical((FOLDER / standard.source).read_text(encoding="utf-8"))
    missing = unquoted_clauses(standard, text)
    assert not missing, "clauses not found in the standard's text:\n" + "\n".join(missing)
    for _path, rule in standard.rules():
        assert all("\n" not in clause for clause in rule.clauses)


def test_what_the_available_text_does_not_say_is_a_reading() -> None:
    standard = aeroe()
    assert standard.approval.reading and "ikke i den tilgængelige tekst" in standard.approval.reading
    assert approved_on(standard.approval) == "2026-12-07"  # the day retrieved: the format requires a date
    assert standard.visit.duration_min == 60 and standard.visit.reading
    assert standard.scope.reading and "målgruppe 4" in standard.scope.reading
    assert all(group.reading for group in standard.groups)


def test_eligibility_on_a_small_population() -> None:
    alone70 = citizen("1957-03-03")
    turns75 = citizen("1952-05-05")
    aged83 = citizen("1944-06-06")
    not_alone70, partner = couple("1957-04-04", "1977-04-04")
    turns80, partner80 = couple("1947-08-08", "1967-08-08")
    decisions = rows(aeroe(), population(alone70, turns75, aged83, not_alone70, partner, turns80, partner80))

    first = only(decisions, alone70)
    assert (first.group, first.decision, first.letter, first.response) == (
        "alone70",
        "offer",
        "without_time",
        "opt_in",
    )
    assert (first.due_from, first.due_to) == (date(2027, 3, 3), date(2027, 12, 31)), "from the birthday"

    call75 = only(decisions, turns75, "age75")
    assert (call75.decision, call75.letter, call75.due_from) == ("offer", "phone", date(2027, 5, 5))
    assert "telefonopkald" in call75.reason

    call80 = only(decisions, turns80, "age80")
    assert (call80.letter, call80.due_from) == ("phone", date(2027, 8, 8))
    assert rows_of(decisions, turns80, "alone70") == [], "lives with a partner"

    yearly = only(decisions, aged83, "age82plus")
    assert (yearly.letter, yearly.due_from, yearly.due_to) == ("phone", date(2027, 1, 1), date(2027, 12, 31))

    assert rows_of(decisions, not_alone70) == [] and rows_of(decisions, partner) == []


def test_the_groups_overlap_as_the_text_does_not_exclude_them() -> None:
    """Målgruppe 1 is yearly from 70 with no upper age: a citizen living alone at 75 or 83 is in it too
    (the reading says so; one visit can answer both offers)."""
    turns75 = citizen("1952-05-05")
    aged83 = citizen("1944-06-06")
    decisions = rows(aeroe(), population(turns75, aged83))
    assert {d.group for d in rows_of(decisions, turns75)} == {"alone70", "age75"}
    assert {d.group for d in rows_of(decisions, aged83)} == {"alone70", "age82plus"}
    assert only(decisions, turns75, "alone70").due_from == date(2027, 1, 1), "not the first year from 70"


def test_no_one_is_assessed_without_a_referral() -> None:
    """Målgruppe 4 is reached only by referral: nobody of 65-81 gets an assessment just for their age."""
    assert aeroe().group("risk").referral_only
    decisions = rows(aeroe(), population(citizen("1960-02-02"), citizen("1950-02-02")))
    assert [d for d in decisions if d.decision == "assess"] == []


def test_the_forecast_runs_for_the_file() -> None:
    people = [
        citizen("1957-03-03"),
        citizen("1952-05-05"),
        citizen("1944-06-06"),
        *couple("1947-08-08", "1967-08-08"),
    ]
    result = forecast(
        aeroe(), population(*people), [2027, 2028], on=date(2027, 1, 1), mortality=FLAT, rates=Rates()
    )
    assert result.standard_id == "aeroe" and result.municipality == "Ærø Kommune"
    first = result.years[0]
    assert [row.group for row in first.groups] == ["alone70", "age75", "age80", "age82plus", "risk"]
    assert first.total.hours > 0


def test_the_forecast_counts_calls_for_the_phone_offers_and_letters_for_those_not_reached() -> None:
    """Målgruppe 2 and 3 are offered by telephone: the forecast counts a call an offer, a letter without a
    time only for the share not reached, and the phone's acceptance (the date is agreed in the call)."""
    result = forecast(
        aeroe(),
        population(citizen("1952-05-05")),
        [2027],
        on=date(2027, 1, 1),
        mortality=FLAT,
        rates=Rates(),
    )
    age75 = {row.group: row for row in result.years[0].groups}["age75"]
    assert age75.calls == pytest.approx(1.0)
    assert age75.letters_without_time == pytest.approx(DEFAULT_PHONE_NOT_REACHED)
    assert age75.visits == pytest.approx(DEFAULT_ACCEPTANCE_PHONE)
    assert any(
        line.startswith("Tilbud ved telefonopkald: et opkald pr. tilbud; 25 %") for line in result.assumptions
    )
