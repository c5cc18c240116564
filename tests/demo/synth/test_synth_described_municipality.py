"""``fhb synth`` for a municipality fhb ships no figures for: Ærø, from the municipality.toml beside its
standard file, or from ``--municipality``. The columns are the contract's (test_generator.py checks them) and
the project's reader accepts the files. No database."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from fhb.cli import main
from fhb.core.population.columns import CITIZEN_COLUMNS, EVENT_COLUMNS
from fhb.core.population.csv_reader import read_population

AEROE = Path(__file__).parents[2] / "data" / "standards" / "aeroe"
STANDARD = AEROE / "aeroe.toml"
KOEGE_FIGURES = Path(__file__).parents[2] / "data" / "standards" / "koege" / "municipality.toml"


def synth(out: Path, *extra: str, seed: int = 1, standard: Path = STANDARD) -> int:
    args = ["synth", "--standard", str(standard), "--seed", str(seed), "--size", "0.2", "--out", str(out)]
    return main([*args, *extra])


def test_aeroe_gets_a_contract_valid_extract_in_its_three_postcodes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "aeroe"
    assert synth(out) == 0
    assert "persons" in capsys.readouterr().err
    with (out / "citizens.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == list(CITIZEN_COLUMNS)
        citizens = list(reader)
    with (out / "events.csv").open(encoding="utf-8", newline="") as file:
        assert csv.DictReader(file).fieldnames == list(EVENT_COLUMNS)
    assert 300 < len(citizens) < 900, "about 0.2 x Ærø's 2,000 people aged 65+, with those they live with"
    assert {c["postcode"] for c in citizens} == {"5960", "5970", "5985"}
    assert {(c["postcode"], c["city"]) for c in citizens} == {
        ("5960", "Marstal"),
        ("5970", "Ærøskøbing"),
        ("5985", "Søby Ærø"),
    }
    population = read_population(out / "citizens.csv", out / "events.csv")
    assert len(population.citizens) == len(citizens)


def test_the_same_seed_gives_the_same_files_and_another_seed_others(tmp_path: Path) -> None:
    assert synth(tmp_path / "a") == 0 and synth(tmp_path / "b") == 0 and synth(tmp_path / "c", seed=2) == 0
    for name in ("citizens.csv", "events.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes()


def test_municipality_option_gives_the_file_elsewhere(tmp_path: Path) -> None:
    folder = shutil.copytree(AEROE, tmp_path / "standard", ignore=shutil.ignore_patterns("municipality.toml"))
    assert synth(tmp_path / "beside", standard=STANDARD) == 0
    given = ["--municipality", str(AEROE / "municipality.toml")]
    assert synth(tmp_path / "given", *given, standard=folder / "aeroe.toml") == 0
    beside = (tmp_path / "beside" / "citizens.csv").read_bytes()
    assert (tmp_path / "given" / "citizens.csv").read_bytes() == beside


def test_another_municipalitys_file_is_refused_by_its_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert synth(tmp_path / "x", "--municipality", str(KOEGE_FIGURES)) == 2
    err = capsys.readouterr().err
    assert f"fhb synth: {KOEGE_FIGURES}: code: 259 is not the standard's municipality.code (492)" in err
    assert not (tmp_path / "x").exists()


def test_a_missing_municipality_file_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nej.toml"
    assert synth(tmp_path / "x", "--municipality", str(missing)) == 2
    assert f"fhb synth: {missing}: cannot read the file" in capsys.readouterr().err


def test_koege_gets_its_six_towns(tmp_path: Path) -> None:
    standard = KOEGE_FIGURES.parent / "koege.toml"
    if not standard.is_file():
        pytest.skip("Køge's standard file is not there")
    assert synth(tmp_path / "koege", standard=standard, seed=3) == 0
    with (tmp_path / "koege" / "citizens.csv").open(encoding="utf-8", newline="") as file:
        postcodes = {row["postcode"] for row in csv.DictReader(file)}
    assert postcodes <= {"4600", "4623", "4632", "4681", "4682", "4140"} and "4600" in postcodes
