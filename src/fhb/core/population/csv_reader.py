"""Parser of the two input files, ``citizens.csv`` and ``events.csv`` (formats: shared/contract/README.md).

Pure: no Django, no clock, no I/O beyond reading the files it is given. All-or-nothing: every problem in
a file is collected (file, 1-based line with the header as line 1, column, value, a Danish reason) and
:class:`~fhb.core.population.model.InvalidInput` is raised with the first 100 when there is any error.
Warnings that do not stop an import (a ``spouse_cpr`` that points to nobody in the file) are returned.

Accepted: UTF-8 with or without BOM; ``,`` or ``;`` as separator (sniffed from the header line, as Danish
Excel writes ``;``); CRLF, LF or CR line ends; whitespace around cells; unknown extra columns (ignored);
columns in any order; a decimal comma in ``lat``/``lon``; empty lines. Derived facts (a bereavement from
``civil_status`` E/L) are not added here: the parser returns the files as they are. A name or address
longer than the database stores (:data:`CITIZEN_MAX_LENGTHS`) is a problem of its row, not a database
error half-way through an import.

Each input comes in three forms: ``read_*(path)`` streams a file, ``parse_*_bytes(data, filename)`` takes
an upload's bytes and ``parse_*_text(text, filename)`` an already decoded string.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import gc
import io
import itertools
import operator
import os
import types
from collections.abc import Callable, Generator, Iterable, Iterator
from collections.abc import Set as AbstractSet
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, cast

from fhb.core.cpr import _BIRTH_DATES, birth_date_of, normalise_cpr
from fhb.core.population.model import (
    CIVIL_STATUS_CODES,
    EVENT_KINDS,
    Citizen,
    Event,
    InputProblem,
    InvalidInput,
    Population,
    Sex,
)

__all__ = [
    "CITIZEN_OPTIONAL_COLUMNS",
    "CITIZEN_REQUIRED_COLUMNS",
    "EVENT_OPTIONAL_COLUMNS",
    "EVENT_REQUIRED_COLUMNS",
    "MAX_REPORTED_PROBLEMS",
    "parse_citizens_bytes",
    "parse_citizens_text",
    "parse_events_bytes",
    "parse_events_text",
    "parse_population_bytes",
    "read_citizens",
    "read_events",
    "read_population",
]

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

StrPath = str | os.PathLike[str]
T = TypeVar("T")


CITIZEN_REQUIRED_COLUMNS: tuple[str, ...] = ("cpr", "name", "address_id", "street", "postcode", "city")
CITIZEN_OPTIONAL_COLUMNS: tuple[str, ...] = (
    "lat",
    "lon",
    "civil_status",
    "civil_status_date",
    "spouse_cpr",
    "death_date",
    "digital_post_exempt",
    "address_protected",
)
#: The longest text each of these cells may hold: the lengths of the database columns (fhb.citizens.models;
#: tests/web/test_hostile_input.py checks that they agree).
CITIZEN_MAX_LENGTHS: dict[str, int] = {
    "name": 200,
    "address_id": 100,
    "street": 200,
    "postcode": 10,
    "city": 100,
}
EVENT_REQUIRED_COLUMNS: tuple[str, ...] = ("cpr", "kind", "start")
EVENT_OPTIONAL_COLUMNS: tuple[str, ...] = ("end", "note")

#: How many problems an InvalidInput carries; more are counted and flagged as truncated.
MAX_REPORTED_PROBLEMS = 100
#: Problems kept in memory while parsing (a wholly broken 1.5-million-row file must not eat the RAM).
_MAX_KEPT_PROBLEMS = 10_000

_DEFAULT_CITIZENS_FILE = "citizens.csv"
_DEFAULT_EVENTS_FILE = "events.csv"

_CIVIL_STATUS_HELP = ", ".join(f"{code} ({meaning})" for code, meaning in CIVIL_STATUS_CODES.items())
_EVENT_KINDS_HELP = ", ".join(EVENT_KINDS)
_SEX_BY_LAST_DIGIT: dict[str, Sex] = {d: ("M" if int(d) % 2 else "F") for d in "0123456789"}


# --------------------------------------------------------------------------------------------------
# Fast record construction
# --------------------------------------------------------------------------------------------------


def _fast_constructor(cls: type[T], names: tuple[str, ...]) -> Callable[..., T]:
    """A positional constructor for a frozen, slotted dataclass that fills the slots directly.

    The generated ``__init__`` of a frozen dataclass goes through ``object.__setattr__`` for every
    field, which costs ~4 µs for a Citizen. Here the record is made as an instance of a plain twin class
    with the same slots (plain attribute stores, which the interpreter specialises), then given its real
    class: ~0.55 µs for a Citizen, and equal objects of the real class. Where the twin cannot take the
    real class, the slot descriptors are set one by one (~1.2 µs). Used only when the class has exactly
    the fields ``names`` as plain slots and no ``__post_init__``; otherwise the class is called with
    keywords.
    """
    fields = tuple(f.name for f in dataclasses.fields(cast(Any, cls)))
    slots_ok = all(isinstance(cls.__dict__.get(n), types.MemberDescriptorType) for n in names)
    if fields != names or not slots_ok or hasattr(cls, "__post_init__"):

        def by_keywords(*values: Any) -> T:
            return cls(**dict(zip(names, values, strict=True)))

        return by_keywords
    # names are dataclass field names, i.e. identifiers: nothing is injected into the generated code
    arguments = ", ".join(names)
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": cls.__dict__.get("__slots__", ())})
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_twin": twin}
    body = ["    o = _new(_twin)", *(f"    o.{name} = {name}" for name in names), "    o.__class__ = _cls"]
    exec(f"def make({arguments}):\n" + "\n".join(body) + "\n    return o\n", namespace)
    make = cast(Callable[..., T], namespace["make"])
    try:
        probe = make(*range(len(names)))
        if type(probe) is cls and all(getattr(probe, n) == i for i, n in enumerate(names)):
            return make
    except TypeError:  # the layouts differ (e.g. another base class): set the descriptors instead
        pass
    namespace = {"_new": object.__new__, "_cls": cls}
    body = ["    o = _new(_cls)"]
    for i, name in enumerate(names):
        namespace[f"_set{i}"] = cls.__dict__[name].__set__
        body.append(f"    _set{i}(o, {name})")
    exec(f"def make({arguments}):\n" + "\n".join(body) + "\n    return o\n", namespace)
    return cast(Callable[..., T], namespace["make"])


_CITIZEN_FIELDS = (
    "cpr",
    "name",
    "birth_date",
    "sex",
    "address_id",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "civil_status",
    "civil_status_date",
    "spouse_cpr",
    "death_date",
    "digital_post_exempt",
    "address_protected",
)
_EVENT_FIELDS = ("cpr", "kind", "start", "end", "note")
_new_citizen: Callable[..., Citizen] = _fast_constructor(Citizen, _CITIZEN_FIELDS)
_new_event: Callable[..., Event] = _fast_constructor(Event, _EVENT_FIELDS)


# --------------------------------------------------------------------------------------------------
# Problems and cells
# --------------------------------------------------------------------------------------------------


class _Problems:
    """Collects the problems of one file (keeps the first few thousand, counts all)."""

    __slots__ = ("count", "file", "items")

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[InputProblem] = []
        self.count = 0

    def add(self, row: int, column: str, value: str, why: str) -> None:
        self.count += 1
        if len(self.items) < _MAX_KEPT_PROBLEMS:
            self.items.append(InputProblem(self.file, row, column, value, why))

    def clear(self) -> None:
        self.items.clear()
        self.count = 0


def _raise_if_any(*collected: _Problems) -> None:
    items = [p for c in collected for p in c.items]
    count = sum(c.count for c in collected)
    if count:
        raise InvalidInput(items[:MAX_REPORTED_PROBLEMS], truncated=count > MAX_REPORTED_PROBLEMS)


_DATES: dict[str, date] = {}
_DATE_CACHE_LIMIT = 200_000


def _parse_date(text: str) -> date:
    """An ISO ``YYYY-MM-DD`` date; ValueError with a Danish reason otherwise (memoised)."""
    found = _DATES.get(text)
    if found is not None:
        return found
    if not (len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii()):
        raise ValueError("Datoen skal skrives ÅÅÅÅ-MM-DD, fx 2025-03-01")
    digits = text[:4] + text[5:7] + text[8:]
    if not digits.isdigit():
        raise ValueError("Datoen skal skrives ÅÅÅÅ-MM-DD med cifre, fx 2025-03-01")
    try:
        parsed = date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        raise ValueError("Datoen findes ikke i kalenderen") from None
    if len(_DATES) >= _DATE_CACHE_LIMIT:
        _DATES.clear()
    _DATES[text] = parsed
    return parsed


def _parse_coordinate(text: str, limit: float) -> float:
    """A WGS84 degree within ±limit; a decimal comma is accepted. ValueError with a Danish reason."""
    candidate = text
    if "," in candidate and "." not in candidate:
        candidate = candidate.replace(",", ".", 1)
    if "_" in candidate:
        raise ValueError(f"Skal være et tal mellem -{limit:g} og {limit:g} (grader, WGS84)")
    try:
        value = float(candidate)
    except ValueError:
        raise ValueError(f"Skal være et tal mellem -{limit:g} og {limit:g} (grader, WGS84)") from None
    if not -limit <= value <= limit:  # also false for nan
        raise ValueError(f"Tallet ligger uden for området -{limit:g} til {limit:g} (grader, WGS84)")
    return value


def _utf8_problem(data: bytes, filename: str) -> InputProblem | None:
    """The problem describing the first byte that is not UTF-8, or None when ``data`` is valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _utf8_problem_at(data, error.start, filename)
    return None


def _utf8_problem_at(data: bytes, start: int, filename: str) -> InputProblem:
    prefix = data[:start]
    line = prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n") + 1
    bad = data[start : start + 1]
    guess = bad.decode("cp1252", errors="replace")
    hint = f" (i Windows-1252/Latin-1 ville det være tegnet {guess!r})" if guess.isprintable() else ""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        hint = " (filen ser ud til at være gemt som UTF-16/Unicode-tekst)"
    why = (
        f"Filen er ikke gyldig UTF-8: byte nr. {start} (0x{bad.hex()}){hint} kan ikke læses. "
        "Gem filen som »CSV UTF-8« (i Excel: Gem som → CSV UTF-8 (kommasepareret))"
    )
    return InputProblem(filename, line, "", "", why)


def _decode(data: bytes, problems: _Problems) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = _utf8_problem_at(data, error.start, problems.file)
        problems.add(problem.row, problem.column, problem.value, problem.why)
        return None
    return _strip_bom(text)


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _text_lines(text: str, problems: _Problems) -> Iterator[str]:
    lines = iter(io.StringIO(_strip_bom(text), newline=""))
    return _without_nul(lines, problems) if "\x00" in text else lines


def _without_nul(lines: Iterable[str], problems: _Problems) -> Iterator[str]:
    """Report NUL characters (a database cannot store them; often a UTF-16 file) and drop them."""
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            problems.add(
                number,
                "",
                "",
                "Rækken indeholder NUL-tegn (\\x00); er filen gemt som UTF-16/Unicode-tekst? "
                "Gem den som »CSV UTF-8«",
            )
            line = line.replace("\x00", "")
        yield line


def _from_path(path: StrPath, problems: _Problems, parse: Callable[[Iterable[str]], T]) -> T | None:
    """Run ``parse`` over the lines of a file; turns unreadable or non-UTF-8 files into problems."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            return parse(_without_nul(stream, problems))
    except UnicodeDecodeError:
        problems.clear()  # whatever was found before the bad byte is noise next to a wrong encoding
        try:
            with open(path, "rb") as raw:
                problem = _utf8_problem(raw.read(), problems.file)
        except OSError as error:
            problems.add(0, "", "", f"Filen kan ikke læses: {error.strerror or error}")
            return None
        if problem is None:  # pragma: no cover - the decoder just said otherwise
            problems.add(0, "", "", "Filen er ikke gyldig UTF-8")
        else:
            problems.add(problem.row, problem.column, problem.value, problem.why)
    except OSError as error:
        problems.add(0, "", "", f"Filen kan ikke læses: {error.strerror or error}")
    return None


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
# Header
# --------------------------------------------------------------------------------------------------


def _open_table(
    lines: Iterable[str],
    problems: _Problems,
    required: tuple[str, ...],
    optional: tuple[str, ...],
) -> tuple[_CsvReader, dict[str, int], int] | None:
    """Read the header: returns the row reader, the column indices and the column count.

    Absent optional columns get the index ``column count``: rows are padded with one empty cell there.
    Returns None (with the problems recorded) when the file is empty or the header is unusable.
    """
    it = iter(lines)
    first = next(it, None)
    if first is None or not first.strip():
        if first is None or not any(line.strip() for line in it):
            problems.add(0, "", "", "Filen er tom: den skal have en overskriftsrække med kolonnenavne")
        else:
            problems.add(1, "", "", "Første række er tom: den skal være overskriften med kolonnenavnene")
        return None
    separator = ";" if first.count(";") > first.count(",") else ","
    source = itertools.chain((first,), it)
    reader = csv.reader(source, delimiter=separator)
    try:
        header = next(reader, [])
    except csv.Error as error:
        problems.add(1, "", "", f"Overskriften kan ikke læses som CSV: {error}")
        return None
    names = [cell.strip().lstrip("\ufeff").strip().lower() for cell in header]
    known = set(required) | set(optional)
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        if name not in known:
            continue
        if name in index:
            problems.add(
                1,
                name,
                "",
                f"Kolonnen står flere gange i overskriften (felt {index[name] + 1} og {position + 1})",
            )
        else:
            index[name] = position
    missing = [name for name in required if name not in index]
    if missing:
        found = ", ".join(n for n in names if n) or "ingen"
        if len(found) > 200:
            found = found[:200] + " …"
        plural = "Påkrævede kolonner mangler" if len(missing) > 1 else "Påkrævet kolonne mangler"
        problems.add(
            1,
            ", ".join(missing),
            "",
            f"{plural}: {', '.join(missing)}. Overskriften har: {found} (skilletegn {separator!r})",
        )
    if problems.count:
        return None
    width = len(header)
    for name in optional:
        index.setdefault(name, width)
    return reader, index, width


def _too_long_problems(
    problems: _Problems, line: int, name: str, address_id: str, street: str, postcode: str, city: str
) -> None:
    cells = {"name": name, "address_id": address_id, "street": street, "postcode": postcode, "city": city}
    for column, value in cells.items():
        limit = CITIZEN_MAX_LENGTHS[column]
        if len(value) > limit:
            shown = value if len(value) <= 60 else value[:57] + "..."
            problems.add(
                line, column, shown, f"Feltet {column} er for langt: {len(value)} tegn, højst {limit}"
            )


def _row_length_problem(problems: _Problems, line: int, cells: list[str], width: int) -> None:
    problems.add(
        line,
        "",
        "",
        f"Rækken har {len(cells)} felter, men overskriften har {width}; "
        "tjek skilletegn og anførselstegn i rækken",
    )


# --------------------------------------------------------------------------------------------------
# citizens.csv
# --------------------------------------------------------------------------------------------------

#: The cells the citizens parser reads, in the order it unpacks them.
_CITIZEN_CELL_ORDER = (
    "cpr",
    "name",
    "address_id",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "civil_status",
    "civil_status_date",
    "spouse_cpr",
    "death_date",
    "digital_post_exempt",
    "address_protected",
)
_CitizensResult = tuple[list[Citizen], list[InputProblem], set[str]]


def _parse_citizen_lines(lines: Iterable[str], problems: _Problems) -> _CitizensResult:
    """Parse citizens.csv; returns citizens, warnings and the set of CPR numbers in the file."""
    with _bulk_allocation():
        return _parse_citizen_rows(lines, problems)


def _parse_citizen_rows(lines: Iterable[str], problems: _Problems) -> _CitizensResult:
    citizens: list[Citizen] = []
    warnings = _Problems(problems.file)
    cprs: list[str] = []  # every well-formed CPR number, with its line in ``cpr_lines``
    cpr_lines: list[int] = []
    table = _open_table(lines, problems, CITIZEN_REQUIRED_COLUMNS, CITIZEN_OPTIONAL_COLUMNS)
    if table is None:
        return citizens, warnings.items, set()
    reader, ix, width = table
    # One C call picks the used cells in this order (absent optional columns: the padding cell).
    pick = operator.itemgetter(*(ix[name] for name in _CITIZEN_CELL_ORDER))

    add = problems.add
    strip = str.strip
    new_citizen = _new_citizen
    sex_by_digit = _SEX_BY_LAST_DIGIT
    status_codes = CIVIL_STATUS_CODES
    cached_date = _DATES.get
    cached_birth = _BIRTH_DATES.get  # None when not yet seen or not a date: birth_date_of decides then
    max_name, max_address_id, max_street, max_postcode, max_city = (
        CITIZEN_MAX_LENGTHS[column] for column in ("name", "address_id", "street", "postcode", "city")
    )
    spouse_refs: list[tuple[int, str, str, str]] = []  # line, own cpr, spouse cpr as written, normalised
    last_line = reader.line_num
    try:
        for row in reader:
            line = last_line + 1
            last_line = reader.line_num
            if len(row) != width:
                if any(map(strip, row)):
                    _row_length_problem(problems, line, row, width)
                continue
            row.append("")  # the cell of every absent optional column
            (
                raw_cpr,
                name,
                address_id,
                street,
                postcode,
                city,
                lat_text,
                lon_text,
                status_text,
                status_date_text,
                spouse_text,
                death_text,
                paper_text,
                protected_text,
            ) = map(strip, pick(row))
            ok = True

            # cpr: the common case (10 ASCII digits, a birth date seen before) costs two lookups.
            cpr = raw_cpr
            birth = cached_birth(cpr[:7])
            if birth is None or len(cpr) != 10 or not (cpr.isascii() and cpr.isdigit()):
                if not raw_cpr:
                    if not any(map(strip, row)):
                        continue  # an empty line (";;;;" from a spreadsheet)
                    add(line, "cpr", "", "CPR-nummer skal udfyldes")
                    ok = False
                else:
                    try:
                        cpr = normalise_cpr(raw_cpr)
                        birth = birth_date_of(cpr)
                    except ValueError as error:
                        add(line, "cpr", raw_cpr, str(error))
                        ok = False
            if ok:  # duplicates are looked for after the loop (a set in C beats a dict per row)
                cprs.append(cpr)
                cpr_lines.append(line)

            if not (name and address_id and street and postcode and city):
                ok = False
                for column, value in (
                    ("name", name),
                    ("address_id", address_id),
                    ("street", street),
                    ("postcode", postcode),
                    ("city", city),
                ):
                    if not value:
                        add(line, column, "", f"Feltet {column} skal udfyldes")
            if (
                len(name) > max_name
                or len(street) > max_street
                or len(address_id) > max_address_id
                or len(city) > max_city
                or len(postcode) > max_postcode
            ):
                ok = False
                _too_long_problems(problems, line, name, address_id, street, postcode, city)

            lat = lon = None
            text = lat_text
            if text:
                try:
                    lat = float(text)
                    if not -90.0 <= lat <= 90.0 or "_" in text:
                        raise ValueError(text)
                except ValueError:
                    try:
                        lat = _parse_coordinate(text, 90.0)
                    except ValueError as error:
                        add(line, "lat", text, f"Breddegrad: {error}")
                        ok = False
            text = lon_text
            if text:
                try:
                    lon = float(text)
                    if not -180.0 <= lon <= 180.0 or "_" in text:
                        raise ValueError(text)
                except ValueError:
                    try:
                        lon = _parse_coordinate(text, 180.0)
                    except ValueError as error:
                        add(line, "lon", text, f"Længdegrad: {error}")
                        ok = False

            status: str | None = status_text or None
            if status is not None and status not in status_codes:
                upper = status.upper()
                if upper in status_codes:
                    status = upper
                else:
                    add(
                        line,
                        "civil_status",
                        status,
                        f"Ukendt civilstand; gyldige koder: {_CIVIL_STATUS_HELP}",
                    )
                    ok = False

            status_date = death = None
            text = status_date_text
            if text:
                status_date = cached_date(text)
                if status_date is None:
                    try:
                        status_date = _parse_date(text)
                    except ValueError as error:
                        add(line, "civil_status_date", text, str(error))
                        ok = False
            text = death_text
            if text:
                death = cached_date(text)
                if death is None:
                    try:
                        death = _parse_date(text)
                    except ValueError as error:
                        add(line, "death_date", text, str(error))
                        ok = False

            spouse = None
            text = spouse_text
            if text:
                spouse = text
                if (
                    cached_birth(text[:7]) is None
                    or len(text) != 10
                    or not (text.isascii() and text.isdigit())
                ):
                    try:
                        spouse = normalise_cpr(text)
                        birth_date_of(spouse)
                    except ValueError as error:
                        add(line, "spouse_cpr", text, f"Ægtefællens CPR-nummer: {error}")
                        spouse = None
                        ok = False
                if spouse is not None:
                    spouse_refs.append((line, cpr, text, spouse))

            text = paper_text
            paper = text == "1"
            if not paper and text and text != "0":
                add(line, "digital_post_exempt", text, "Skal være tom, 0 eller 1")
                ok = False
            text = protected_text
            protected = text == "1"
            if not protected and text and text != "0":
                add(line, "address_protected", text, "Skal være tom, 0 eller 1")
                ok = False

            if ok:
                citizens.append(
                    new_citizen(
                        cpr,
                        name,
                        birth,
                        sex_by_digit[cpr[9]],
                        address_id,
                        street,
                        postcode,
                        city,
                        lat,
                        lon,
                        status,
                        status_date,
                        spouse,
                        death,
                        paper,
                        protected,
                    )
                )
    except csv.Error as error:
        add(reader.line_num, "", "", f"Filen kan ikke læses som CSV: {error}")

    known = set(cprs)
    if len(known) != len(cprs):
        _report_duplicates(problems, cprs, cpr_lines)
    if not problems.count and not citizens:
        add(0, "", "", "Filen indeholder ingen borgere, kun overskriftsrækken")
    for line, own, written, spouse_cpr in spouse_refs:
        if spouse_cpr == own:
            warnings.add(line, "spouse_cpr", written, "Ægtefællens CPR-nummer er personens eget")
        elif spouse_cpr not in known:
            warnings.add(line, "spouse_cpr", written, "Ægtefællen findes ikke i filen (advarsel)")
    return citizens, warnings.items, known


def _report_duplicates(problems: _Problems, cprs: list[str], lines: list[int]) -> None:
    """Add a problem for every repeated CPR number (naming its first line) and keep line order."""
    first_line: dict[str, int] = {}
    for cpr, line in zip(cprs, lines, strict=True):
        earlier = first_line.setdefault(cpr, line)
        if earlier != line:
            problems.add(line, "cpr", cpr, f"CPR-nummeret står to gange: første gang i række {earlier}")
    problems.items.sort(key=lambda problem: problem.row)


def parse_citizens_text(
    text: str, filename: str = _DEFAULT_CITIZENS_FILE
) -> tuple[list[Citizen], list[InputProblem]]:
    """Parse the decoded text of a citizens.csv. Returns (citizens, warnings); raises InvalidInput."""
    problems = _Problems(filename)
    citizens, warnings, _ = _parse_citizen_lines(_text_lines(text, problems), problems)
    _raise_if_any(problems)
    return citizens, warnings


def parse_citizens_bytes(
    data: bytes, filename: str = _DEFAULT_CITIZENS_FILE
) -> tuple[list[Citizen], list[InputProblem]]:
    """Parse the bytes of an uploaded citizens.csv. Returns (citizens, warnings); raises InvalidInput."""
    problems = _Problems(filename)
    text = _decode(data, problems)
    if text is None:
        _raise_if_any(problems)
        raise AssertionError("unreachable")  # pragma: no cover
    citizens, warnings, _ = _parse_citizen_lines(_text_lines(text, problems), problems)
    _raise_if_any(problems)
    return citizens, warnings


def read_citizens(path: StrPath) -> tuple[list[Citizen], list[InputProblem]]:
    """Parse the citizens.csv at ``path`` (streamed). Returns (citizens, warnings); raises InvalidInput.

    Problems name the file as ``path`` was given.
    """
    problems = _Problems(os.fspath(path))
    result = _from_path(path, problems, lambda lines: _parse_citizen_lines(lines, problems))
    _raise_if_any(problems)
    assert result is not None
    return result[0], result[1]


# --------------------------------------------------------------------------------------------------
# events.csv
# --------------------------------------------------------------------------------------------------


def _parse_event_lines(
    lines: Iterable[str],
    problems: _Problems,
    known_cprs: AbstractSet[str] | None,
    citizens_file: str,
) -> list[Event]:
    with _bulk_allocation():
        return _parse_event_rows(lines, problems, known_cprs, citizens_file)


def _parse_event_rows(
    lines: Iterable[str],
    problems: _Problems,
    known_cprs: AbstractSet[str] | None,
    citizens_file: str,
) -> list[Event]:
    events: list[Event] = []
    table = _open_table(lines, problems, EVENT_REQUIRED_COLUMNS, EVENT_OPTIONAL_COLUMNS)
    if table is None:
        return events
    reader, ix, width = table
    i_cpr, i_kind, i_start, i_end, i_note = ix["cpr"], ix["kind"], ix["start"], ix["end"], ix["note"]
    add = problems.add
    strip = str.strip
    new_event = _new_event
    kinds = EVENT_KINDS
    cached_date = _DATES.get
    last_line = reader.line_num
    try:
        for row in reader:
            line = last_line + 1
            last_line = reader.line_num
            cells = list(map(strip, row))
            if len(cells) != width:
                if any(cells):
                    _row_length_problem(problems, line, cells, width)
                continue
            cells.append("")
            ok = True

            raw_cpr = cells[i_cpr]
            cpr = raw_cpr
            if not (len(raw_cpr) == 10 and raw_cpr.isascii() and raw_cpr.isdigit()):
                if not raw_cpr:
                    if not any(cells):
                        continue
                    add(line, "cpr", "", "CPR-nummer skal udfyldes")
                    ok = False
                else:
                    try:
                        cpr = normalise_cpr(raw_cpr)
                    except ValueError as error:
                        add(line, "cpr", raw_cpr, str(error))
                        ok = False
            if ok:
                if known_cprs is not None:
                    if cpr not in known_cprs:
                        add(line, "cpr", raw_cpr, f"CPR-nummeret findes ikke i {citizens_file}")
                        ok = False
                else:
                    try:
                        birth_date_of(cpr)
                    except ValueError as error:
                        add(line, "cpr", raw_cpr, str(error))
                        ok = False

            kind = cells[i_kind]
            if kind not in kinds:
                lower = kind.lower()
                if lower in kinds:
                    kind = lower
                else:
                    why = "Feltet kind skal udfyldes" if not kind else "Ukendt slags hændelse (kind)"
                    add(line, "kind", kind, f"{why}; gyldige: {_EVENT_KINDS_HELP}")
                    ok = False

            start = end = None
            text = cells[i_start]
            if not text:
                add(line, "start", "", "Feltet start skal udfyldes (ÅÅÅÅ-MM-DD)")
                ok = False
            else:
                start = cached_date(text)
                if start is None:
                    try:
                        start = _parse_date(text)
                    except ValueError as error:
                        add(line, "start", text, str(error))
                        ok = False
            text = cells[i_end]
            if text:
                end = cached_date(text)
                if end is None:
                    try:
                        end = _parse_date(text)
                    except ValueError as error:
                        add(line, "end", text, str(error))
                        ok = False
                if end is not None and start is not None and end < start:
                    add(line, "end", text, f"Slutdatoen ligger før startdatoen ({start.isoformat()})")
                    ok = False

            if ok:
                events.append(new_event(cpr, kind, start, end, cells[i_note]))
    except csv.Error as error:
        add(reader.line_num, "", "", f"Filen kan ikke læses som CSV: {error}")
    return events


def parse_events_text(
    text: str,
    filename: str = _DEFAULT_EVENTS_FILE,
    known_cprs: AbstractSet[str] | None = None,
    *,
    citizens_file: str = _DEFAULT_CITIZENS_FILE,
) -> list[Event]:
    """Parse the decoded text of an events.csv; raises InvalidInput.

    With ``known_cprs``, a row about a CPR number not in that set is an error (naming ``citizens_file``).
    """
    problems = _Problems(filename)
    events = _parse_event_lines(_text_lines(text, problems), problems, known_cprs, citizens_file)
    _raise_if_any(problems)
    return events


def parse_events_bytes(
    data: bytes,
    filename: str = _DEFAULT_EVENTS_FILE,
    known_cprs: AbstractSet[str] | None = None,
    *,
    citizens_file: str = _DEFAULT_CITIZENS_FILE,
) -> list[Event]:
    """Parse the bytes of an uploaded events.csv; raises InvalidInput (see :func:`parse_events_text`)."""
    problems = _Problems(filename)
    text = _decode(data, problems)
    events = (
        []
        if text is None
        else _parse_event_lines(_text_lines(text, problems), problems, known_cprs, citizens_file)
    )
    _raise_if_any(problems)
    return events


def read_events(
    path: StrPath,
    known_cprs: AbstractSet[str] | None = None,
    *,
    citizens_file: str = _DEFAULT_CITIZENS_FILE,
) -> list[Event]:
    """Parse the events.csv at ``path`` (streamed); raises InvalidInput (see :func:`parse_events_text`)."""
    problems = _Problems(os.fspath(path))
    events = _from_path(
        path, problems, lambda lines: _parse_event_lines(lines, problems, known_cprs, citizens_file)
    )
    _raise_if_any(problems)
    return events or []


# --------------------------------------------------------------------------------------------------
# Both files
# --------------------------------------------------------------------------------------------------


def _population(
    citizens_result: _CitizensResult | None,
    citizen_problems: _Problems,
    parse_events: Callable[[_Problems, AbstractSet[str] | None], list[Event]] | None,
    events_file: str,
) -> Population:
    citizens, warnings, known_cprs = citizens_result or ([], [], set())
    events: list[Event] = []
    event_problems = _Problems(events_file)
    if parse_events is not None:
        # With a broken citizens.csv the events are still checked on their own, so one run reports both.
        known = None if citizen_problems.count else known_cprs
        events = parse_events(event_problems, known)
    _raise_if_any(citizen_problems, event_problems)
    return Population(citizens=tuple(citizens), events=tuple(events), warnings=tuple(warnings))


def parse_population_bytes(
    citizens_data: bytes,
    events_data: bytes | None = None,
    *,
    citizens_filename: str = _DEFAULT_CITIZENS_FILE,
    events_filename: str = _DEFAULT_EVENTS_FILE,
) -> Population:
    """Parse uploaded citizens.csv (and events.csv) bytes into a Population; raises InvalidInput.

    Events about CPR numbers not in the citizens file are errors. Problems of both files are reported.
    """
    citizen_problems = _Problems(citizens_filename)
    text = _decode(citizens_data, citizen_problems)
    result = (
        None if text is None else _parse_citizen_lines(_text_lines(text, citizen_problems), citizen_problems)
    )

    parse_events: Callable[[_Problems, AbstractSet[str] | None], list[Event]] | None = None
    if events_data is not None:
        data = events_data

        def parse_events(problems: _Problems, known: AbstractSet[str] | None) -> list[Event]:
            events_text = _decode(data, problems)
            if events_text is None:
                return []
            return _parse_event_lines(_text_lines(events_text, problems), problems, known, citizens_filename)

    return _population(result, citizen_problems, parse_events, events_filename)


#: A citizens.csv at least this large (about 7,000 persons) is first read by the columnar reader
#: (:mod:`fhb.core.population.columnar`), which gives the same Population many times faster, or None when
#: only this parser can decide. Below it, importing polars costs more than it saves.
COLUMNAR_MIN_BYTES = 1_000_000


def _columnar_worth_it(citizens_path: StrPath) -> bool:
    try:
        return os.path.getsize(citizens_path) >= COLUMNAR_MIN_BYTES
    except OSError:
        return False


def read_population(citizens_path: StrPath, events_path: StrPath | None = None) -> Population:
    """Parse citizens.csv (and events.csv) files into a Population; raises InvalidInput.

    Events about CPR numbers not in the citizens file are errors. Problems of both files are reported.
    A large, regular file is read column by column (:mod:`fhb.core.population.columnar`), with the same
    result.
    """
    if _columnar_worth_it(citizens_path):
        from fhb.core.population import columnar  # polars, imported only when used

        found = columnar.read_population(citizens_path, events_path)
        if found is not None:
            return found
    citizens_file = os.fspath(citizens_path)
    citizen_problems = _Problems(citizens_file)
    result = _from_path(
        citizens_path, citizen_problems, lambda lines: _parse_citizen_lines(lines, citizen_problems)
    )

    parse_events: Callable[[_Problems, AbstractSet[str] | None], list[Event]] | None = None
    events_file = _DEFAULT_EVENTS_FILE
    if events_path is not None:
        path = events_path
        events_file = os.fspath(path)

        def parse_events(problems: _Problems, known: AbstractSet[str] | None) -> list[Event]:
            found = _from_path(
                path, problems, lambda lines: _parse_event_lines(lines, problems, known, citizens_file)
            )
            return found or []

    return _population(result, citizen_problems, parse_events, events_file)
