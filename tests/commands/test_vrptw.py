"""``fhb vrptw``: one Solomon instance through ``fhb.cli.main`` (no database, no Django)."""

from __future__ import annotations

import itertools
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fhb.cli import main

SOLOMON = Path(__file__).resolve().parents[3] / "shared" / "data" / "solomon"

#: The depot and the first twelve customers of R101.
INSTANCE = (Path(__file__).resolve().parents[1] / "core" / "planning" / "data" / "r101_head.txt").read_text(
    encoding="utf-8"
)

LAST_LINE = re.compile(
    r"distance=(?P<distance>[0-9]+\.[0-9]+(?:e[+-]?[0-9]+)?) vehicles=(?P<vehicles>[0-9]+)"
)
ROUTE_LINE = re.compile(r"Route #(?P<k>[0-9]+): (?P<customers>[0-9]+(?: [0-9]+)*)")


def coordinates(text: str) -> dict[int, tuple[float, float]]:
    """Customer number -> (x, y), read independently of the parser under test."""
    rows = [line.split() for line in text.splitlines()]
    return {int(r[0]): (float(r[1]), float(r[2])) for r in rows if len(r) == 7 and r[0].isdigit()}


def recomputed_distance(text: str, routes: list[list[int]]) -> float:
    xy = coordinates(text)
    total = 0.0
    for route in routes:
        stops = [0, *route, 0]
        for a, b in itertools.pairwise(stops):
            total += math.sqrt((xy[a][0] - xy[b][0]) ** 2 + (xy[a][1] - xy[b][1]) ** 2)
    return total


@pytest.fixture
def instance_file(tmp_path: Path) -> Path:
    path = tmp_path / "R101-12.txt"
    path.write_text(INSTANCE, encoding="utf-8")
    return path


def test_prints_routes_then_the_unrounded_distance_and_vehicles_as_the_last_line(
    instance_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["vrptw", str(instance_file), "--seconds", "0.3", "--seed", "3"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    last = LAST_LINE.fullmatch(out[-1])
    assert last, f"last line {out[-1]!r} is not 'distance=<float> vehicles=<n>'"
    routes = []
    for k, line in enumerate(out[:-1], start=1):
        match = ROUTE_LINE.fullmatch(line)
        assert match and int(match["k"]) == k, f"line {k} {line!r} is not 'Route #{k}: ...'"
        routes.append([int(c) for c in match["customers"].split()])
    assert sorted(c for route in routes for c in route) == list(range(1, 13)), "each customer once"
    assert int(last["vehicles"]) == len(routes)
    distance = float(last["distance"])
    assert repr(distance) == last["distance"], "the distance is printed in full precision"
    assert distance == pytest.approx(recomputed_distance(INSTANCE, routes), rel=1e-12, abs=0)


@pytest.mark.skipif(not SOLOMON.is_dir(), reason="shared/data/solomon not present")
def test_a_real_instance_with_windows_line_endings(capsys: pytest.CaptureFixture[str]) -> None:
    path = SOLOMON / "C101.txt"
    assert main(["vrptw", str(path), "--seconds", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    last = LAST_LINE.fullmatch(out[-1])
    assert last, out[-1]
    routes = [[int(c) for c in line.split(":")[1].split()] for line in out[:-1]]
    text = path.read_text(encoding="utf-8")
    assert float(last["distance"]) == pytest.approx(recomputed_distance(text, routes), rel=1e-12, abs=0)
    assert float(last["distance"]) <= 828.94 * 1.05


def test_malformed_file_exits_2_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(INSTANCE.replace("  15      30  ", "  15      3O  "), encoding="utf-8")
    assert main(["vrptw", str(path), "--seconds", "0.1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{path}, line 15: YCOORD.: '3O' is not a number" in captured.err, captured.err


def test_missing_file_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere.txt"
    assert main(["vrptw", str(path), "--seconds", "1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{path}: cannot read the file" in captured.err, captured.err


def test_binary_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r101.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00\xff\xfe")
    assert main(["vrptw", str(path), "--seconds", "1"]) == 2
    assert f"{path}: cannot read the file" in capsys.readouterr().err


@pytest.mark.parametrize("seconds", ["0", "-1", "abc", "nan", "inf"])
def test_seconds_must_be_positive(
    seconds: str, instance_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["vrptw", str(instance_file), "--seconds", seconds])
    assert caught.value.code == 2
    assert "--seconds" in capsys.readouterr().err


def test_seconds_are_required(instance_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["vrptw", str(instance_file)])
    assert caught.value.code == 2
    assert "--seconds" in capsys.readouterr().err


def test_runs_without_starting_django(instance_file: Path) -> None:
    code = (
        "import sys\n"
        "from fhb.cli import main\n"
        f"code = main(['vrptw', {str(instance_file)!r}, '--seconds', '0.1'])\n"
        "print('django loaded' if any(m.split('.')[0] == 'django' for m in sys.modules) else 'no django')\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "no django"
