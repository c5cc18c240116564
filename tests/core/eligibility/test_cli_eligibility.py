"""``fhb eligibility`` and ``fhb explain`` through ``fhb.cli.main`` on tiny CSV files (no database)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fhb.cli import main

CITIZENS = """\
cpr,name,address_id,street,postcode,city,civil_status,civil_status_date,spouse_cpr,death_date
150657-1234,Anna Alene,a1,Storegade 1,9800,Hjørring,U,,,
020252-1235,Bo Par,a2,Lillegade 2,9800,Hjørring,G,,0303521236,
0303521236,Cecilie Par,a2,Lillegade 2,9800,Hjørring,G,,0202521235,
0404451237,Dorte Enke,a3,Vejen 3,9800,Hjørring,E,2026-12-01,,
0505471238,Erik Død,a4,Vejen 4,9800,Hjørring,,,,2026-06-01
0606901239,Frida Ung,a5,Vejen 5,9800,Hjørring,,,,
"""

EVENTS = """\
cpr,kind,start,end,note
0404451237,bereavement,2026-12-01,,
"""

HEADER = ["cpr", "group", "decision", "letter", "due_from", "due_to", "trigger", "reason"]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    citizens = tmp_path / "citizens.csv"
    events = tmp_path / "events.csv"
    citizens.write_text(CITIZENS, encoding="utf-8")
    events.write_text(EVENTS, encoding="utf-8")
    return citizens, events


def run(*args: str) -> int:
    return main(["eligibility", *args])


def test_csv_output_has_the_contract_columns_and_rows(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    citizens, events = files
    code = run(
        "--standard", "hjoerring", "--year", "2027", "--citizens", str(citizens), "--events", str(events)
    )
    out = capsys.readouterr().out
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == HEADER
    got = [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in table[1:]]
    assert got == [
        ("0202521235", "age75", "offer", "without_time", "2027-01-01", "2027-12-31", ""),
        ("0303521236", "age75", "offer", "without_time", "2027-01-01", "2027-12-31", ""),
        ("0404451237", "age82plus", "offer", "without_time", "2027-04-04", "2027-12-31", ""),
        ("0404451237", "risk", "offer", "with_time", "2027-01-12", "2027-01-26", "bereavement"),
        ("1506571234", "alone70", "offer", "without_time", "2027-01-01", "2027-12-31", ""),
    ]
    assert all(row[7] for row in table[1:]), "every row has a reason"


def test_all_lists_citizens_in_no_group_and_the_dead(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    citizens, _ = files
    assert run("--standard", "herning", "--year", "2027", "--citizens", str(citizens), "--all") == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_cpr = {row["cpr"]: row for row in table if row["group"] == "none"}
    assert by_cpr["0505471238"]["reason"] == "Død 2026-06-01: ingen tilbud"
    assert by_cpr["0606901239"]["decision"] == "exempt"
    assert by_cpr["0606901239"]["reason"].startswith("Ikke i nogen målgruppe: fylder 37 i 2027")


def test_json_output_is_a_list_of_objects_with_the_same_keys(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    citizens, events = files
    args = ["--standard", "ishoej", "--year", "2027", "--citizens", str(citizens), "--events", str(events)]
    assert run(*args, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and data
    assert all(list(item) == HEADER for item in data)
    assert data[0]["letter"] in ("with_time", "without_time")
    assert any(item["trigger"] is None for item in data)


def test_on_changes_the_extract_date(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    citizens, _ = files
    assert (
        run("--standard", "hjoerring", "--year", "2027", "--citizens", str(citizens), "--on", "2027-06-30")
        == 0
    )
    assert "1506571234,alone70" in capsys.readouterr().out


def test_a_standard_file_path_is_accepted(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    citizens, _ = files
    example = Path(__file__).parents[1] / "standard" / "data" / "example_kommune.toml"
    assert run("--standard", str(example), "--year", "2027", "--citizens", str(citizens)) == 0
    assert capsys.readouterr().out.startswith(",".join(HEADER))


def test_bad_citizens_file_exits_2_naming_file_row_column_with_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "citizens.csv"
    bad.write_text(CITIZENS.replace("0606901239", "06069X1239"), encoding="utf-8")
    code = run("--standard", "hjoerring", "--year", "2027", "--citizens", str(bad))
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "citizens.csv" in captured.err and "7" in captured.err and "cpr" in captured.err


def test_bad_events_file_exits_2(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    citizens, events = files
    events.write_text(EVENTS + "0404451237,no_such_kind,2027-01-01,,\n", encoding="utf-8")
    code = run(
        "--standard", "hjoerring", "--year", "2027", "--citizens", str(citizens), "--events", str(events)
    )
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert "events.csv" in captured.err and "kind" in captured.err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run("--standard", "hjoerring", "--year", "2027", "--citizens", str(tmp_path / "nope.csv"))
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert "nope.csv" in captured.err


@pytest.mark.parametrize(
    ("flag", "value", "named"),
    [("--on", "2027-02-30", "--on"), ("--year", "twenty", "--year"), ("--standard", "aarhus", "aarhus")],
)
def test_bad_argument_exits_2_with_no_output(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], flag: str, value: str, named: str
) -> None:
    citizens, _ = files
    args = {"--standard": "hjoerring", "--year": "2027", "--citizens": str(citizens)}
    args[flag] = value
    code = run(*[part for pair in args.items() for part in pair])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert named in captured.err


def test_broken_standard_file_exits_2_naming_file_and_key(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    citizens, _ = files
    example = Path(__file__).parents[1] / "standard" / "data" / "example_kommune.toml"
    broken = tmp_path / "broken.toml"
    broken.write_text(
        example.read_text(encoding="utf-8").replace("code = 999", 'code = "999"'), encoding="utf-8"
    )
    code = run("--standard", str(broken), "--year", "2027", "--citizens", str(citizens))
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert "broken.toml" in captured.err and "municipality.code" in captured.err


def test_explain_prints_the_danish_explanation(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    citizens, events = files
    args = ["explain", "040445-1237", "--standard", "hjoerring", "--year", "2027"]
    code = main([*args, "--citizens", str(citizens), "--events", str(events)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Forklaring for 0404451237 (Dorte Enke)")
    assert "Målgruppe 5 (risk)" in out and "Regel risk.bereavement" in out


def test_explain_unknown_cpr_exits_2(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    citizens, _ = files
    code = main(
        ["explain", "0101011111", "--standard", "hjoerring", "--year", "2027", "--citizens", str(citizens)]
    )
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert "0101011111" in captured.err


def test_the_commands_and_the_core_do_not_import_django() -> None:
    code = (
        "import sys, fhb.commands.eligibility, fhb.commands.explain, fhb.core.eligibility, fhb.core.standard;"
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_engine_holds_no_municipality_name() -> None:
    source = Path(__file__).parents[3] / "src" / "fhb" / "core" / "eligibility"
    names = ("hjørring", "hjoerring", "herning", "ishøj", "ishoej", "860", "657", "183")
    for path in sorted(source.glob("*.py")):
        text = path.read_text(encoding="utf-8").lower()
        found = [name for name in names if name in text]
        assert not found, f"{path.name} names {found}"


def test_csv_writer_quotes_as_the_csv_module_does() -> None:
    import dataclasses
    from datetime import date

    from fhb.commands.eligibility import write_csv
    from fhb.core.eligibility.model import COLUMNS, Decision

    reasons = ["plain", "with, comma", 'with "quotes"', "two\nlines", "", "æøå — §"]
    rows = [
        Decision(
            f"01010100{i:02d}", "age80", "offer", "with_time", date(2027, 1, 1), None, None, r, "age80", "c"
        )
        for i, r in enumerate(reasons)
    ]
    mine = io.StringIO()
    write_csv(rows, mine)
    theirs = io.StringIO()
    writer = csv.writer(theirs, lineterminator="\n")
    writer.writerow(COLUMNS)
    for d in rows:
        writer.writerow([d.cpr, d.group, d.decision, d.letter, "2027-01-01", "", "", d.reason])
    assert mine.getvalue() == theirs.getvalue()
    assert [row[7] for row in csv.reader(io.StringIO(mine.getvalue()))][1:] == reasons
    # A carriage return is quoted too (Python 3.11's csv module leaves it bare), and reads back.
    odd = io.StringIO()
    write_csv([dataclasses.replace(rows[0], reason="carriage\rreturn")], odd)
    assert list(csv.reader(io.StringIO(odd.getvalue(), newline="")))[1][7] == "carriage\rreturn"


def test_fast_decision_constructor_makes_equal_frozen_objects() -> None:
    import dataclasses
    from datetime import date

    from fhb.core.eligibility.model import Decision, new_decision

    values: tuple[Any, ...] = (
        "0101010101",
        "age80",
        "offer",
        "with_time",
        date(2027, 1, 1),
        date(2027, 12, 31),
    )
    values += (None, "r", "age80", "c", None, "opt_out", 60, None, False, None, None, (), ())
    fast, slow = new_decision(*values), Decision(*values)
    assert fast == slow and hash(fast) == hash(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.cpr = "x"  # type: ignore[misc]
