"""The columnar reader gives exactly what the row parser gives, or says "not sure" (None).

The row parser (``rows``, here through ``inputs``) is the reference: for any pair of files,
``columnar.parse_population`` returns None or a Population equal to the row parser's, records, order and
warnings alike; and for a regular, valid file it does return one (else the fast path would never be
taken). Synthetic, made-up people only.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhb.core.population import columnar, csv_reader
from fhb.core.population.columnar import parse_population, read_part
from fhb.core.population.columns import (
    CITIZEN_COLUMNS,
    CITIZEN_OPTIONAL_COLUMNS,
    CITIZEN_REQUIRED_COLUMNS,
    EVENT_COLUMNS,
)
from fhb.core.population.inputs import parse_population_bytes
from fhb.core.population.model import CIVIL_STATUS_CODES, EVENT_KINDS, InvalidInput, Population
from fhb.demo.synth.generator import SynthOptions, write_municipality

ALL_COLUMNS = CITIZEN_COLUMNS


def exact(citizens: bytes, events: bytes | None) -> Population | None:
    """The row parser's Population, or None when it refuses the files."""
    try:
        return parse_population_bytes(citizens, events)
    except InvalidInput:
        return None


def assert_same_or_unsure(citizens: bytes, events: bytes | None) -> Population | None:
    fast = parse_population(citizens, events)
    if fast is not None:
        reference = exact(citizens, events)
        assert reference is not None, "the columnar reader accepted what the row parser refuses"
        assert fast.citizens == reference.citizens
        assert fast.events == reference.events
        assert fast.warnings == reference.warnings
    return fast


def render(
    header: list[str], rows: list[list[str]], *, sep: str = ",", end: str = "\n", quote_all: bool = False
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=sep,
        lineterminator=end,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


# --------------------------------------------------------------------------------------------------
# Generated files: regular ones, and ones with every kind of trouble
# --------------------------------------------------------------------------------------------------

_CLEAN_CPRS = ["0101401234", "0202381235", "1512453877", "2902481236", "3112991238", "0107202122"]
_CPRS = [*_CLEAN_CPRS, "3102401234", "0101-401239", "010140123", " 0101401240 ", "29024a1236", ""]
_TEXT = st.text(alphabet=st.sampled_from([*"Ab æøå,;\"'\t", "\xa0", "\u2028", "\x85"]), max_size=8)
_DATES = ["", "2025-03-01", "2024-02-29", "2025-02-29", "2025-3-1", " 2025-03-01", "1990-12-31"]
_COORDS = ["", "57.46", "-0.0", "10.5", "57,46", "1e1", "91", "200.5", " 9.5", "nan"]
_FLAGS = ["", "0", "1", "2", " 1"]
_STATUSES = ["", *CIVIL_STATUS_CODES, "g", "X"]
_KINDS = [*list(EVENT_KINDS)[:6], "Dementia", "unknown", ""]


@st.composite
def citizen_cells(draw: st.DrawFn, clean: bool) -> dict[str, str]:
    pick = st.sampled_from
    if clean:
        return {
            "cpr": "",  # set by the caller, unique
            "name": draw(st.sampled_from(["Anna Testesen", "Bo, den yngre", 'Ib "Bedste" Ibsen'])),
            "address_id": draw(pick(["adr-1", "adr-2", "adr-3"])),
            "street": draw(pick(["Prøvevej 1", "Østervænget 12, st. 1"])),
            "postcode": "9800",
            "city": "Hjørring",
            "lat": draw(pick(["", "57.46", "-0.0"])),
            "lon": draw(pick(["", "10.5"])),
            "civil_status": draw(pick(["", "G", "E", "U"])),
            "civil_status_date": draw(pick(["", "2025-03-01", "2024-02-29"])),
            "spouse_cpr": draw(pick(["", *_CLEAN_CPRS, "0303030303"])),
            "death_date": draw(pick(["", "2026-11-02"])),
            "digital_post_exempt": draw(pick(["", "0", "1"])),
            "address_protected": draw(pick(["", "1"])),
        }
    return {
        "cpr": draw(pick(_CPRS)),
        "name": draw(_TEXT),
        "address_id": draw(pick(["adr-1", "adr-2", " adr-1", ""])),
        "street": draw(_TEXT),
        "postcode": draw(pick(["9800", "", "98000000000"])),
        "city": draw(pick(["Hjørring", " Hjørring ", ""])),
        "lat": draw(pick(_COORDS)),
        "lon": draw(pick(_COORDS)),
        "civil_status": draw(pick(_STATUSES)),
        "civil_status_date": draw(pick(_DATES)),
        "spouse_cpr": draw(pick(_CPRS)),
        "death_date": draw(pick(_DATES)),
        "digital_post_exempt": draw(pick(_FLAGS)),
        "address_protected": draw(pick(_FLAGS)),
    }


@st.composite
def files(draw: st.DrawFn, clean: bool) -> tuple[bytes, bytes]:
    columns = list(CITIZEN_REQUIRED_COLUMNS) + draw(
        st.lists(st.sampled_from(CITIZEN_OPTIONAL_COLUMNS), unique=True)
    )
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    people = draw(st.lists(citizen_cells(clean), min_size=1, max_size=8))
    if clean:
        for number, person in zip(_CLEAN_CPRS, people, strict=False):
            person["cpr"] = number
        people = people[: len(_CLEAN_CPRS)]
    rows = [[person[column] for column in columns] for person in people]
    if clean and draw(st.booleans()):  # white space around cells: both parsers strip it
        pad = draw(st.sampled_from([" ", "\t", "\xa0", "\u3000"]))
        rows = [[f"{pad}{cell}" if i % 2 else f"{cell}{pad}" for i, cell in enumerate(row)] for row in rows]
    sep = draw(st.sampled_from([",", ";"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    header = [c.upper() if draw(st.booleans()) else c for c in columns]
    if not clean and draw(st.booleans()):
        rows.insert(draw(st.integers(0, len(rows))), [""] * len(columns))  # a blank line
    citizens = render(header, rows, sep=sep, end=end, quote_all=draw(st.booleans()))
    if not clean and draw(st.booleans()):
        citizens = citizens.replace(b"\n", b"\n\n", 1)  # an empty line after the header
    if draw(st.booleans()):
        citizens = "\ufeff".encode() + citizens
    known = [p["cpr"] for p in people] + ["0909090909"]
    event_rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(known if not clean else [p["cpr"] for p in people]),
                st.sampled_from(list(EVENT_KINDS)[:6] if clean else _KINDS),
                st.sampled_from(["2025-03-01", "2026-01-05"] if clean else _DATES),
                st.sampled_from(["", "2026-12-31"] if clean else ["", *_DATES]),
                st.sampled_from(["", "bevilget", 'efter "aftale", 2 gange'] if clean else ["", " x ", '"']),
            ).map(list),
            max_size=6,
        )
    )
    events = render(list(EVENT_COLUMNS), event_rows, sep=sep, end=end)
    return citizens, events


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files(clean=False))
def test_the_columnar_reader_agrees_with_the_row_parser_or_gives_up(pair: tuple[bytes, bytes]) -> None:
    assert_same_or_unsure(*pair)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files(clean=True))
def test_regular_valid_files_take_the_columnar_path(pair: tuple[bytes, bytes]) -> None:
    assert assert_same_or_unsure(*pair) is not None


# --------------------------------------------------------------------------------------------------
# Chosen cases
# --------------------------------------------------------------------------------------------------

HEADER = ",".join(ALL_COLUMNS)
ROW = "0101401234,Anna Testesen,adr-1,Prøvevej 1,9800,Hjørring,57.46,10.5,G,2001-05-05,0202381235,,0,"


@pytest.mark.parametrize(
    ("row", "why"),
    [
        (
            ROW.replace("0101401234", "010140-1234"),
            "a CPR number with a hyphen is normalised by the row parser",
        ),
        (ROW.replace(",G,", ",g,"), "a lower-case code is rewritten by the row parser"),
        (ROW.replace("57.46", '"57,46"'), "a decimal comma"),
        (ROW.replace("2001-05-05", "2001-02-29"), "an impossible date"),
        (ROW.replace("Prøvevej 1", '"Prøvevej 1\nopgang B"'), "a quoted line break"),
        (ROW.replace("Prøvevej 1", 'Prøvevej "1"'), "a quote inside an unquoted cell"),
        (ROW + ",", "a row one cell too wide"),
        (ROW.replace("Anna", "An\x00na"), "a NUL"),
        (ROW.replace("Anna", "Anna\x1c"), "a character Python strips and polars does not"),
        ("  ,  ,", "a line of spaces and separators"),
    ],
)
def test_what_only_the_row_parser_decides(row: str, why: str) -> None:
    citizens = f"{HEADER}\n{ROW.replace('0101401234', '0202381235')}\n{row}\n".encode()
    assert parse_population(citizens) is None, why


def test_padded_cells_are_stripped_as_by_the_row_parser() -> None:
    padded = " 0101401234 , Anna Testesen ,adr-1 ,Prøvevej 1,9800, Hjørring,57.46,10.5, G ,2001-05-05,,,,"
    citizens = f"{HEADER}\n{padded}\n".encode()
    fast = assert_same_or_unsure(citizens, None)
    assert fast is not None and fast.citizens[0].city == "Hjørring"


def test_warnings_name_the_lines_of_the_file_with_blank_lines() -> None:
    lonely = ROW.replace("0101401234", "1512453877")  # names 0202381235, who is not in the file
    citizens = f"{HEADER}\r\n\r\n{ROW}\r\n,,,,\r\n{lonely}\r\n".encode()
    fast = assert_same_or_unsure(citizens, None)
    assert fast is not None
    assert [(w.row, w.column) for w in fast.warnings] == [(3, "spouse_cpr"), (5, "spouse_cpr")]


def test_only_a_header_of_events_is_no_events() -> None:
    fast = assert_same_or_unsure(f"{HEADER}\n{ROW}\n".encode(), b"cpr,kind,start\n")
    assert fast is not None and fast.events == ()


@pytest.fixture(scope="module")
def municipality(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("columnar")
    write_municipality(SynthOptions(standard="ishoej", seed=5, size=0.3), folder)
    return folder / "citizens.csv", folder / "events.csv"


def test_a_synthetic_municipality_is_read_column_by_column(municipality: tuple[Path, Path]) -> None:
    citizens, events = municipality
    fast = columnar.read_population(citizens, events)
    assert fast is not None and len(fast.citizens) > 1500
    reference = parse_population_bytes(
        citizens.read_bytes(), events.read_bytes(), citizens_filename=str(citizens)
    )
    assert (fast.citizens, fast.events, fast.warnings) == (
        reference.citizens,
        reference.events,
        reference.warnings,
    )


def test_read_population_takes_the_columnar_path_for_large_files(
    municipality: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    citizens, events = municipality
    calls: list[object] = []
    real = columnar.read_population

    def spy(*args: object) -> Population | None:
        calls.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(columnar, "read_population", spy)
    monkeypatch.setattr(csv_reader, "COLUMNAR_MIN_BYTES", 1 << 40)
    small = csv_reader.read_population(citizens, events)
    assert calls == []
    monkeypatch.setattr(csv_reader, "COLUMNAR_MIN_BYTES", 0)
    large = csv_reader.read_population(citizens, events)
    assert len(calls) == 1
    assert large == small


# --------------------------------------------------------------------------------------------------
# Parts, for two processes
# --------------------------------------------------------------------------------------------------


def test_parts_hold_every_citizen_once_with_the_engine_s_fields(municipality: tuple[Path, Path]) -> None:
    citizens, events = municipality
    whole = csv_reader.read_population(citizens, events)
    parts = [
        read_part(citizens, events, part, 100, (k, 2)) for k, part in enumerate((range(45), range(45, 100)))
    ]
    assert all(part is not None for part in parts)
    seen = {}
    for part in parts:
        assert part is not None
        for citizen in part.population.citizens:
            if citizen.cpr not in part.ghost_cprs:
                assert citizen.cpr not in seen
                seen[citizen.cpr] = citizen
    assert seen.keys() == {c.cpr for c in whole.citizens}
    engine_fields = ("cpr", "birth_date", "sex", "address_id", "civil_status", "civil_status_date")
    engine_fields += ("spouse_cpr", "death_date")
    for citizen in whole.citizens:
        lean = seen[citizen.cpr]
        assert [getattr(lean, f) for f in engine_fields] == [getattr(citizen, f) for f in engine_fields]
    households = {}
    for k, part in enumerate(parts):
        assert part is not None
        for citizen in part.population.citizens:
            if citizen.cpr not in part.ghost_cprs:
                assert households.setdefault(citizen.address_id, k) == k, "a household split over parts"


def test_each_share_checks_its_own_rows(tmp_path: Path) -> None:
    rows = [ROW.replace("0101401234", f"01014{n:05d}") for n in range(10)]
    rows[8] = rows[8].replace(",G,", ",g,")  # in the second half of the file
    citizens = tmp_path / "citizens.csv"
    citizens.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    assert read_part(citizens, None, range(100), 100, (0, 2)) is not None  # the first half is fine
    assert read_part(citizens, None, range(100), 100, (1, 2)) is None
    assert read_part(citizens, None, range(100), 100, (0, 1)) is None


def test_a_share_without_rows_is_no_problem(tmp_path: Path) -> None:
    citizens = tmp_path / "citizens.csv"
    citizens.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    shares = [read_part(citizens, None, range(100), 100, (k, 2)) for k in (0, 1)]
    assert all(part is not None for part in shares)
    assert [len(part.population.citizens) for part in shares if part is not None] == [1, 1]


def test_a_bad_date_is_found_by_the_part_that_converts_it(tmp_path: Path) -> None:
    rows = [ROW.replace("0101401234", f"01014{n:05d}").replace("adr-1", f"adr-{n}") for n in range(10)]
    rows[1] = rows[1].replace("2001-05-05", "2001-02-30")
    citizens = tmp_path / "citizens.csv"
    citizens.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    results = [read_part(citizens, None, part, 100, (1, 2)) for part in (range(50), range(50, 100))]
    assert results.count(None) == 1, "the part with that household gives up, the other need not"


def test_only_the_events_of_the_kinds_asked_for(municipality: tuple[Path, Path]) -> None:
    citizens, events = municipality
    part = read_part(citizens, events, range(100), 100, (0, 1), frozenset({"dementia"}))
    assert part is not None and part.population.events
    assert {event.kind for event in part.population.events} == {"dementia"}
