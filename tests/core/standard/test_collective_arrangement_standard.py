"""A municipality whose offer is a collective arrangement (issue 20): Køge Kommune's standard, kept in
tests/data/standards/koege with the available beginning of its published page.

The 70-year-olds living alone and the 75-year-olds are invited to a fællesarrangement (``arrangement``), with
an individual visit for whoever wants one instead; the 80-year-olds and the 82+ get a visit. The file is
checked as the shipped ones are (every clause verbatim in the source text), evaluated on a small hand-made
population, and forecast: the arrangement's offers are their own kind, with few visits.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.core.eligibility.eligibility_builders import citizen, only, population, rows, rows_of
from tests.core.forecast.forecast_builders import FLAT
from tests.core.standard.test_shipped_standards import canonical, unquoted_clauses

from fhb.core.forecast import Rates, forecast
from fhb.core.forecast.rates import DEFAULT_ACCEPTANCE_ARRANGEMENT, DEFAULT_ACCEPTANCE_OPT_OUT
from fhb.core.standard import load_standard
from fhb.core.standard.loader import StandardError, parse_standard
from fhb.core.standard.schema import QualityStandard

FOLDER = Path(__file__).parents[2] / "data" / "standards" / "koege"
PATH = FOLDER / "koege.toml"


def koege() -> QualityStandard:
    return load_standard(PATH)


def test_the_file_loads_with_its_arrangement_and_its_own_letter_folder() -> None:
    standard = koege()
    assert (standard.id, standard.municipality.name, standard.municipality.code) == (
        "koege",
        "Køge Kommune",
        259,
    )
    by_id = {g.id: g for g in standard.groups}
    assert by_id["alone70"].arrangement == by_id["age75"].arrangement == "faellesarrangement"
    assert by_id["age80"].arrangement is None and by_id["age80"].letter == "with_time"
    assert [(a.id, a.kind) for a in standard.activities] == [("faellesarrangement", "information_meeting")]
    assert standard.letters.templates == str((FOLDER / "letters").resolve())
    assert standard.legal_basis == "Ældreloven"


def test_every_clause_is_quoted_verbatim_from_the_source_text() -> None:
    standard = koege()
    text = canonical((FOLDER / str(standard.source)).read_text(encoding="utf-8"))
    missing = unquoted_clauses(standard, text)
    assert not missing, "clauses not found in the standard's text:\n" + "\n".join(missing)


def test_the_arrangement_groups_and_the_visit_groups() -> None:
    alone70 = citizen("1957-03-03")
    turns75 = citizen("1952-05-05")
    turns80 = citizen("1947-08-08")
    decisions = rows(koege(), population(alone70, turns75, turns80))
    assert {d.group for d in rows_of(decisions, alone70)} == {"alone70"}
    assert only(decisions, alone70, "alone70").letter == "without_time"
    assert only(decisions, alone70, "alone70").invitation == "faellesarrangement"
    assert only(decisions, turns75, "age75").invitation == "faellesarrangement"
    assert only(decisions, turns75, "age75").reason == (
        "Fællesarrangement: fylder 75 i 2027 — invitation til fællesarrangement; individuelt besøg i stedet, "
        "hvis borgeren ønsker det — tilbud uden fastlagt tidspunkt (tilmelding)"
    )
    assert only(decisions, turns80, "age80").letter == "with_time"
    assert only(decisions, turns80, "age80").invitation is None


def test_the_forecast_counts_the_arrangement_as_invitations_with_few_visits() -> None:
    people = [citizen("1952-05-05"), citizen("1947-08-08")]
    result = forecast(
        koege(), population(*people), [2027], on=date(2027, 1, 1), mortality=FLAT, rates=Rates()
    )
    rows_by_group = {row.group: row for row in result.years[0].groups}
    age75, age80 = rows_by_group["age75"], rows_by_group["age80"]
    assert age75.letters_invitation == pytest.approx(1.0) and age75.letters_with_time == 0
    assert age75.visits == pytest.approx(DEFAULT_ACCEPTANCE_ARRANGEMENT)
    assert age80.visits == pytest.approx(DEFAULT_ACCEPTANCE_OPT_OUT)
    assert any("fællesarrangement" in line for line in result.assumptions)


ARRANGEMENT_GROUP = """
[[groups]]
id = "age75"
label = "75"
title = "Fylder 75"
age = { kind = "turns", years = 75 }
letter = "LETTER"
response = "RESPONSE"
arrangement = "ACTIVITY"
clause = "x"
"""


@pytest.mark.parametrize(
    ("letter", "response", "activity", "why"),
    [
        ("with_time", "opt_in", "moede", 'needs letter = "without_time"'),
        ("without_time", "opt_out", "moede", 'needs response = "opt_in"'),
        ("without_time", "opt_in", "nowhere", "unknown activity 'nowhere'"),
        ("without_time", "opt_in", "klub", "is a club visit"),
    ],
)
def test_a_wrong_arrangement_is_refused_with_the_reason(
    letter: str, response: str, activity: str, why: str
) -> None:
    text = (
        (PATH.read_text(encoding="utf-8").split("[[groups]]")[0])
        + ARRANGEMENT_GROUP.replace("LETTER", letter)
        .replace("RESPONSE", response)
        .replace("ACTIVITY", activity)
        + """
[[activities]]
id = "moede"
name = "Informationsmøde"
kind = "information_meeting"
clause = "x"

[[activities]]
id = "klub"
name = "Klubbesøg"
kind = "club_visit"
clause = "x"
"""
    )
    text = text.replace('source = "koege-kvalitetsstandard.txt"\n', "")
    with pytest.raises(StandardError, match=why.replace("(", r"\(").replace(")", r"\)")):
        parse_standard(text, "test.toml")
