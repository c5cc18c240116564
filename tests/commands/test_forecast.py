"""``fhb forecast``: the forecast over a small stored population, its formats, the comparison, the rates
read from history, and bad input (exit 2, a message on stderr, nothing on stdout)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.cli import main
from fhb.core.forecast import apply_preset
from fhb.core.forecast.output import FORECAST_COLUMNS
from fhb.offers.models import Offer
from fhb.visits.models import Visit
from tests.citizens.builders import citizens_csv, person

pytestmark = pytest.mark.django_db

#: The forecast looks ahead from the date of the stored extract (today in these tests).
NEXT = timezone.localdate().year + 1
YEARS = f"{NEXT}-{NEXT + 1}"


def cpr(born: date, serial: int) -> str:
    """A CPR number for a birth date in the 1900s (serial 0000-3999)."""
    return f"{born:%d%m%y}{serial:04d}"


def people() -> list[dict[str, Any]]:
    """Ten turning 80 next year, ten turning 75, five turning 70 who live alone, a couple turning 85."""
    rows = []
    for i in range(10):
        rows.append(person(cpr(date(NEXT - 80, 1 + i, 10), 1001 + i), f"Otti {i}", f"adr-80-{i}"))
        rows.append(person(cpr(date(NEXT - 75, 1 + i, 11), 1101 + i), f"Femoghalvfjerds {i}", f"adr-75-{i}"))
    for i in range(5):
        rows.append(person(cpr(date(NEXT - 70, 1 + i, 12), 1201 + i), f"Alene {i}", f"adr-70-{i}"))
    wife, husband = cpr(date(NEXT - 85, 3, 3), 1302), cpr(date(NEXT - 85, 4, 4), 1303)
    rows.append(person(wife, "Hustru", "adr-par", civil_status="G", spouse_cpr=husband))
    rows.append(person(husband, "Ægtemand", "adr-par", civil_status="G", spouse_cpr=wife))
    return rows


@pytest.fixture
def stored() -> None:
    import_extract(ImportFile("citizens.csv", citizens_csv(people())))


def run(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = main(["forecast", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_forecast_has_a_table_per_year_the_consultants_and_the_assumptions(stored, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--years", YEARS)
    assert code == 0, err
    assert "Prognose for Hjørring Kommune" in out
    assert f"\n{NEXT} (" in out and f"\n{NEXT + 1} (" in out
    assert out.count("Konsulenter:") == 2
    assert "Forudsætninger:" in out and "(antagelse)" in out and "M.dk" in out


def test_json_and_csv_hold_the_same_forecast(stored, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--years", str(NEXT), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [year["year"] for year in data["years"]] == [NEXT]
    groups = {row["group"]: row for row in data["years"][0]["groups"]}
    assert 9 < groups["age80"]["letters_with_time"] <= 10, "ten 80-year-olds, each alive with a high chance"
    assert groups["age82plus"]["letters"] > 1.9 and groups["risk"]["by_rate"] is True
    code, out, _ = run(capsys, "--years", str(NEXT), "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert tuple(table[0]) == FORECAST_COLUMNS
    age80 = next(row for row in table if row["group"] == "age80")
    assert float(age80["letters_with_time"]) == groups["age80"]["letters_with_time"]


def test_compare_with_an_edited_copy_shows_the_difference(stored, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = resources.files("fhb").joinpath("standards", "hjoerring.toml").read_text(encoding="utf-8")
    edited = tmp_path / "forslag.toml"
    edited.write_text(apply_preset(text, "age75_with_time"), encoding="utf-8")
    code, out, err = run(capsys, "--years", YEARS, "--compare", str(edited))
    assert code == 0, err
    assert "Sammenligning for Hjørring Kommune" in out and "Breve nu" in out and "Konsulenter:" in out
    code, out, _ = run(capsys, "--years", str(NEXT), "--compare", str(edited), "--format", "json")
    data = json.loads(out)
    row = next(r for r in data["comparison"][0]["groups"] if r["groups"] == ["age75"])
    assert row["letters_with_time"]["difference"] > 9, "the ten 75-year-olds now get a letter with a time"
    assert row["visits"]["difference"] > 0


@pytest.mark.parametrize(
    ("years", "why"),
    [
        ("to år", "skriv fx 2028"),
        (f"{NEXT + 2}-{NEXT}", "før startåret"),
        (f"{NEXT - 5}", "kun se fremad"),
        (f"{NEXT}-{NEXT + 20}", "højst 10 år"),
    ],
)
def test_bad_years_exit_2_with_what_where_and_why(stored, capsys, years: str, why: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--years", years)
    assert code == 2 and out == ""
    assert "--years" in err and why in err


def test_a_broken_edited_standard_exits_2_with_the_line(stored, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "forslag.toml"
    text = resources.files("fhb").joinpath("standards", "hjoerring.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace("duration_min = 60", 'duration_min = "en time"'), encoding="utf-8")
    code, out, err = run(capsys, "--years", YEARS, "--compare", str(broken))
    assert code == 2 and out == ""
    assert "kan ikke bruges" in err and "linje " in err and "skal være et heltal" in err


def test_an_unknown_standard_exits_2(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--years", YEARS, "--standard", "aarhus")
    assert code == 2 and out == ""
    assert "ingen medfølgende kvalitetsstandard" in err


def test_bad_own_figures_exit_2(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--years", YEARS, "--hours-per-fte", "0")
    assert code == 2 and "--hours-per-fte" in err


def test_rates_come_from_the_last_complete_years_when_30_offers_lie_behind_them(stored, capsys) -> None:  # type: ignore[no-untyped-def]
    last = timezone.localdate().year - 1
    citizens = list(Citizen.objects.order_by("cpr")[:4])
    start = datetime(last, 3, 1, 9, tzinfo=UTC)
    for i in range(40):
        offer = Offer.objects.create(
            citizen=citizens[i % 4],
            year=last,
            group="age80",
            decision="offer",
            letter="with_time",
            response="opt_out",
            due_from=date(last, 1, 1) + timedelta(days=i),
            due_to=date(last, 12, 31),
            reason="test",
            rule_id="age80",
        )
        if i < 30:  # 30 of 40 offers became a held visit, each with 25 minutes of driving
            visit = Visit.objects.create(
                start=start + timedelta(days=i),
                end=start + timedelta(days=i, hours=1),
                status=Visit.Status.HELD,
                held_minutes=70,
                drive_minutes=25,
            )
            visit.offers.add(offer)
    code, out, err = run(capsys, "--years", str(NEXT))
    assert code == 0, err
    assert "Målgruppe 3 (age80), brev med tidspunkt: 75 %" in out and "30 af 40 tilbud" in out
    assert "Kørsel: 25 min pr. besøg (historik" in out
    assert "i gennemsnit 70 min" in out
    assert (
        "Målgruppe 1 (alone70), brev uden tidspunkt: 50 % bliver til et gennemført besøg (antagelse)" in out
    )
