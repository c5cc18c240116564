"""Hostile and broken input files: whatever the bytes, the CSV reader and the standard loader give either a
result or their documented error (InvalidInput / StandardError) that says where, never another exception.

tests/core/population/test_csv_reader.py and tests/core/standard/test_standard_loader.py test each
problem's wording and random text; here the input is a valid file damaged the way files get damaged: saved
in another encoding, cut, spliced, with NUL bytes, mixed line ends, huge cells, or values of the wrong kind.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhb.core.forecast import PRESETS, PresetNotPossible, apply_preset
from fhb.core.population.columns import CITIZEN_MAX_LENGTHS
from fhb.core.population.inputs import (
    parse_citizens_bytes,
    parse_events_bytes,
    parse_population_bytes,
    read_citizens,
    read_events,
)
from fhb.core.population.model import Citizen, Event, InputProblem, InvalidInput, Population
from fhb.core.standard import QualityStandard, StandardError, load_standard, parse_standard

TESTS = Path(__file__).parent
CITIZENS = (TESTS / "population" / "data" / "citizens_comma.csv").read_bytes()
CITIZENS_EXCEL = (TESTS / "population" / "data" / "citizens_excel_bom_semicolon.csv").read_bytes()
EVENTS = (TESTS / "population" / "data" / "events.csv").read_bytes()
SHIPPED = {
    path.stem: path.read_text("utf-8") for path in (TESTS.parents[1] / "src/fhb/standards").glob("*.toml")
}
KNOWN_CPRS = {"0101401234", "0202381235", "1512459876", "3001303551"}

HOSTILE = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------------------------------
# Damage, as files get damaged
# --------------------------------------------------------------------------------------------------

#: Pieces a careless editor, a spreadsheet or a broken transfer leaves in a file.
_SNIPPETS = [
    "\x00",
    '"',
    '""',
    ",",
    ";",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\ufeff",
    "ÆØÅæøå",
    "-",
    " ",
    "0101401234",
    "2024-02-30",
    "9999-99-99",
    "1e400",
    "nan",
    "-0",
    "G",
    "dementia",
    "\u2028",
    "\U0001f600",
]
_ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]


@st.composite
def damaged_text(draw: st.DrawFn, text: str, snippets: list[str]) -> str:
    """``text`` after one to four edits: a span cut out, a piece put in, a line repeated, moved or
    dropped, the line ends changed, a cell blown up beyond the CSV module's field limit."""
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(["cut", "insert", "lines", "newlines", "huge"]))
        at = draw(st.integers(0, len(text)))
        if edit == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif edit == "insert":
            piece = draw(st.one_of(st.sampled_from(snippets), st.text(max_size=8)))
            text = text[:at] + piece * draw(st.integers(1, 3)) + text[at:]
        elif edit == "lines":
            lines = text.splitlines(keepends=True) or [""]
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            how = draw(st.sampled_from(["repeat", "move", "drop"]))
            if how == "repeat":
                lines.insert(j, lines[i])
            elif how == "move":
                lines.insert(j, lines.pop(i))
            else:
                del lines[i]
            text = "".join(lines)
        elif edit == "newlines":
            end = draw(st.sampled_from(["\r\n", "\r", "\n", "\n\r", "\r\r\n"]))
            parts = re.split(r"\r\n|\r|\n", text)
            # some or all line ends replaced: a file edited on two systems
            text = "".join(part + (end if draw(st.booleans()) else "\n") for part in parts[:-1]) + parts[-1]
        else:
            size = draw(st.sampled_from([5_000, 140_000]))  # 140 000 > csv.field_size_limit()
            filler = draw(st.sampled_from(["x", "Æ", "1", '"', ","]))
            text = text[:at] + filler * size + text[at:]
    return text


@st.composite
def damaged_bytes(draw: st.DrawFn, data: bytes, snippets: list[str] = _SNIPPETS) -> bytes:
    """The bytes of a damaged copy of ``data``: damaged text, saved in some encoding, maybe with a few
    stray bytes (a transfer that broke a multi-byte character)."""
    text = draw(damaged_text(data.decode("utf-8"), snippets))
    encoded = text.encode(draw(st.sampled_from(_ENCODINGS)), errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(encoded)))
        encoded = encoded[:at] + draw(st.binary(min_size=1, max_size=4)) + encoded[at:]
    return encoded


# --------------------------------------------------------------------------------------------------
# What a clear error is
# --------------------------------------------------------------------------------------------------


def assert_clear(error: InvalidInput, files: set[str], data: bytes | None = None) -> None:
    """Every problem names one of ``files``, a line of it (0: the whole file), a column (empty: a whole
    row or file) and a reason; there are between 1 and 100 of them."""
    assert 1 <= len(error.problems) <= 100, f"{len(error.problems)} problems"
    lines = None if data is None else len(re.findall(rb"\r\n|\r|\n", data)) + 1
    for problem in error.problems:
        assert isinstance(problem, InputProblem)
        assert problem.file in files, f"{problem} names no input file"
        assert isinstance(problem.row, int) and problem.row >= 0, f"{problem}: no line"
        if lines is not None:
            assert problem.row <= lines, f"{problem}: line {problem.row} of a file of {lines} lines"
        assert isinstance(problem.column, str) and isinstance(problem.value, str)
        assert isinstance(problem.why, str) and problem.why.strip(), f"{problem}: no reason"
        shown = str(problem)
        assert shown.startswith(problem.file)
        if problem.row:
            assert f"række {problem.row}" in shown
    assert str(error)


def outcome(parse: Callable[[], Any], files: set[str], data: bytes | None = None) -> Any:
    """The result of ``parse``, or the problems of its InvalidInput (checked to be clear). Any other
    exception fails the test."""
    try:
        return parse()
    except InvalidInput as error:
        assert_clear(error, files, data)
        return error.problems


def assert_sound_citizens(citizens: list[Citizen]) -> None:
    """A file that parsed gives records fit to store: no half-read row slips through."""
    for citizen in citizens:
        assert len(citizen.cpr) == 10 and citizen.cpr.isascii() and citizen.cpr.isdigit(), citizen.cpr
        for text in (citizen.name, citizen.address_id, citizen.street, citizen.postcode, citizen.city):
            assert text and text == text.strip() and "\x00" not in text, repr(text)
        for degree, limit in ((citizen.lat, 90), (citizen.lon, 180)):
            assert degree is None or -limit <= degree <= limit


def assert_sound_events(events: list[Event], known: set[str]) -> None:
    for event in events:
        assert event.cpr in known, event.cpr
        assert event.end is None or event.end >= event.start
        assert "\x00" not in event.note


# --------------------------------------------------------------------------------------------------
# citizens.csv and events.csv
# --------------------------------------------------------------------------------------------------


@HOSTILE
@given(st.one_of(st.binary(max_size=600), damaged_bytes(CITIZENS), damaged_bytes(CITIZENS_EXCEL)))
def test_damaged_citizens_file_gives_citizens_or_clear_problems(data: bytes) -> None:
    result = outcome(lambda: parse_citizens_bytes(data, "borgere.csv"), {"borgere.csv"}, data)
    if isinstance(result, tuple):
        citizens, warnings = result
        assert_sound_citizens(citizens)
        for warning in warnings:
            assert warning.file == "borgere.csv" and warning.row >= 2 and warning.column == "spouse_cpr"


@HOSTILE
@given(st.one_of(st.binary(max_size=600), damaged_bytes(EVENTS)))
def test_damaged_events_file_gives_events_or_clear_problems(data: bytes) -> None:
    result = outcome(lambda: parse_events_bytes(data, "hændelser.csv", KNOWN_CPRS), {"hændelser.csv"}, data)
    if isinstance(result, list) and not (result and isinstance(result[0], InputProblem)):
        assert_sound_events(result, KNOWN_CPRS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_bytes(CITIZENS), st.one_of(st.none(), damaged_bytes(EVENTS)))
def test_damaged_pair_gives_a_population_or_problems_of_both_files(
    citizens: bytes, events: bytes | None
) -> None:
    files = {"borgere.csv", "hændelser.csv"}
    result = outcome(
        lambda: parse_population_bytes(
            citizens, events, citizens_filename="borgere.csv", events_filename="hændelser.csv"
        ),
        files,
    )
    if isinstance(result, Population):
        assert_sound_citizens(list(result.citizens))
        assert_sound_events(list(result.events), {c.cpr for c in result.citizens})


def _refused(outcome: Any) -> bool:
    return isinstance(outcome, list) and bool(outcome) and isinstance(outcome[0], InputProblem)


def _same_outcome(from_bytes: Any, from_file: Any) -> None:
    """An upload and the same file on disk are both refused, or both give the same records. (Which
    problems are reported may differ: a file is streamed, so its reading can stop at an earlier one.)"""
    assert _refused(from_bytes) == _refused(from_file), "one of upload and file was accepted, the other not"
    if not _refused(from_bytes):
        assert from_bytes == from_file


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_bytes(CITIZENS), damaged_bytes(EVENTS))
def test_a_file_on_disk_and_its_upload_give_the_same_answer(citizens: bytes, events: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "borgere.csv"
        path.write_bytes(citizens)
        _same_outcome(
            outcome(lambda: parse_citizens_bytes(citizens, str(path)), {str(path)}),
            outcome(lambda: read_citizens(path), {str(path)}),
        )
        path.write_bytes(events)
        _same_outcome(
            outcome(lambda: parse_events_bytes(events, str(path), KNOWN_CPRS), {str(path)}),
            outcome(lambda: read_events(path, KNOWN_CPRS), {str(path)}),
        )


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("NUL bytes", CITIZENS.replace(b"Bent", b"B\x00ent"), "NUL-tegn"),
        ("UTF-16 with BOM", CITIZENS.decode().encode("utf-16"), "UTF-16"),
        ("UTF-16 without BOM", CITIZENS.decode().encode("utf-16-le"), "UTF-16"),
        ("Latin-1", CITIZENS.decode().encode("latin-1"), "ikke gyldig UTF-8"),
        ("cell over the CSV field limit", CITIZENS.replace(b"Bent", b"B" * 200_000), "CSV"),
        ("unclosed quote", CITIZENS.replace(b'"Testvej 1, 1. th."', b'"Testvej 1, 1. th.', 1), "felter"),
        ("header only, CR line ends", CITIZENS.split(b"\n")[0] + b"\r", "ingen borgere"),
    ],
)
def test_typical_damage_is_named(name: str, data: bytes, why: str) -> None:
    problems = outcome(lambda: parse_citizens_bytes(data, "borgere.csv"), {"borgere.csv"}, data)
    assert isinstance(problems, list) and isinstance(problems[0], InputProblem), f"{name} was accepted"
    assert any(why in p.why for p in problems), f"{name}: {problems}"


def test_a_long_note_is_read_whole() -> None:
    """A long (but not absurd) cell is kept as it is: no silent cut below the CSV module's field limit."""
    note = "Notat " + "x" * 100_000
    data = EVENTS.replace(b"Morgenhj\xc3\xa6lp", note.encode())
    events = parse_events_bytes(data, known_cprs=KNOWN_CPRS)
    assert [e.note for e in events if e.kind == "personal_care"] == [note]


@pytest.mark.parametrize(("column", "limit"), sorted(CITIZEN_MAX_LENGTHS.items()))
def test_a_name_or_address_longer_than_the_database_stores_is_a_problem_of_its_row(
    column: str, limit: int
) -> None:
    """At the limit it is read whole; one character more is a problem naming the row and column (not a
    database error half-way through an import, nor a value cut to fit)."""
    header, anna, *rest = CITIZENS.decode().split("\n")
    cells = next(csv.reader([anna]))
    at = next(csv.reader([header])).index(column)

    def with_cell(value: str) -> bytes:
        row = io.StringIO()
        csv.writer(row, lineterminator="").writerow([*cells[:at], value, *cells[at + 1 :]])
        return "\n".join([header, row.getvalue(), *rest]).encode()

    fits = "9" * limit if column == "postcode" else "Å" * limit
    citizens, _ = parse_citizens_bytes(with_cell(fits))
    assert getattr(citizens[0], column) == fits
    problems = outcome(lambda: parse_citizens_bytes(with_cell(fits + "x"), "borgere.csv"), {"borgere.csv"})
    assert [(p.row, p.column) for p in problems] == [(2, column)]
    assert f"højst {limit}" in problems[0].why


# --------------------------------------------------------------------------------------------------
# Standard files
# --------------------------------------------------------------------------------------------------

#: Values of the wrong kind or size for a key: what a hand edit of a standard file gets wrong.
_TOML_VALUES = [
    "0",
    "-1",
    "99999999999999999999",  # beyond TOML's 64-bit integers
    "9223372036854775807",
    "1e308",
    "inf",
    "nan",
    "-0.0",
    '""',
    '"x"',
    '"' + "x" * 5000 + '"',
    '"\\u0000"',
    '"<script>"',
    "true",
    "[]",
    "[1, 2]",
    '["alone70", "alone70"]',
    "{}",
    '{ kind = "turns", years = 1000000 }',
    "2027-02-29",
    "9999-12-31",
    "0001-01-01",
    "23:59:59",
]
_KEY_VALUE = re.compile(r"^(\s*[A-Za-z_][A-Za-z0-9_.]*\s*=\s*)(.+)$", re.MULTILINE)
_NUMBER = re.compile(r"(?<=[=\[,] )\d+\b")


@st.composite
def edited_standard(draw: st.DrawFn) -> str:
    """A shipped standard with some values replaced by values of the wrong kind or size, and maybe some
    other damage (cut, spliced, lines moved)."""
    text = SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))]
    matches = list(_KEY_VALUE.finditer(text))
    chosen = sorted(
        draw(st.lists(st.integers(0, len(matches) - 1), min_size=1, max_size=3, unique=True)), reverse=True
    )
    for i in chosen:
        match = matches[i]
        value = draw(st.sampled_from(_TOML_VALUES))
        text = text[: match.start(2)] + value + text[match.end(2) :]
    numbers = list(_NUMBER.finditer(text))
    for _ in range(draw(st.integers(0, 2)) if numbers else 0):  # a number in an inline table or list
        match = numbers[draw(st.integers(0, len(numbers) - 1))]
        value = draw(st.sampled_from(["0", "-1", "131", "9223372036854775807", "-9223372036854775808"]))
        text = text[: match.start()] + value + text[match.end() :]
        numbers = list(_NUMBER.finditer(text))
    if draw(st.booleans()):
        text = draw(damaged_text(text, ["[", "]", "[[groups]]", "=", '"', "\n", "#", "\x00", "\r\n"]))
    return text


def assert_clear_standard(error: StandardError, source: str) -> None:
    """The error names the file; each problem names its key path or, for the whole file, says where."""
    assert error.source == source
    assert error.problems, "StandardError without problems"
    for problem in error.problems:
        assert problem.why.strip()
        if not problem.key:
            # the whole file: TOML syntax (with line and column), not UTF-8, unreadable, too deep
            assert re.search(r"line \d+|UTF-8|cannot read|nested|not valid TOML", problem.why), problem.why
    assert all(line.startswith(f"{source}: ") for line in str(error).splitlines() if line.strip())


def standard_or_error(load: Callable[[], QualityStandard], source: str) -> QualityStandard | None:
    try:
        return load()
    except StandardError as error:
        assert_clear_standard(error, source)
        return None


@HOSTILE
@given(edited_standard())
def test_edited_shipped_standard_loads_or_names_the_key(text: str) -> None:
    result = standard_or_error(lambda: parse_standard(text, "forslag.toml"), "forslag.toml")
    assert result is None or isinstance(result, QualityStandard)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=300),
        damaged_bytes(SHIPPED["ishoej"].encode(), ["[", "]", "=", '"', "\x00", "\r\n", "Æ"]),
        edited_standard().map(lambda text: text.encode("utf-8")),
    )
)
def test_any_bytes_in_a_standard_file_load_or_raise_standard_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kommune.toml"
        path.write_bytes(data)
        result = standard_or_error(lambda: load_standard(path), str(path))
        assert result is None or isinstance(result, QualityStandard)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000,  # nested too deeply for a recursive reader
        "a = " + "[" * 5000 + "]" * 5000,
        "x = { " * 2000,
        "format = 99999999999999999999",
        'format = 1\nid = "\x00"',
        SHIPPED["herning"].replace("\n", "\r"),  # old Mac line ends
    ],
    ids=["brackets", "nested-list", "nested-table", "huge-int", "nul", "cr-only"],
)
def test_pathological_standard_text_raises_standard_error(text: str) -> None:
    assert standard_or_error(lambda: parse_standard(text, "forslag.toml"), "forslag.toml") is None


def test_a_standard_file_saved_with_a_bom_loads(tmp_path: Path) -> None:
    """Windows editors (Notepad) put a byte order mark first; it used to give "Invalid statement (at line 1,
    column 1)", an error in a place the file looks fine."""
    path = tmp_path / "herning.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SHIPPED["herning"].replace("\n", "\r\n").encode("utf-8"))
    assert load_standard(path) == load_standard("herning")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        edited_standard(),
        st.text(max_size=200),
        st.sampled_from(["a = " + "[" * 5000 + "]" * 5000, "[" * 5000, "x = { " * 2000, "a = " + "9" * 5000]),
    ),
    st.sampled_from(sorted(PRESETS)),
)
def test_a_forecast_preset_edits_any_text_or_says_why_not(text: str, preset: str) -> None:
    """The leader's comparison applies a preset to whatever text is in the box. Lists nested too deep, a
    number of 5000 digits, a group id written as a number once gave RecursionError, ValueError, KeyError:
    a 500 on the comparison page."""
    try:
        edited = apply_preset(text, preset)
    except PresetNotPossible as error:
        assert str(error)
    else:
        assert isinstance(edited, str)
