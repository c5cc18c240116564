"""The row parser's entry points, one for each form an input comes in, and the problems of reading it.

``read_*(path)`` streams a file, ``parse_*_bytes(data, filename)`` takes an upload's bytes and
``parse_*_text(text, filename)`` an already decoded string; ``parse_population_bytes`` and
:func:`read_population_rows` take both files. Every problem of a file is collected and
:class:`~fhb.core.population.model.InvalidInput` is raised with the first 100 when there is any (see
:mod:`fhb.core.population.rows`). Accepted: UTF-8 with or without BOM; CRLF, LF or CR line ends. A file
that is not UTF-8 or holds NUL characters (often a file saved as UTF-16) is reported as such.

Pure: no Django, no clock, no I/O beyond reading the files it is given. No polars either: the Django
importer reads uploads through this module; :mod:`fhb.core.population.csv_reader` chooses between the
parsers for files on disk.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from fhb.core.population.model import Citizen, Event, InputProblem, Population
from fhb.core.population.problems import Problems, raise_if_any
from fhb.core.population.rows import CitizensResult, KnownCprs, parse_citizen_lines, parse_event_lines

__all__ = [
    "DEFAULT_CITIZENS_FILE",
    "DEFAULT_EVENTS_FILE",
    "StrPath",
    "parse_citizens_bytes",
    "parse_citizens_text",
    "parse_events_bytes",
    "parse_events_text",
    "parse_population_bytes",
    "read_citizens",
    "read_events",
    "read_population_rows",
]

StrPath = str | os.PathLike[str]
T = TypeVar("T")

DEFAULT_CITIZENS_FILE = "citizens.csv"
DEFAULT_EVENTS_FILE = "events.csv"

#: An input in one of its forms: it runs a parser over its lines (with the problems of reading them),
#: or gives None when it cannot be read.
_Input = Callable[[Problems, Callable[[Iterable[str]], T]], T | None]


# --------------------------------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------------------------------


def _utf8_problem_at(data: bytes, start: int, filename: str) -> InputProblem:
    """The problem describing the byte at ``start``, the first that is not UTF-8."""
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


def _decode(data: bytes, problems: Problems) -> str | None:
    """The text of UTF-8 bytes without a BOM; None (with the problem recorded) for other bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.add_problem(_utf8_problem_at(data, error.start, problems.file))
        return None
    return _strip_bom(text)


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _text_lines(text: str, problems: Problems) -> Iterator[str]:
    lines = iter(io.StringIO(_strip_bom(text), newline=""))
    return _without_nul(lines, problems) if "\x00" in text else lines


def _without_nul(lines: Iterable[str], problems: Problems) -> Iterator[str]:
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


def _from_path(path: StrPath, problems: Problems, parse: Callable[[Iterable[str]], T]) -> T | None:
    """Run ``parse`` over the lines of a file; turns unreadable or non-UTF-8 files into problems."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            return parse(_without_nul(stream, problems))
    except UnicodeDecodeError:
        problems.clear()  # whatever was found before the bad byte is noise next to a wrong encoding
        try:
            with open(path, "rb") as raw:
                _decode(raw.read(), problems)
        except OSError as error:
            problems.add(0, "", "", f"Filen kan ikke læses: {error.strerror or error}")
            return None
        if not problems.count:  # pragma: no cover - the decoder just said otherwise
            problems.add(0, "", "", "Filen er ikke gyldig UTF-8")
    except OSError as error:
        problems.add(0, "", "", f"Filen kan ikke læses: {error.strerror or error}")
    return None


# --------------------------------------------------------------------------------------------------
# The forms of an input
# --------------------------------------------------------------------------------------------------


def _text(text: str) -> _Input[T]:
    def run(problems: Problems, parse: Callable[[Iterable[str]], T]) -> T | None:
        return parse(_text_lines(text, problems))

    return run


def _bytes(data: bytes) -> _Input[T]:
    def run(problems: Problems, parse: Callable[[Iterable[str]], T]) -> T | None:
        text = _decode(data, problems)
        return None if text is None else parse(_text_lines(text, problems))

    return run


def _path(path: StrPath) -> _Input[T]:
    def run(problems: Problems, parse: Callable[[Iterable[str]], T]) -> T | None:
        return _from_path(path, problems, parse)

    return run


# --------------------------------------------------------------------------------------------------
# citizens.csv
# --------------------------------------------------------------------------------------------------


def _citizen_rows(source: _Input[CitizensResult], problems: Problems) -> CitizensResult | None:
    return source(problems, lambda lines: parse_citizen_lines(lines, problems))


def _citizens(source: _Input[CitizensResult], filename: str) -> tuple[list[Citizen], list[InputProblem]]:
    problems = Problems(filename)
    result = _citizen_rows(source, problems)
    raise_if_any(problems)
    assert result is not None
    return result[0], result[1]


def parse_citizens_text(
    text: str, filename: str = DEFAULT_CITIZENS_FILE
) -> tuple[list[Citizen], list[InputProblem]]:
    """Parse the decoded text of a citizens.csv. Returns (citizens, warnings); raises InvalidInput."""
    return _citizens(_text(text), filename)


def parse_citizens_bytes(
    data: bytes, filename: str = DEFAULT_CITIZENS_FILE
) -> tuple[list[Citizen], list[InputProblem]]:
    """Parse the bytes of an uploaded citizens.csv. Returns (citizens, warnings); raises InvalidInput."""
    return _citizens(_bytes(data), filename)


def read_citizens(path: StrPath) -> tuple[list[Citizen], list[InputProblem]]:
    """Parse the citizens.csv at ``path`` (streamed). Returns (citizens, warnings); raises InvalidInput.

    Problems name the file as ``path`` was given.
    """
    return _citizens(_path(path), os.fspath(path))


# --------------------------------------------------------------------------------------------------
# events.csv
# --------------------------------------------------------------------------------------------------


def _event_rows(
    source: _Input[list[Event]], problems: Problems, known_cprs: KnownCprs, citizens_file: str
) -> list[Event]:
    return source(problems, lambda lines: parse_event_lines(lines, problems, known_cprs, citizens_file)) or []


def _events(
    source: _Input[list[Event]], filename: str, known_cprs: KnownCprs, citizens_file: str
) -> list[Event]:
    problems = Problems(filename)
    events = _event_rows(source, problems, known_cprs, citizens_file)
    raise_if_any(problems)
    return events


def parse_events_text(
    text: str,
    filename: str = DEFAULT_EVENTS_FILE,
    known_cprs: KnownCprs = None,
    *,
    citizens_file: str = DEFAULT_CITIZENS_FILE,
) -> list[Event]:
    """Parse the decoded text of an events.csv; raises InvalidInput.

    With ``known_cprs``, a row about a CPR number not in that set is an error (naming ``citizens_file``).
    """
    return _events(_text(text), filename, known_cprs, citizens_file)


def parse_events_bytes(
    data: bytes,
    filename: str = DEFAULT_EVENTS_FILE,
    known_cprs: KnownCprs = None,
    *,
    citizens_file: str = DEFAULT_CITIZENS_FILE,
) -> list[Event]:
    """Parse the bytes of an uploaded events.csv; raises InvalidInput (see :func:`parse_events_text`)."""
    return _events(_bytes(data), filename, known_cprs, citizens_file)


def read_events(
    path: StrPath, known_cprs: KnownCprs = None, *, citizens_file: str = DEFAULT_CITIZENS_FILE
) -> list[Event]:
    """Parse the events.csv at ``path`` (streamed); raises InvalidInput (see :func:`parse_events_text`)."""
    return _events(_path(path), os.fspath(path), known_cprs, citizens_file)


# --------------------------------------------------------------------------------------------------
# Both files
# --------------------------------------------------------------------------------------------------


def _population(
    citizens: _Input[CitizensResult],
    citizens_file: str,
    events: _Input[list[Event]] | None,
    events_file: str,
) -> Population:
    """Events about CPR numbers not in the citizens file are errors; with a broken citizens file the events
    are still checked on their own, so that one run reports the problems of both files."""
    citizen_problems = Problems(citizens_file)
    people, warnings, known_cprs = _citizen_rows(citizens, citizen_problems) or ([], [], set())
    event_problems = Problems(events_file)
    facts: list[Event] = []
    if events is not None:
        known = None if citizen_problems.count else known_cprs
        facts = _event_rows(events, event_problems, known, citizens_file)
    raise_if_any(citizen_problems, event_problems)
    return Population(citizens=tuple(people), events=tuple(facts), warnings=tuple(warnings))


def parse_population_bytes(
    citizens_data: bytes,
    events_data: bytes | None = None,
    *,
    citizens_filename: str = DEFAULT_CITIZENS_FILE,
    events_filename: str = DEFAULT_EVENTS_FILE,
) -> Population:
    """Parse uploaded citizens.csv (and events.csv) bytes into a Population; raises InvalidInput.

    Events about CPR numbers not in the citizens file are errors. Problems of both files are reported.
    """
    events: _Input[list[Event]] | None = None if events_data is None else _bytes(events_data)
    return _population(_bytes(citizens_data), citizens_filename, events, events_filename)


def read_population_rows(citizens_path: StrPath, events_path: StrPath | None = None) -> Population:
    """Parse citizens.csv (and events.csv) files row by row into a Population; raises InvalidInput.

    Events about CPR numbers not in the citizens file are errors. Problems of both files are reported.
    """
    events: _Input[list[Event]] | None = None if events_path is None else _path(events_path)
    events_file = DEFAULT_EVENTS_FILE if events_path is None else os.fspath(events_path)
    return _population(_path(citizens_path), os.fspath(citizens_path), events, events_file)
