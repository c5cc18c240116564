"""A fast path for regular extract files: citizens.csv and events.csv read column by column with polars.

:mod:`fhb.core.population.rows` checks a file row by row in Python, which costs about 10 µs a row:
15 s for a national extract of 1.5 million persons. Most files are regular (every line has exactly the
header's number of cells, quoting only where a cell holds the separator or a quote, every value valid), and
for those this module gets the same records in a fraction of the time: polars splits the file into columns
in native code on every core, every check of the row parser is made on whole columns at once, and a column
with few distinct values (dates, codes, towns) is converted to Python objects once per distinct value.

The contract with the row parser is exact: :func:`read_population` returns either a
:class:`~fhb.core.population.model.Population` equal to what the row parser returns for the same files
(the same records in the same order, the same warnings), or None. None means "not sure": the
file is irregular (a quoted line break, a stray quote, a row of the wrong width, an empty or strange header,
a control character) or holds any value the row parser would reject or rewrite (a CPR number with a hyphen,
a lower-case code, a decimal comma, an impossible date, a duplicate). The caller then parses with the row
parser, which reports each problem with its file, row and column. ``tests/core/population/
test_columnar.py`` compares the two parsers on generated files, regular and broken.

Pure: no Django, no clock, no I/O beyond reading the files it is given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import numpy as np
import polars as pl

from fhb.core.cpr import birth_date_of
from fhb.core.population.columns import (
    CITIZEN_FIELDS,
    CITIZEN_MAX_LENGTHS,
    CITIZEN_OPTIONAL_COLUMNS,
    CITIZEN_REQUIRED_COLUMNS,
    EVENT_FIELDS,
    EVENT_OPTIONAL_COLUMNS,
    EVENT_REQUIRED_COLUMNS,
)
from fhb.core.population.header import open_table
from fhb.core.population.inputs import DEFAULT_CITIZENS_FILE, StrPath
from fhb.core.population.model import CIVIL_STATUS_CODES, EVENT_KINDS, InputProblem, Population
from fhb.core.population.problems import MAX_KEPT_PROBLEMS, Problems
from fhb.core.population.records import new_citizen, new_event
from fhb.core.population.rows import SPOUSE_IS_SELF, SPOUSE_NOT_IN_FILE
from fhb.core.population.values import SEX_BY_LAST_DIGIT, parse_date

__all__ = [
    "WHOLE",
    "PopulationPart",
    "Share",
    "buckets_of",
    "parse_population",
    "read_part",
    "read_population",
]

_BOM = "\ufeff".encode()
#: Bytes that send a file to the row parser: NUL (reported there), and the four information separators,
#: which Python's ``str.strip`` removes but polars' ``strip_chars`` keeps (the two agree on every other
#: white space). The raw-line read below also uses the last of them as a separator no line contains.
_IRREGULAR_BYTES = (b"\x00", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
_LINE_SEPARATOR = "\x1f"
_ONLY_LINE_ENDS = re.compile(rb"[\r\n]*")
_DIGITS10 = r"^[0-9]{10}$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: A coordinate as the synthetic and most real extracts write it; anything else (a decimal comma, an
#: exponent, ``inf``) is left to the row parser, which knows what Python's ``float`` makes of it.
_PLAIN_DECIMAL = r"^-?[0-9]{1,3}(\.[0-9]{1,17})?$"


def _line_patterns(separator: str, width: int) -> tuple[str, str, str, str]:
    """Regular expressions for the raw lines: (a record whose cells need no stripping, a record whose cells
    may need it, a blank line, a line that may be blank after stripping).

    A record is exactly ``width`` cells on one line; a cell is either unquoted without quotes, or quoted as
    RFC 4180 writes it (a doubled quote inside). For such lines Python's ``csv`` module and polars split the
    same cells; every other line (a quote in the middle of a cell, text after a closing quote, a line break
    inside quotes, a row of another width) is left to the row parser. A blank line is empty or only
    separators (``;;;;`` from a spreadsheet); both parsers skip it.
    """
    sep = re.escape(separator)
    loose = f'(?:[^"{sep}]*|"(?:[^"]|"")*")'
    edge, quoted_edge = rf'[^"{sep}\s]', r'(?:[^"\s]|"")'
    strict = f'(?:(?:{edge}(?:[^"{sep}]*{edge})?)?|"(?:{quoted_edge}(?:(?:[^"]|"")*{quoted_edge})?)?")'

    def record(cell: str) -> str:
        return f"^{cell}(?:{sep}{cell}){{{width - 1}}}$"

    return record(strict), record(loose), f"^{sep}*$", rf'^[\s{sep}"]*$'


#: A share of the rows to check: (k, n) is the k-th of n equal slices (k from 0).
Share = tuple[int, int]
WHOLE: Share = (0, 1)


_Rows = TypeVar("_Rows", pl.Series, pl.DataFrame)


def _share_of(rows: _Rows, share: Share) -> _Rows:
    """The ``share`` slice of a column, a file's lines or a frame (of the same type)."""
    k, n = share
    if n == 1:
        return rows
    length = rows.len() if isinstance(rows, pl.Series) else rows.height
    start, stop = length * k // n, length * (k + 1) // n
    return rows.slice(start, stop - start)


class _Table:
    """One file's columns of the contract (stripped as the row parser strips them; blank lines left out),
    and which lines were kept (None: all of them), for the line numbers of warnings."""

    def __init__(self, frame: pl.DataFrame, kept: np.ndarray[Any, Any] | None) -> None:
        self.frame = frame
        self.kept = kept

    def line_numbers(self) -> np.ndarray[Any, Any]:
        """The line number (header = 1) of each row of ``frame``."""
        if self.kept is None:
            return np.arange(2, self.frame.height + 2)
        return np.flatnonzero(self.kept) + 2


def _read_table(
    data: bytes,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    share: Share = WHOLE,
) -> _Table | None:
    """The file's columns of the contract, ``required`` and ``optional`` (absent optional ones as empty
    cells); None when the file is irregular.

    Only the lines of ``share`` are matched against the record pattern (the other lines are another
    process's to check, see :func:`read_part`). When the share is not the whole file, a cell with white
    space to strip gives None: the processes could otherwise disagree on stripping.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if any(byte in data for byte in _IRREGULAR_BYTES):
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):  # a line ended by CR alone
        return None
    end = data.find(b"\n")
    if end <= 0:
        return None
    try:
        header = data[:end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    problems = Problems("")
    table = open_table([header], problems, required, optional)
    if table is None or problems.count:
        return None
    reader, index, width = table
    separator = reader.dialect.delimiter
    names = [f"c{i}" for i in range(width)]
    if _ONLY_LINE_ENDS.fullmatch(data, end + 1):  # only the header: no rows
        frame = pl.DataFrame(schema=dict.fromkeys(names, pl.String))
        return _Table(frame.select(_cells(index, width, required + optional, strip=False)), None)
    try:
        # The header is skipped as one line (it is one: it was split at its line end above).
        raw = pl.read_csv(
            data,
            skip_lines=1,
            separator=_LINE_SEPARATOR,
            has_header=False,
            quote_char=None,
            schema={"line": pl.String},
            empty_string_is_null=False,
        )
        frame = pl.read_csv(
            data,
            skip_lines=1,
            separator=separator,
            has_header=False,
            quote_char='"',
            schema=dict.fromkeys(names, pl.String),
            empty_string_is_null=False,
            missing_columns="insert",  # a short first line (the lines' pattern decides on all of them)
        )
    except (pl.exceptions.PolarsError, ValueError):  # invalid UTF-8, a row too wide, ...
        return None
    if raw.height != frame.height:
        return None
    strict, loose, blank, maybe_blank = _line_patterns(separator, width)
    lines = raw.get_column("line")
    blank_lines = lines.str.contains(blank)
    mine = _share_of(lines, share)
    if (mine.str.contains(maybe_blank) & ~_share_of(blank_lines, share)).any():
        return None  # a line of only spaces, quotes and separators: blank or not, the row parser decides
    kept = None
    if blank_lines.any():
        kept = (~blank_lines).to_numpy()
        frame = frame.filter(~blank_lines)
        mine = _share_of(lines, share).filter(~_share_of(blank_lines, share))
        lines = lines.filter(~blank_lines)
    # Whether cells need stripping must be decided alike in every process that shares the work: over all
    # lines, or (sharing) by giving up when a share has a cell to strip.
    no_strip = _all_match(lines if share == WHOLE else mine, strict)
    if not no_strip and (share != WHOLE or not _all_match(mine, loose)):
        return None
    return _Table(frame.select(_cells(index, width, required + optional, strip=not no_strip)), kept)


def _all_match(lines: pl.Series, pattern: str) -> bool:
    """Whether every line matches the pattern (the two halves matched in parallel)."""
    half = lines.len() // 2
    queries = [
        part.to_frame("line").lazy().select(pl.col("line").str.contains(pattern).all())
        for part in (lines.head(half), lines.tail(lines.len() - half))
    ]
    return all(bool(result.item()) for result in pl.collect_all(queries))


def _cells(index: dict[str, int], width: int, columns: Iterable[str], *, strip: bool) -> list[pl.Expr]:
    """Each column's cells (stripped if need be), or empty cells where an optional column is absent."""
    cells = []
    for name in columns:
        if index[name] >= width:
            cells.append(pl.lit("", dtype=pl.String).alias(name))
        else:
            cell = pl.col(f"c{index[name]}")
            cells.append((cell.str.strip_chars() if strip else cell).alias(name))
    return cells


# --------------------------------------------------------------------------------------------------
# Converting columns to Python objects
# --------------------------------------------------------------------------------------------------


class _NotRegular(Exception):
    """A value the row parser would reject or rewrite, found while converting: use the row parser."""


def _objects(series: pl.Series, convert: Callable[[str], Any] | None = None) -> list[Any]:
    """The column as a list of Python objects, made once per distinct value (then shared by every row that
    has it): ``convert`` of the text, or the text itself. Cheaper than ``to_list`` when values repeat.
    ``convert`` raises ValueError for a value the row parser rejects (:class:`_NotRegular` then)."""
    distinct = series.unique()
    texts = distinct.to_list()
    table = np.empty(len(texts), dtype=object)
    try:
        table[:] = texts if convert is None else [convert(text) for text in texts]
    except ValueError:
        raise _NotRegular from None
    codes = series.cast(pl.Enum(distinct)).to_physical().to_numpy()
    return table[codes].tolist()  # type: ignore[no-any-return]


def _date_or_none(text: str) -> date | None:
    return parse_date(text) if text else None


def _text_or_none(text: str) -> str | None:
    return text or None


#: The birth year by the 5th to 7th digits of a CPR number (two-digit year and century digit).
_BIRTH_YEARS: dict[str, int] = {}


def _birth_years() -> dict[str, int]:
    if not _BIRTH_YEARS:
        for key in range(1000):
            digits = f"{key:03d}"
            _BIRTH_YEARS[digits] = birth_date_of(f"0101{digits}000").year
    return _BIRTH_YEARS


def _birth_date_keys(cprs: pl.Expr) -> pl.Expr:
    """YYYYMMDD as an integer, from the CPR numbers' first 7 digits (the century by the CPR rules)."""
    years = _birth_years()
    year = cprs.str.slice(4, 3).replace_strict(list(years), list(years.values()), return_dtype=pl.Int32)
    return year * 10_000 + cprs.str.slice(2, 2).cast(pl.Int32) * 100 + cprs.str.slice(0, 2).cast(pl.Int32)


def _birth_dates(keys: np.ndarray[Any, Any]) -> list[date]:
    """The birth date of each YYYYMMDD key; :class:`_NotRegular` when one is no real date."""
    distinct, codes = np.unique(keys, return_inverse=True)
    table = np.empty(len(distinct), dtype=object)
    try:
        table[:] = [date(key // 10_000, key // 100 % 100, key % 100) for key in distinct.tolist()]
    except ValueError:
        raise _NotRegular from None
    return table[codes].tolist()  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------------
# citizens.csv
# --------------------------------------------------------------------------------------------------


def _all(frame: pl.DataFrame, checks: list[pl.Expr]) -> bool:
    """Whether every check (a boolean aggregate) holds, evaluated in one pass over the frame."""
    return all(frame.select(*(check.alias(str(i)) for i, check in enumerate(checks))).row(0))


def _empty_or(name: str, check: pl.Expr) -> pl.Expr:
    return (check | (pl.col(name) == "")).all()


def _citizens_valid(whole: pl.DataFrame, share: Share) -> bool:
    """The row parser's checks on the ``share`` of the rows of citizens.csv (True: none fails them).

    The first share also checks that no CPR number repeats in the whole file. Dates in cells are checked
    when they are converted (:func:`_citizens`), the spouses' birth dates here."""
    if whole.height == 0:
        return False
    if share[0] == 0 and whole.select(pl.col("cpr").n_unique() != pl.len()).item():
        return False
    frame = _share_of(whole, share)
    col = pl.col
    checks = [
        col("cpr").str.contains(_DIGITS10).all(),
        _empty_or("spouse_cpr", col("spouse_cpr").str.contains(_DIGITS10)),
        _empty_or("lat", col("lat").str.contains(_PLAIN_DECIMAL)),
        _empty_or("lon", col("lon").str.contains(_PLAIN_DECIMAL)),
        col("civil_status").is_in(["", *CIVIL_STATUS_CODES]).all(),
        _empty_or("civil_status_date", col("civil_status_date").str.contains(_ISO_DATE)),
        _empty_or("death_date", col("death_date").str.contains(_ISO_DATE)),
        col("digital_post_exempt").is_in(["", "0", "1"]).all(),
        col("address_protected").is_in(["", "0", "1"]).all(),
    ]
    checks += [
        col(name).str.len_chars().is_between(1, limit).all() for name, limit in CITIZEN_MAX_LENGTHS.items()
    ]
    if not _all(frame, checks):
        return False
    degrees = [
        col(name).replace("", None).cast(pl.Float64).abs().max().fill_null(0.0) for name in ("lat", "lon")
    ]
    if not _all(frame, [degrees[0] <= 90.0, degrees[1] <= 180.0]):
        return False
    spouses = frame.select(_birth_date_keys(col("spouse_cpr").filter(col("spouse_cpr") != "")))
    try:
        _birth_dates(spouses.to_series().to_numpy())  # a spouse's CPR number must hold a real date too
    except _NotRegular:
        return False
    return True


def _spouse_warnings(table: _Table, file: str) -> list[InputProblem]:
    """The row parser's warnings: a spouse who is the person, or is not in the file."""
    cpr, spouse = pl.col("cpr"), pl.col("spouse_cpr")
    frame = table.frame
    flagged = (
        frame.with_row_index("row")
        .filter((spouse != "") & ((spouse == cpr) | ~spouse.is_in(frame["cpr"].implode())))
        .select("row", "cpr", "spouse_cpr")
    )
    warnings: list[InputProblem] = []
    if flagged.height == 0:
        return warnings
    lines = table.line_numbers()
    for row, own, written in flagged.head(MAX_KEPT_PROBLEMS).iter_rows():
        why = SPOUSE_IS_SELF if written == own else SPOUSE_NOT_IN_FILE
        warnings.append(InputProblem(file, int(lines[row]), "spouse_cpr", written, why))
    return warnings


def _citizens(frame: pl.DataFrame, *, lean: bool = False) -> list[Any]:
    """The Citizen records of a frame that passed :func:`_citizens_valid`, in file order;
    :class:`_NotRegular` when a birth date in a CPR number or a date cell is no real date.

    ``lean`` records carry only what the eligibility engine reads: their name, street, postcode and city
    are empty, their coordinates None and their flags False (see :func:`read_part`)."""
    keys = frame.select(
        _birth_date_keys(pl.col("cpr")).alias("own"),
        (pl.col("cpr").str.slice(9, 1).cast(pl.UInt8) % 2).alias("odd"),
    )
    sexes = np.array([SEX_BY_LAST_DIGIT["0"], SEX_BY_LAST_DIGIT["1"]], dtype=object)

    def coordinate(name: str) -> list[float | None]:
        return frame[name].replace("", None).cast(pl.Float64).to_list()

    rows = frame.height
    columns: dict[str, list[Any]] = {
        "cpr": frame["cpr"].to_list(),
        "birth_date": _birth_dates(keys["own"].to_numpy()),
        "sex": sexes[keys["odd"].to_numpy()].tolist(),
        "address_id": frame["address_id"].to_list(),
        "civil_status": _objects(frame["civil_status"], _text_or_none),
        "civil_status_date": _objects(frame["civil_status_date"], _date_or_none),
        "spouse_cpr": frame["spouse_cpr"].replace("", None).to_list(),
        "death_date": _objects(frame["death_date"], _date_or_none),
    }
    if lean:
        columns.update(dict.fromkeys(("name", "street", "postcode", "city"), [""] * rows))
        columns.update(dict.fromkeys(("lat", "lon"), [None] * rows))
        columns.update(dict.fromkeys(("digital_post_exempt", "address_protected"), [False] * rows))
    else:
        columns.update(
            {
                "name": frame["name"].to_list(),
                "street": frame["street"].to_list(),
                "postcode": _objects(frame["postcode"]),
                "city": _objects(frame["city"]),
                "lat": coordinate("lat"),
                "lon": coordinate("lon"),
                "digital_post_exempt": (frame["digital_post_exempt"] == "1").to_list(),
                "address_protected": (frame["address_protected"] == "1").to_list(),
            }
        )
    return list(map(new_citizen, *(columns[name] for name in CITIZEN_FIELDS)))


# --------------------------------------------------------------------------------------------------
# events.csv
# --------------------------------------------------------------------------------------------------


def _events_valid(whole: pl.DataFrame, known: pl.Series, share: Share) -> bool:
    """The row parser's checks on the ``share`` of the rows of events.csv (True: none fails them); dates
    are checked when they are converted (:func:`_events`)."""
    col = pl.col
    return _all(
        _share_of(whole, share),
        [
            col("cpr").str.contains(_DIGITS10).all(),
            col("cpr").is_in(known.implode()).all(),
            col("kind").is_in(list(EVENT_KINDS)).all(),
            col("start").str.contains(_ISO_DATE).all(),
            _empty_or("end", col("end").str.contains(_ISO_DATE)),
            ((col("end") == "") | (col("end") >= col("start"))).all(),  # ISO dates order as text
        ],
    )


def _events(frame: pl.DataFrame) -> list[Any]:
    """The Event records of a frame that passed :func:`_events_valid`, in file order (or _NotRegular)."""
    columns: dict[str, list[Any]] = {
        "cpr": frame["cpr"].to_list(),
        "kind": _objects(frame["kind"]),
        "start": _objects(frame["start"], parse_date),
        "end": _objects(frame["end"], _date_or_none),
        "note": _objects(frame["note"]),
    }
    return list(map(new_event, *(columns[name] for name in EVENT_FIELDS)))


# --------------------------------------------------------------------------------------------------
# Both files
# --------------------------------------------------------------------------------------------------


def _tables(
    citizens_data: bytes, events_data: bytes | None, share: Share = WHOLE
) -> tuple[_Table, _Table | None] | None:
    """Both files as tables, when the ``share`` of their rows passes every check (else None)."""
    citizens = _read_table(citizens_data, CITIZEN_REQUIRED_COLUMNS, CITIZEN_OPTIONAL_COLUMNS, share)
    if citizens is None or not _citizens_valid(citizens.frame, share):
        return None
    if events_data is None:
        return citizens, None
    events = _read_table(events_data, EVENT_REQUIRED_COLUMNS, EVENT_OPTIONAL_COLUMNS, share)
    if events is None or not _events_valid(events.frame, citizens.frame["cpr"], share):
        return None
    return citizens, events


def _read(citizens_path: StrPath, events_path: StrPath | None) -> tuple[bytes, bytes | None] | None:
    try:
        with open(citizens_path, "rb") as stream:
            citizens_data = stream.read()
        events_data = None
        if events_path is not None:
            with open(events_path, "rb") as stream:
                events_data = stream.read()
    except OSError:
        return None
    return citizens_data, events_data


def parse_population(
    citizens_data: bytes,
    events_data: bytes | None = None,
    *,
    citizens_file: str = DEFAULT_CITIZENS_FILE,
) -> Population | None:
    """The population of two regular, valid files' bytes; None when the row parser must decide."""
    tables = _tables(citizens_data, events_data)
    if tables is None:
        return None
    citizens, events = tables
    try:
        return Population(
            citizens=tuple(_citizens(citizens.frame)),
            events=tuple(_events(events.frame)) if events is not None else (),
            warnings=tuple(_spouse_warnings(citizens, citizens_file)),
        )
    except (_NotRegular, pl.exceptions.PolarsError):
        return None


def read_population(citizens_path: StrPath, events_path: StrPath | None = None) -> Population | None:
    """The population of two regular, valid files; None when the row parser must decide (including a file
    that cannot be read: the row parser says why)."""
    data = _read(citizens_path, events_path)
    if data is None:
        return None
    return parse_population(*data, citizens_file=os.fspath(citizens_path))


# Parts of the population, for evaluating a large extract in several processes
# --------------------------------------------------------------------------------------------------


def buckets_of(address_ids: pl.Series, buckets: int) -> pl.Series:
    """The bucket (0 to ``buckets`` - 1) of each address id."""
    return (address_ids.hash(seed=0) % buckets).cast(pl.Int64)


@dataclass(frozen=True, slots=True)
class PopulationPart:
    """The population of one part (see :func:`read_part`), without warnings."""

    population: Population
    #: CPR numbers of citizens of other parts, included for their death date only: give them no rows.
    ghost_cprs: frozenset[str]


def read_part(
    citizens_path: StrPath,
    events_path: StrPath | None,
    part: range,
    buckets: int,
    share: Share,
    kinds: AbstractSet[str] | None = None,
) -> PopulationPart | None:
    """The part of the population whose addresses fall in the buckets ``part`` of ``range(buckets)``, so
    that every household is whole in one part, plus what its evaluation needs from elsewhere: every citizen
    of another part with a death date (a "ghost": a spouse's death derives a bereavement wherever the
    spouse lived), and the events of the part's citizens and of the spouses they name.

    Made for processes that share the work of reading a large extract: each reads both files whole and
    checks the ``share`` of their rows (whichever part they fall in) and the values of its own part's
    records. None when what it checked needs the row parser. Only when every process of a split gets a
    part (every share checked, every record converted) are the files regular and valid, and their parts
    what the row parser would give; the parts of disjoint ranges hold every citizen once (ghosts aside).
    The records are lean (name, address text and coordinates left empty: the engine does not read them),
    with ``kinds``, only the events of those kinds are kept (the others are checked all the same), and the
    part carries no warnings.
    """
    data = _read(citizens_path, events_path)
    tables = None if data is None else _tables(*data, share)
    if tables is None:
        return None
    citizens, events = tables
    frame = citizens.frame
    in_part = buckets_of(frame["address_id"], buckets).is_between(part.start, part.stop - 1)
    ghost = ~in_part & (frame["death_date"] != "")
    chosen = frame.filter(in_part | ghost)
    event_part = None
    if events is not None:
        named = chosen["spouse_cpr"].filter(chosen["spouse_cpr"] != "")
        wanted = pl.concat([frame.filter(in_part)["cpr"], named])
        about = events.frame["cpr"].is_in(wanted.implode())
        if kinds is not None:
            about &= events.frame["kind"].is_in(list(kinds))
        event_part = events.frame.filter(about)
    try:
        population = Population(
            citizens=tuple(_citizens(chosen, lean=True)),
            events=tuple(_events(event_part)) if event_part is not None else (),
        )
    except (_NotRegular, pl.exceptions.PolarsError):  # a value the conversion cannot take
        return None
    return PopulationPart(population, frozenset(frame.filter(ghost)["cpr"].to_list()))
