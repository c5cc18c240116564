"""``fhb eligibility`` in two processes (forked, half of the households each) gives the one-process output.

Each run is a fresh ``python`` process with the threshold forced to 0, so that small files take the
two-process path (the command forks only before polars is imported, which this test process may have
done). The files mix a synthetic population with hand-made households whose spouse lives at another
address, placed so that the two spouses fall in different parts (the part of an address is its bucket,
:func:`fhb.core.population.columnar.buckets_of`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import fhb.commands.eligibility as command
from fhb.core.population.columnar import buckets_of, read_part
from fhb.core.population.columns import CITIZEN_OPTIONAL_COLUMNS, CITIZEN_REQUIRED_COLUMNS
from fhb.demo.synth.generator import SynthOptions, write_municipality

BUCKETS = command.BUCKETS

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the two-process path needs fork")


def _address(part: int, index: int) -> str:
    """An address id that falls in part 0 (this process) or part 1 (the forked one)."""
    n = 0
    while True:
        candidate = f"x-{part}-{index}-{n}"
        bucket = buckets_of(pl.Series([candidate]), BUCKETS)[0]
        if (bucket < command.OWN_BUCKETS) == (part == 0):
            return candidate
        n += 1


def _hand_made() -> tuple[list[str], list[str]]:
    """Citizens and events whose evaluation needs a spouse living in the other part."""
    a0, a1, b0, b1, c0, c1 = (_address(p, i) for i, p in enumerate((0, 1, 0, 1, 0, 1)))
    citizens = [
        # A widow in part 0 whose spouse, living in part 1, died in 2026 (both name each other).
        f"1102450101,Alma Enke,{a0},Vej 1,9800,Hjørring,,,G,,1203440103,,,",
        f"1203440103,Bent Død,{a1},Plejehjem 2,9800,Hjørring,,,G,,1102450101,2026-11-02,,",
        # The other way round: the survivor in part 1 is named only by the deceased in part 0.
        f"0507440107,Carl Død,{b0},Vej 3,9800,Hjørring,,,G,,0608450108,2026-12-20,,",
        f"0608450108,Dora Enke,{b1},Vej 4,9800,Hjørring,,,G,,,,,",
        # A married man in part 0 whose wife, in a nursing home in part 1, has dementia; and a couple.
        f"0101470111,Egon Gift,{c0},Vej 5,9800,Hjørring,,,G,,0202470112,,,",
        f"0202470112,Frida Demens,{c1},Plejehjem 6,9800,Hjørring,,,G,,0101470111,,,",
        f"0303470113,Gorm Par,{a0}x,Vej 7,9800,Hjørring,,,G,,0404470114,,,",
        f"0404470114,Hanne Par,{a0}x,Vej 7,9800,Hjørring,,,G,,0303470113,,,",
    ]
    events = [
        "0202470112,dementia,2025-03-01,,diagnosticeret",
        "0202470112,nursing_home,2025-06-01,,",
        "1102450101,home_nursing,2026-10-01,,",
    ]
    return citizens, events


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("parallel")
    write_municipality(SynthOptions(standard="hjoerring", seed=3, size=0.05), folder)
    citizens_path, events_path = folder / "citizens.csv", folder / "events.csv"
    citizens, events = _hand_made()
    with citizens_path.open("a", encoding="utf-8") as stream:
        header = citizens_path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header[:6] == ["cpr", "name", "address_id", "street", "postcode", "city"]
        for row in citizens:
            cells = dict(zip(_HAND_COLUMNS, row.split(","), strict=True))
            stream.write(",".join(cells.get(name, "") for name in header) + "\n")
    with events_path.open("a", encoding="utf-8") as stream:
        for row in events:
            stream.write(row + "\n")
    return citizens_path, events_path


_HAND_COLUMNS = CITIZEN_REQUIRED_COLUMNS + CITIZEN_OPTIONAL_COLUMNS


#: Runs ``fhb eligibility`` with the threshold set by argv[1]; prints on stderr, last, whether the
#: two-process path was taken (a JSON list, one entry per attempt).
_RUNNER = """
import json, sys
import fhb.commands.eligibility as command
from fhb.cli import main

command.PARALLEL_MIN_BYTES = 0 if sys.argv[1] == "two" else 1 << 62
used = []
real = command.evaluate_csv_in_two

def spy(*args):
    lines = real(*args)
    used.append(lines is not None)
    return lines

command.evaluate_csv_in_two = spy
code = main(["eligibility", *sys.argv[2:]])
sys.stdout.flush()
print(json.dumps(used), file=sys.stderr)
sys.exit(code)
"""


def _run(args: list[str], *, parallel: bool) -> tuple[int, str, str, list[bool]]:
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, "two" if parallel else "one", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    *err_lines, used = done.stderr.splitlines(keepends=True)
    return done.returncode, done.stdout, "".join(err_lines), json.loads(used)


@pytest.mark.parametrize("standard", ["hjoerring", "herning", "ishoej"])
@pytest.mark.parametrize("extra", [[], ["--all"], ["--on", "2026-12-15"]])
def test_two_processes_give_the_one_process_output(
    population: tuple[Path, Path], standard: str, extra: list[str]
) -> None:
    citizens, events = population
    args = ["--standard", standard, "--year", "2027", "--citizens", str(citizens), "--events", str(events)]
    args += extra
    code, single, _, used = _run(args, parallel=False)
    assert code == 0 and used == []
    code, double, err, used = _run(args, parallel=True)
    assert code == 0 and err == ""
    assert used == [True], "the two-process path was taken"
    assert double == single
    assert single.count("\n") > 100


def test_the_spouses_in_the_other_part_are_seen(population: tuple[Path, Path]) -> None:
    citizens, events = population
    mine = read_part(citizens, events, range(command.OWN_BUCKETS), BUCKETS, (0, 2))
    theirs = read_part(citizens, events, range(command.OWN_BUCKETS, BUCKETS), BUCKETS, (1, 2))
    assert mine is not None and theirs is not None
    own = {c.cpr for c in mine.population.citizens} - mine.ghost_cprs
    other = {c.cpr for c in theirs.population.citizens} - theirs.ghost_cprs
    assert "1102450101" in own and "1203440103" in mine.ghost_cprs  # the deceased, for the date
    assert "0608450108" in other and "0507440107" in theirs.ghost_cprs
    assert own.isdisjoint(other)
    everyone = {line.split(",")[0] for line in citizens.read_text(encoding="utf-8").splitlines()[1:]}
    assert own | other == everyone
    wife_events = [e for e in mine.population.events if e.cpr == "0202470112"]
    assert [e.kind for e in wife_events] == ["dementia", "nursing_home"]  # the husband's part has them
    lean = {c.cpr: c for c in mine.population.citizens}["1102450101"]
    assert (lean.name, lean.street, lean.lat) == ("", "", None)  # what the engine does not read


def test_a_fork_after_polars_is_loaded_is_not_tried(
    population: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """polars runs threads once imported (as in this test process): the command then stays in one."""
    from fhb.cli import main

    citizens, events = population
    monkeypatch.setattr(command, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(command, "evaluate_csv_in_two", None)  # would raise if called
    args = ["--standard", "hjoerring", "--year", "2027", "--citizens", str(citizens), "--events", str(events)]
    assert "polars" in sys.modules
    assert main(["eligibility", *args]) == 0
    assert capsys.readouterr().out.count("\n") > 100


@pytest.mark.parametrize(
    ("citizen_row", "event_row"),
    [
        ("0101470115,Ida Fejl,{a},Vej 9,9800,Hjørring,,,G,2026-13-01,,,,", None),  # a bad date
        ("0101470116,Jens Dobbelt,{a},Vej 9,9800,Hjørring,,,,,,,,", None),  # a CPR twice (other part)
        (None, "9999999999,dementia,2025-01-01,,"),  # an event about nobody
        ('0101470117,Karl Linje,{a},"Vej 9\nopgang B",9800,Hjørring,,,,,,,,', None),  # a quoted line break
    ],
)
def test_bad_input_from_the_two_process_path_is_reported_as_by_one_process(
    population: tuple[Path, Path],
    tmp_path: Path,
    citizen_row: str | None,
    event_row: str | None,
) -> None:
    source_citizens, source_events = population
    citizens, events = tmp_path / "citizens.csv", tmp_path / "events.csv"
    text = source_citizens.read_text(encoding="utf-8")
    if citizen_row is not None:
        if "Dobbelt" in citizen_row:  # the CPR of a hand-made citizen of part 0, at an address of part 1
            citizen_row = citizen_row.replace("0101470116", "1102450101")
        text += citizen_row.format(a=_address(1, 99)) + "\n"
    citizens.write_text(text, encoding="utf-8")
    events.write_text(source_events.read_text(encoding="utf-8") + (event_row or "") + "\n", encoding="utf-8")
    args = ["--standard", "hjoerring", "--year", "2027", "--citizens", str(citizens), "--events", str(events)]
    code, out, single_err, _ = _run(args, parallel=False)
    if "Linje" in (citizen_row or ""):
        assert code == 0  # a quoted line break is allowed: the two-process path leaves it to one process
        code, double, err, used = _run(args, parallel=True)
        assert (code, double, err, used) == (0, out, "", [False])
        return
    assert code == 2 and out == ""
    code, out, err, used = _run(args, parallel=True)
    assert used == [False], "the two-process path gave up and left the report to one process"
    assert code == 2 and out == ""
    assert err == single_err
    assert str(citizens if citizen_row else events) in err and "række" in err
