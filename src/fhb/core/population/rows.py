"""The row-by-row parser of ``citizens.csv`` and ``events.csv`` (formats: docs/contract.md): the reference.

It checks every row in Python and says what is wrong, where and why: every problem of a file is collected in
its :class:`~fhb.core.population.problems.Problems` (file, 1-based line with the header as line 1, column,
value, a Danish reason). Warnings that do not stop an import (a ``spouse_cpr`` that points to nobody in the
file) are returned.

Accepted: ``,`` or ``;`` as separator (:mod:`fhb.core.population.header`); whitespace around cells;
unknown extra columns (ignored); columns in any order; a CPR number with a hyphen; a lower-case code; a
decimal comma in ``lat``/``lon``; empty lines. Derived facts (a bereavement from ``civil_status`` E/L)
are not added here: the parser returns the files as they are. A name or address longer than the database
stores (:data:`~fhb.core.population.columns.CITIZEN_MAX_LENGTHS`) is a problem of its row, not a
database error half-way through an import.

A national extract has 1.5 million rows, nearly all of them plain: a CPR number of 10 digits, dates and
birth dates seen before, decimal degrees with a point, codes in capitals, flags 0 or 1. The loop over the
rows takes a plain cell with a test or a lookup and hands any other to the function of its column, which
rewrites it (a hyphen, a decimal comma, a lower-case code) or reports why it is wrong: a plain row calls
none of them, only the constructor of its record (:mod:`fhb.core.population.records`).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import operator
from collections.abc import Callable, Generator, Iterable, Iterator
from collections.abc import Set as AbstractSet
from datetime import date

from fhb.core.cpr import normalise_cpr
from fhb.core.population.columns import (
    CITIZEN_COLUMNS,
    CITIZEN_MAX_LENGTHS,
    CITIZEN_OPTIONAL_COLUMNS,
    CITIZEN_REQUIRED_COLUMNS,
    EVENT_COLUMNS,
    EVENT_OPTIONAL_COLUMNS,
    EVENT_REQUIRED_COLUMNS,
)
from fhb.core.population.header import Table, open_table
from fhb.core.population.model import CIVIL_STATUS_CODES, EVENT_KINDS, Citizen, Event, InputProblem
from fhb.core.population.problems import Problems
from fhb.core.population.records import new_citizen, new_event
from fhb.core.population.values import (
    BIRTH_DATES,
    DATES,
    SEX_BY_LAST_DIGIT,
    birth_date,
    parse_coordinate,
    parse_date,
)

__all__ = [
    "SPOUSE_IS_SELF",
    "SPOUSE_NOT_IN_FILE",
    "CitizensResult",
    "parse_citizen_lines",
    "parse_event_lines",
]

#: Citizens, warnings and the set of CPR numbers in the file.
CitizensResult = tuple[list[Citizen], list[InputProblem], set[str]]
#: The CPR numbers of citizens.csv, which every row of events.csv must name; None: not known (the rows'
#: CPR numbers must then hold a real birth date).
KnownCprs = AbstractSet[str] | None

#: The warnings about a ``spouse_cpr`` (they do not stop an import).
SPOUSE_IS_SELF = "Ægtefællens CPR-nummer er personens eget"
SPOUSE_NOT_IN_FILE = "Ægtefællen findes ikke i filen (advarsel)"

_CIVIL_STATUS_HELP = ", ".join(f"{code} ({meaning})" for code, meaning in CIVIL_STATUS_CODES.items())
_EVENT_KINDS_HELP = ", ".join(EVENT_KINDS)
#: What a flag cell may hold (``1`` is true).
_FLAGS = frozenset({"", "0", "1"})
#: The required text cells, each with the longest text it may hold, in the contract's order.
_TEXT_LIMITS = tuple((c, CITIZEN_MAX_LENGTHS[c]) for c in CITIZEN_REQUIRED_COLUMNS if c != "cpr")


@contextlib.contextmanager
def _bulk_allocation() -> Generator[None, None, None]:
    """Pause the cyclic garbage collector while a file is parsed.

    Parsing allocates millions of small acyclic objects; each allocation burst would otherwise set off
    collections that walk the ever-growing list of citizens (a third of the parse time at 1.5 million
    rows). Nothing the parser builds forms a cycle, so reference counting frees it all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------------------------------
# Any file
# --------------------------------------------------------------------------------------------------


def _read_rows(
    lines: Iterable[str],
    problems: Problems,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    read: Callable[[Table], None],
) -> None:
    """Read the header, then the rows with ``read``; a row the csv module cannot split ends the file."""
    table = open_table(lines, problems, required, optional)
    if table is not None:
        try:
            read(table)
        except csv.Error as error:
            problems.add(table.reader.line_num, "", "", f"Filen kan ikke læses som CSV: {error}")


def _rows_of(table: Table, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """Each row of the header's width with its line number (the header is line 1) and one more cell, the
    empty one of every absent optional column; a row of another width is a problem unless it is blank."""
    reader, width = table.reader, table.width
    last_line = reader.line_num
    for row in reader:
        line = last_line + 1
        last_line = reader.line_num
        if len(row) == width:
            row.append("")
            yield line, row
        elif any(map(str.strip, row)):
            problems.add(
                line,
                "",
                "",
                f"Rækken har {len(row)} felter, men overskriften har {width}; "
                "tjek skilletegn og anførselstegn i rækken",
            )


def _normalised_cpr(problems: Problems, line: int, column: str, text: str, why: str = "") -> str | None:
    """A CPR number as 10 digits, or None with a problem (``why`` before the reason)."""
    if not text:
        problems.add(line, column, "", "CPR-nummer skal udfyldes")
        return None
    try:
        return normalise_cpr(text)
    except ValueError as error:
        problems.add(line, column, text, f"{why}{error}")
        return None


def _checked_cpr(problems: Problems, line: int, column: str, text: str, why: str = "") -> str | None:
    """A CPR number the loop could not take as it is: as 10 digits with a real birth date (which is then
    in :data:`BIRTH_DATES`), or None with a problem (``why`` before the reason)."""
    cpr = _normalised_cpr(problems, line, column, text, why)
    if cpr is not None:
        try:
            birth_date(cpr)
        except ValueError as error:
            problems.add(line, column, text, f"{why}{error}")
            return None
    return cpr


def _checked_date(problems: Problems, line: int, column: str, text: str) -> date | None:
    """A date not seen before: the date, or None with a problem."""
    try:
        return parse_date(text)
    except ValueError as error:
        problems.add(line, column, text, str(error))
        return None


# --------------------------------------------------------------------------------------------------
# citizens.csv
# --------------------------------------------------------------------------------------------------


class _Citizens:
    """What the rows of citizens.csv give: the records, every well-formed CPR number with its line (for
    the duplicates), and each spouse named (line, own CPR number, the spouse's as written and normalised).
    """

    __slots__ = ("citizens", "cpr_lines", "cprs", "spouses")

    def __init__(self) -> None:
        self.citizens: list[Citizen] = []
        self.cprs: list[str] = []
        self.cpr_lines: list[int] = []
        self.spouses: list[tuple[int, str, str, str]] = []


def parse_citizen_lines(lines: Iterable[str], problems: Problems) -> CitizensResult:
    """Parse citizens.csv; returns citizens, warnings and the set of CPR numbers in the file."""
    found = _Citizens()

    def read(table: Table) -> None:
        _read_citizen_rows(table, problems, found)

    with _bulk_allocation():
        _read_rows(lines, problems, CITIZEN_REQUIRED_COLUMNS, CITIZEN_OPTIONAL_COLUMNS, read)
        return _across_rows(found, problems)


def _read_citizen_rows(table: Table, problems: Problems, found: _Citizens) -> None:
    """Check and convert each row: a plain cell here, any other by the function of its column. A row that
    added no problem becomes a record."""
    # One C call picks the cells in the contract's order (absent optional columns: the padding cell).
    pick = operator.itemgetter(*(table.positions[name] for name in CITIZEN_COLUMNS))
    strip = str.strip
    add_citizen, new = found.citizens.append, new_citizen
    add_cpr, add_cpr_line, add_spouse = found.cprs.append, found.cpr_lines.append, found.spouses.append
    sex_by_digit, status_codes, flags = SEX_BY_LAST_DIGIT, CIVIL_STATUS_CODES, _FLAGS
    cached_date = DATES.get
    cached_birth = BIRTH_DATES.get  # None when not yet seen or not a date: _checked_cpr decides then
    max_name, max_address_id, max_street, max_postcode, max_city = (limit for _, limit in _TEXT_LIMITS)
    for line, row in _rows_of(table, problems):
        (cpr, name, address_id, street, postcode, city, lat_text, lon_text, status, status_date_text,
         spouse_text, death_text, paper, protected) = map(strip, pick(row))  # fmt: skip
        problems_before = problems.count

        birth = cached_birth(cpr[:7])
        if birth is None or len(cpr) != 10 or not (cpr.isascii() and cpr.isdigit()):
            if not cpr and not any(map(strip, row)):
                continue  # an empty line (";;;;" from a spreadsheet)
            cpr = _checked_cpr(problems, line, "cpr", cpr) or ""
            birth = cached_birth(cpr[:7])
        if birth is not None:  # duplicates are looked for after the loop (a set in C beats a dict per row)
            add_cpr(cpr)
            add_cpr_line(line)

        if not (name and address_id and street and postcode and city) or (
            len(name) > max_name
            or len(street) > max_street
            or len(address_id) > max_address_id
            or len(city) > max_city
            or len(postcode) > max_postcode
        ):
            _text_problems(problems, line, (name, address_id, street, postcode, city))

        lat = lon = None
        try:  # plain degrees: numbers in range, without the "_" that float() also takes
            if lat_text:
                lat = float(lat_text)
                if not -90.0 <= lat <= 90.0 or "_" in lat_text:
                    raise ValueError(lat_text)
            if lon_text:
                lon = float(lon_text)
                if not -180.0 <= lon <= 180.0 or "_" in lon_text:
                    raise ValueError(lon_text)
        except ValueError:
            lat, lon = _checked_coordinates(problems, line, lat_text, lon_text)

        if status and status not in status_codes:
            status = _checked_civil_status(problems, line, status) or ""
        status_date = death = None  # dates seen before are looked up (a date is never false)
        if status_date_text:
            status_date = cached_date(status_date_text) or _checked_date(
                problems, line, "civil_status_date", status_date_text
            )
        if death_text:
            death = cached_date(death_text) or _checked_date(problems, line, "death_date", death_text)

        spouse = spouse_text or None
        if spouse is not None:
            if (
                cached_birth(spouse[:7]) is None
                or len(spouse) != 10
                or not (spouse.isascii() and spouse.isdigit())
            ):
                spouse = _checked_cpr(problems, line, "spouse_cpr", spouse, "Ægtefællens CPR-nummer: ")
            if spouse is not None:
                add_spouse((line, cpr, spouse_text, spouse))

        if paper not in flags or protected not in flags:
            _flag_problems(problems, line, paper, protected)

        if problems.count == problems_before:
            add_citizen(new(
                cpr, name, birth, sex_by_digit[cpr[9]], address_id, street, postcode, city, lat, lon,
                status or None, status_date, spouse, death, paper == "1", protected == "1",
            ))  # fmt: skip


def _text_problems(problems: Problems, line: int, texts: tuple[str, ...]) -> None:
    """The problems of the required text cells (name, address_id, street, postcode, city): empty, or
    longer than the database stores."""
    for (column, _), value in zip(_TEXT_LIMITS, texts, strict=True):
        if not value:
            problems.add(line, column, "", f"Feltet {column} skal udfyldes")
    for (column, limit), value in zip(_TEXT_LIMITS, texts, strict=True):
        if len(value) > limit:
            shown = value if len(value) <= 60 else value[:57] + "..."
            problems.add(
                line, column, shown, f"Feltet {column} er for langt: {len(value)} tegn, højst {limit}"
            )


def _checked_coordinates(
    problems: Problems, line: int, lat_text: str, lon_text: str
) -> tuple[float | None, float | None]:
    """Coordinates not both plain degrees: the degrees (a decimal comma is accepted), None where empty or
    wrong (with a problem)."""
    degrees: list[float | None] = []
    for column, text, limit, label in (
        ("lat", lat_text, 90.0, "Breddegrad"),
        ("lon", lon_text, 180.0, "Længdegrad"),
    ):
        value = None
        if text:
            try:
                value = parse_coordinate(text, limit)
            except ValueError as error:
                problems.add(line, column, text, f"{label}: {error}")
        degrees.append(value)
    return degrees[0], degrees[1]


def _checked_civil_status(problems: Problems, line: int, text: str) -> str | None:
    """A civil status not written as a code: the code in capitals, or None with a problem."""
    upper = text.upper()
    if upper in CIVIL_STATUS_CODES:
        return upper
    problems.add(line, "civil_status", text, f"Ukendt civilstand; gyldige koder: {_CIVIL_STATUS_HELP}")
    return None


def _flag_problems(problems: Problems, line: int, paper: str, protected: str) -> None:
    """The problems of the flags (``digital_post_exempt``, ``address_protected``) that are not 0 or 1."""
    for column, text in (("digital_post_exempt", paper), ("address_protected", protected)):
        if text not in _FLAGS:
            problems.add(line, column, text, "Skal være tom, 0 eller 1")


def _across_rows(found: _Citizens, problems: Problems) -> CitizensResult:
    """The checks across the rows (a CPR number twice, no citizen at all) and the warnings about spouses:
    citizens, warnings and the set of CPR numbers in the file."""
    known = set(found.cprs)
    if len(known) != len(found.cprs):
        _report_duplicates(problems, found.cprs, found.cpr_lines)
    if not problems.count and not found.citizens:
        problems.add(0, "", "", "Filen indeholder ingen borgere, kun overskriftsrækken")
    warnings = Problems(problems.file)
    for line, own, written, spouse_cpr in found.spouses:
        if spouse_cpr == own:
            warnings.add(line, "spouse_cpr", written, SPOUSE_IS_SELF)
        elif spouse_cpr not in known:
            warnings.add(line, "spouse_cpr", written, SPOUSE_NOT_IN_FILE)
    return found.citizens, warnings.items, known


def _report_duplicates(problems: Problems, cprs: list[str], lines: list[int]) -> None:
    """Add a problem for every repeated CPR number (naming its first line) and keep line order."""
    first_line: dict[str, int] = {}
    for cpr, line in zip(cprs, lines, strict=True):
        earlier = first_line.setdefault(cpr, line)
        if earlier != line:
            problems.add(line, "cpr", cpr, f"CPR-nummeret står to gange: første gang i række {earlier}")
    problems.items.sort(key=lambda problem: problem.row)


# --------------------------------------------------------------------------------------------------
# events.csv
# --------------------------------------------------------------------------------------------------


def parse_event_lines(
    lines: Iterable[str],
    problems: Problems,
    known_cprs: KnownCprs,
    citizens_file: str,
) -> list[Event]:
    """Parse events.csv. With ``known_cprs``, a row about a CPR number not in that set is an error (naming
    ``citizens_file``); without, the CPR numbers must hold a real birth date."""
    events: list[Event] = []

    def read(table: Table) -> None:
        _read_event_rows(table, problems, events, known_cprs, citizens_file)

    with _bulk_allocation():
        _read_rows(lines, problems, EVENT_REQUIRED_COLUMNS, EVENT_OPTIONAL_COLUMNS, read)
    return events


def _read_event_rows(
    table: Table,
    problems: Problems,
    events: list[Event],
    known_cprs: KnownCprs,
    citizens_file: str,
) -> None:
    """Check and convert each row: a plain cell here, any other by the function of its column."""
    pick = operator.itemgetter(*(table.positions[name] for name in EVENT_COLUMNS))
    strip = str.strip
    add_event, new = events.append, new_event
    kinds = EVENT_KINDS
    cached_date = DATES.get
    cached_birth = BIRTH_DATES.get
    for line, row in _rows_of(table, problems):
        cpr, kind, start_text, end_text, note = map(strip, pick(row))  # EVENT_COLUMNS
        problems_before = problems.count

        if not (
            len(cpr) == 10
            and cpr.isascii()
            and cpr.isdigit()
            and (cpr in known_cprs if known_cprs is not None else cached_birth(cpr[:7]) is not None)
        ):
            if not cpr and not any(map(strip, row)):
                continue  # an empty line
            cpr = _known_cpr(problems, line, cpr, known_cprs, citizens_file) or ""

        if kind not in kinds:
            kind = _checked_kind(problems, line, kind) or ""
        start = cached_date(start_text) or _checked_start(problems, line, start_text)  # a date is never false
        end = None
        if end_text:
            end = cached_date(end_text) or _checked_date(problems, line, "end", end_text)
            if end is not None and start is not None and end < start:
                problems.add(
                    line, "end", end_text, f"Slutdatoen ligger før startdatoen ({start.isoformat()})"
                )

        if problems.count == problems_before:
            add_event(new(cpr, kind, start, end, note))


def _known_cpr(
    problems: Problems, line: int, text: str, known_cprs: KnownCprs, citizens_file: str
) -> str | None:
    """A CPR number the loop could not take as it is: as 10 digits and in ``known_cprs`` (without them:
    with a real birth date), or None with a problem."""
    if known_cprs is None:
        return _checked_cpr(problems, line, "cpr", text)
    cpr = _normalised_cpr(problems, line, "cpr", text)
    if cpr is not None and cpr not in known_cprs:
        problems.add(line, "cpr", text, f"CPR-nummeret findes ikke i {citizens_file}")
        return None
    return cpr


def _checked_kind(problems: Problems, line: int, text: str) -> str | None:
    """A kind not written as one of the contract's: the kind in lower case, or None with a problem."""
    lower = text.lower()
    if lower in EVENT_KINDS:
        return lower
    why = "Feltet kind skal udfyldes" if not text else "Ukendt slags hændelse (kind)"
    problems.add(line, "kind", text, f"{why}; gyldige: {_EVENT_KINDS_HELP}")
    return None


def _checked_start(problems: Problems, line: int, text: str) -> date | None:
    """A start not seen before: the date, or None with a problem (it is required)."""
    if not text:
        problems.add(line, "start", "", "Feltet start skal udfyldes (ÅÅÅÅ-MM-DD)")
        return None
    return _checked_date(problems, line, "start", text)
