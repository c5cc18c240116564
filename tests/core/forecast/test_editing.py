"""Presets that edit a standard's text, the loader's problems in Danish with line numbers, and the years."""

from __future__ import annotations

import pytest
from forecast_builders import shipped

from fhb.core.forecast import PresetNotPossible, apply_preset, problem_lines
from fhb.core.forecast.editing import OLDEST, danish_why
from fhb.core.forecast.years import MAX_YEARS, parse_years, years_problem
from fhb.core.standard import StandardError, parse_standard


@pytest.mark.parametrize("name", ["hjoerring", "herning", "ishoej"])
def test_75_with_time_gives_the_75_group_a_letter_with_a_time_and_keeps_the_rest(name: str) -> None:
    before = parse_standard(shipped(name), "før.toml")
    after = parse_standard(apply_preset(shipped(name), "age75_with_time"), "efter.toml")
    group = after.group("age75")
    assert (group.letter, group.response) == ("with_time", "opt_out")
    assert group.clause == before.group("age75").clause, "the quoted clause stays as it was"
    others = [g.id for g in after.groups if g.id != "age75"]
    assert all(after.group(i) == before.group(i) for i in others), "no other group changes"


@pytest.mark.parametrize("name", ["hjoerring", "herning", "ishoej"])
def test_every_second_year_writes_one_group_per_even_age_and_lists_them_where_82plus_is(name: str) -> None:
    after = parse_standard(apply_preset(shipped(name), "age82_every_second_year"), "efter.toml")
    first = after.group("age82plus")
    assert first.age is not None and (first.age.kind, first.age.years) == ("turns", 82)
    copies = [g for g in after.groups if g.id.startswith("age82plus_")]
    assert [g.age.years for g in copies if g.age] == list(range(84, OLDEST + 1, 2))
    assert all(g.label == first.label and g.letter == first.letter for g in copies)
    for exemption in after.exemptions:
        if "age82plus" in exemption.applies_to:
            assert {g.id for g in copies} <= set(exemption.applies_to), "the exemption follows the copies"


def test_a_preset_that_finds_nothing_to_change_says_so_in_danish() -> None:
    text = shipped("hjoerring").replace("years = 75", "years = 76")
    with pytest.raises(PresetNotPossible, match="fylder 75"):
        apply_preset(text, "age75_with_time")
    with pytest.raises(PresetNotPossible, match="ikke gyldig TOML"):
        apply_preset("x = [", "age82_every_second_year")


def problems(text: str) -> list[str]:
    with pytest.raises(StandardError) as caught:
        parse_standard(text, "forslag.toml")
    return problem_lines(caught.value, text)


def test_broken_toml_is_reported_in_danish_with_its_line() -> None:
    text = shipped("hjoerring").replace("code = 860", "code = ")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("code = "))
    (shown,) = problems(text)
    assert shown.startswith(f"linje {line}: ikke gyldig TOML") and f"(linje {line}, kolonne" in shown


def test_a_wrong_value_names_the_line_of_its_key() -> None:
    text = shipped("hjoerring").replace("min_weeks = 6\nmax_weeks = 8", "min_weeks = 9\nmax_weeks = 8", 1)
    (shown,) = problems(text)
    rows = text.splitlines()
    line = int(shown.split(":")[0].removeprefix("linje "))
    assert rows[line - 1].startswith("[[groups.triggers]]") or "min_weeks" in rows[line - 1]
    assert "risk.bereavement" in shown


def test_an_unknown_key_and_a_missing_key_are_named_in_danish() -> None:
    text = shipped("hjoerring").replace("lives_alone = true", "lives_alon = true")
    shown = problems(text)
    assert any(
        "ukendt nøgle" in line and "lives_alon" in line and line.startswith("linje ") for line in shown
    )
    text = shipped("hjoerring").replace('name = "Hjørring Kommune"\n', "")
    (shown_missing,) = problems(text)
    assert "municipality.name: nøglen mangler" in shown_missing and shown_missing.startswith("linje ")


def test_known_english_reasons_become_danish() -> None:
    assert danish_why("Input should be 'opt_in' or 'opt_out' (found 'ja')") == (
        "skal være 'opt_in' eller 'opt_out' (fundet 'ja')"
    )
    assert danish_why("unknown group 'age99'; the file's groups are: a, b").startswith("ukendt målgruppe")


def test_years_are_read_and_checked() -> None:
    assert parse_years("2028-2030") == (2028, 2030)
    assert parse_years(" 2028 ") == (2028, 2028)
    assert parse_years("2028–2030") == (2028, 2030)
    with pytest.raises(ValueError, match="skriv fx 2028"):
        parse_years("næste år")
    assert years_problem(2028, 2030, 2026) is None
    assert "før startåret" in (years_problem(2030, 2028, 2026) or "")
    assert "kun se fremad" in (years_problem(2025, 2027, 2026) or "")
    assert f"højst {MAX_YEARS} år" in (years_problem(2027, 2027 + MAX_YEARS, 2026) or "")
    assert "mere end" in (years_problem(2050, 2051, 2026) or "")
