"""Loading standard files: the shipped ones, the example, and broken files with clear errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.core.eligibility import evaluate
from fhb.core.population.model import Citizen, Population
from fhb.core.standard import StandardError, available_standards, load_standard, parse_standard

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example_kommune.toml"


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def problems_of(text: str, source: str = "broken.toml") -> list[tuple[str, str]]:
    with pytest.raises(StandardError) as caught:
        parse_standard(text, source)
    assert str(caught.value).startswith(f"{source}: "), "the error names the file"
    return [(problem.key, problem.why) for problem in caught.value.problems]


def test_the_three_standards_are_shipped() -> None:
    assert available_standards() == ["herning", "hjoerring", "ishoej"]


@pytest.mark.parametrize(
    ("name", "municipality", "code", "approved"),
    [
        ("hjoerring", "Hjørring Kommune", 860, date(2024, 2, 6)),
        ("herning", "Herning Kommune", 657, date(2022, 6, 15)),
        ("ishoej", "Ishøj Kommune", 183, date(2020, 2, 1)),
    ],
)
def test_each_shipped_standard_loads(name: str, municipality: str, code: int, approved: date) -> None:
    standard = load_standard(name)
    assert (standard.id, standard.municipality.name, standard.municipality.code) == (name, municipality, code)
    assert standard.approval.date == approved
    assert [group.id for group in standard.groups] == ["alone70", "age75", "age80", "age82plus", "risk"]


def test_a_shipped_standard_loads_by_path_too() -> None:
    path = Path(__file__).parents[3] / "src" / "fhb" / "standards" / "herning.toml"
    assert load_standard(path) == load_standard("herning")
    assert load_standard(str(path)).id == "herning"


def test_the_example_of_a_fourth_municipality_loads_and_evaluates() -> None:
    standard = load_standard(EXAMPLE)
    assert (standard.id, standard.municipality.code) == ("eksempel", 999)
    person = Citizen(
        cpr="0101420001",
        name="Eksempel",
        birth_date=date(1942, 1, 1),
        sex="F",
        address_id="x",
        street="Vej",
        postcode="9999",
        city="By",
    )
    (row,) = evaluate(standard, Population(citizens=(person,)), 2027)
    assert (row.group, row.decision, row.letter, row.due_from) == (
        "age85plus",
        "offer",
        "without_time",
        date(2027, 1, 1),
    )
    assert row.duration_min == 75


def test_every_rule_has_an_id_and_a_clause() -> None:
    for name in available_standards():
        standard = load_standard(name)
        ids = [rule.id for _, rule in standard.rules()]
        assert len(ids) == len(set(ids)), f"{name}: duplicate rule ids"
        assert all(rule.clauses for _, rule in standard.rules())


def test_missing_key_names_file_and_key() -> None:
    text = example_text().replace("code = 999\n", "")
    assert problems_of(text) == [("municipality.code", "missing key")]


def test_wrong_type_names_the_key_path_and_the_group() -> None:
    text = example_text().replace(
        'age = { kind = "turns", years = 70 }', 'age = { kind = "turns", years = "70" }'
    )
    ((key, why),) = problems_of(text)
    assert key == "groups[0].age.years (id alone70)"
    assert "integer" in why and "'70'" in why


def test_unknown_group_in_an_exemptions_applies_to() -> None:
    text = example_text().replace(
        'applies_to = ["alone70", "age80", "age85plus", "risk"]', 'applies_to = ["alone70", "age75"]'
    )
    ((key, why),) = problems_of(text)
    assert key == "exemptions[0].applies_to[1]"
    assert "unknown group 'age75'" in why


def test_window_min_greater_than_max() -> None:
    text = example_text().replace("min_weeks = 4\nmax_weeks = 6", "min_weeks = 8\nmax_weeks = 6")
    ((key, why),) = problems_of(text)
    assert key == "groups[3].triggers[0] (id risk.bereavement)"
    assert "min_weeks (8) is greater than max_weeks (6)" in why


def test_unknown_key_is_refused() -> None:
    text = example_text().replace(
        'letter = "with_time"\nresponse = "opt_out"\nclause = "Borgere, der bor alene',
        'leter = "with_time"\nresponse = "opt_out"\nclause = "Borgere, der bor alene',
    )
    found = problems_of(text)
    assert ("groups[0].leter (id alone70)", "unknown key (not part of the format; a typo?)") in found


def test_unknown_event_kind_is_refused() -> None:
    text = example_text().replace('when_all = ["nursing_home"]', 'when_all = ["plejehjem"]')
    ((key, why),) = problems_of(text)
    assert key == "exemptions[0].when_all[0] (id exempt.nursing_home)"
    assert "unknown event kind 'plejehjem'" in why


def test_duplicate_rule_id_is_refused() -> None:
    text = example_text().replace('id = "risk.hospital"', 'id = "risk.bereavement"')
    ((key, why),) = problems_of(text)
    assert key == "groups[3].triggers[1].id"
    assert "also used by groups[3].triggers[0]" in why


def test_an_offer_without_a_letter_is_refused() -> None:
    text = example_text().replace(
        'letter = "without_time"\nresponse = "opt_in"\nclause = "Alle borgere, der fylder 80',
        'response = "opt_in"\nclause = "Alle borgere, der fylder 80',
    )
    ((key, why),) = problems_of(text)
    assert key == "groups[1] (id age80)"
    assert "needs letter" in why


def test_invalid_toml_names_the_file() -> None:
    ((key, why),) = problems_of('format = 1\nid = "x\n')
    assert key == "" and why.startswith("not valid TOML")


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(StandardError) as caught:
        load_standard(tmp_path / "missing.toml")
    assert "missing.toml" in str(caught.value)


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(example_text().encode("latin-1"))
    with pytest.raises(StandardError, match="not UTF-8"):
        load_standard(path)


def test_an_unknown_shipped_name_lists_the_shipped_ones() -> None:
    with pytest.raises(StandardError, match="shipped: herning, hjoerring, ishoej"):
        load_standard("aarhus")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_gives_a_standard_error_and_nothing_else(text: str) -> None:
    with pytest.raises(StandardError):
        parse_standard(text, "random.toml")


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_damaged_example_gives_a_standard_error_or_loads(data: st.DataObject) -> None:
    text = example_text()
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    length = data.draw(st.integers(min_value=0, max_value=40))
    insert = data.draw(st.text(alphabet='"[]={}.,#\n 0123456789abcxyz_-', max_size=10))
    damaged = text[:start] + insert + text[start + length :]
    try:
        parse_standard(damaged, "damaged.toml")
    except StandardError as error:
        assert error.problems and str(error).startswith("damaged.toml: ")
