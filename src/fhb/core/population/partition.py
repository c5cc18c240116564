"""One part of a population, for evaluating a large extract in several processes.

A part is the citizens whose address falls in it (a range of ``hash(address_id) % BUCKETS``, so every
household is whole in one part), plus what their evaluation needs from elsewhere: every citizen with a
death date ("ghosts": a spouse's death derives a bereavement wherever the spouse lived) and the events of
the part's citizens and of the spouses they name. The parts must be read by processes that share the string
hash seed (forked from one parent).

Only the rows of the part are checked in full; the other rows are those of another part. So a part is
all-or-nothing in a stronger sense than :func:`~fhb.core.population.csv_reader.read_population`: anything
irregular (a problem in the part's rows, a row of the wrong width, an empty part) gives None, and the
caller parses the whole files with ``read_population`` for the exact problems. The counts in
:class:`PopulationPart` let the caller check that the parts together cover every row exactly once.
"""

from __future__ import annotations

import csv
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from fhb.core.population.csv_reader import (
    RowSource,
    StrPath,
    T,
    _parse_citizen_lines,
    _parse_event_lines,
    _Problems,
)
from fhb.core.population.model import Event, Population

__all__ = ["BUCKETS", "PopulationPart", "read_population_part"]

#: Addresses are spread over this many buckets; a part is a range of them (parts of unequal size let a
#: caller that has more to do afterwards take the smaller one).
BUCKETS = 100


@dataclass(frozen=True, slots=True)
class PopulationPart:
    """The population of one part: its own citizens, the ghosts, and the events they need."""

    population: Population
    #: CPR numbers of the part's own citizens (not the ghosts).
    own_cprs: frozenset[str]
    #: CPR numbers of citizens of other parts, included for their death date only: give them no rows.
    ghost_cprs: frozenset[str]
    #: Rows of citizens.csv of the right width (all parts see the same), and how many are this part's.
    citizen_rows: int
    own_citizen_rows: int
    #: Rows of events.csv that are not empty (all parts see the same), and how many are this part's.
    event_rows: int
    own_event_rows: int


class _Rows:
    """Rows of a CSV file read line by line: a line without a quote is split at the separator (exactly what
    the ``csv`` module makes of it), a line with one goes through the ``csv`` module alone. A record that
    spans lines (a quoted line break) makes the part ``irregular``: the caller then parses the whole file."""

    def __init__(self, lines: Iterator[str], separator: str, width: int) -> None:
        self.lines = lines
        self.separator = separator
        self.width = width
        self.line_num = 0  # not needed: problems in a part are found again by the whole-file parser
        self.irregular = False
        self.rows = 0
        self.own_rows = 0
        # One reader for every quoted line, fed one line at a time (a reader per line costs twice as much).
        self._line = ""
        self._reader = csv.reader(self._fed(), delimiter=separator)

    def _fed(self) -> Iterator[str]:
        while True:
            yield self._line

    def _quoted(self, line: str) -> list[str] | None:
        """The row of a line with a quote; None (and ``irregular``) when it is not a whole record."""
        self._line = line
        reader = self._reader
        before = reader.line_num
        try:
            row = next(reader)
        except csv.Error:
            row = []
        if reader.line_num != before + 1 or not row:
            self.irregular = True  # a quoted field runs on into the next line
            return None
        return row

    def _full_rows(self) -> Iterator[list[str]]:
        """Every row with the header's width; stops (``irregular``) at a NUL, a record spanning lines or
        a row of another width that is not blank. Blank short rows are skipped, as the parser does."""
        width, separator, quoted = self.width, self.separator, self._quoted
        for line in self.lines:
            if "\x00" in line:  # the whole-file parser reports it
                self.irregular = True
                return
            if '"' in line:
                found = quoted(line)
                if found is None:
                    return
                row = found
            else:
                row = line.rstrip("\r\n").split(separator)
            if len(row) != width:
                if any(map(str.strip, row)):
                    self.irregular = True
                    return
                continue
            yield row

    def __iter__(self) -> Iterator[list[str]]:  # pragma: no cover - overridden
        raise NotImplementedError


class _CitizenRows(_Rows):
    """The rows of citizens.csv in the part, and those of other parts with a death date (ghosts)."""

    def __init__(
        self, lines: Iterator[str], separator: str, ix: dict[str, int], width: int, buckets: range
    ) -> None:
        super().__init__(lines, separator, width)
        self.i_address = ix["address_id"]
        self.i_death = ix["death_date"] if ix["death_date"] < width else None
        self.i_cpr = ix["cpr"]
        self.buckets = buckets
        self.ghosts: set[str] = set()

    def __iter__(self) -> Iterator[list[str]]:
        low, high = self.buckets.start, self.buckets.stop
        i_address, i_death, i_cpr = self.i_address, self.i_death, self.i_cpr
        rows = own = 0
        ghosts = self.ghosts
        try:
            for row in self._full_rows():
                rows += 1
                if low <= hash(row[i_address].strip()) % BUCKETS < high:
                    own += 1
                    yield row
                elif i_death is not None and row[i_death].strip():
                    cpr = row[i_cpr].strip()
                    if not (len(cpr) == 10 and cpr.isascii() and cpr.isdigit()):
                        self.irregular = True  # written otherwise: its parsed CPR would differ
                        return
                    ghosts.add(cpr)
                    yield row
        finally:
            self.rows, self.own_rows = rows, own


class _EventRows(_Rows):
    """The rows of events.csv about the part's citizens (own) or the spouses they name (wanted)."""

    def __init__(
        self,
        lines: Iterator[str],
        separator: str,
        ix: dict[str, int],
        width: int,
        own: AbstractSet[str],
        wanted: AbstractSet[str],
    ) -> None:
        super().__init__(lines, separator, width)
        self.i_cpr = ix["cpr"]
        self.own = own
        self.wanted = wanted

    def __iter__(self) -> Iterator[list[str]]:
        i_cpr, own, wanted = self.i_cpr, self.own, self.wanted
        rows = mine = 0
        try:
            for row in self._full_rows():
                cpr = row[i_cpr].strip()
                if not cpr and not any(map(str.strip, row)):
                    continue
                rows += 1
                if cpr in own:
                    mine += 1
                    yield row
                elif cpr in wanted:
                    yield row
        finally:
            self.rows, self.own_rows = rows, mine


def _parse_file(path: StrPath, parse: Callable[[Iterable[str]], T]) -> T | None:
    """Run ``parse`` over the lines of a file read as the whole-file parser reads it, but without its
    generator that looks for NUL on every line (the selectors look at the lines they read, this at the
    header); None when the file cannot be read, is not UTF-8 or has a NUL in its header."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            first = stream.readline()
            if "\x00" in first:
                return None
            return parse(itertools.chain((first,), stream))
    except (OSError, UnicodeDecodeError):
        return None


def read_population_part(
    citizens_path: StrPath, events_path: StrPath | None, buckets: range
) -> PopulationPart | None:
    """The part of the population in the two files whose addresses fall in ``buckets`` (a range within
    0 to :data:`BUCKETS`); None when the files need the whole-file parser (a problem, or anything this
    does not handle)."""
    problems = _Problems(os.fspath(citizens_path))
    selectors: list[_CitizenRows] = []

    def select_citizens(lines: Iterator[str], separator: str, ix: dict[str, int], width: int) -> RowSource:
        selectors.append(_CitizenRows(lines, separator, ix, width, buckets))
        return selectors[0]

    result = _parse_file(citizens_path, lambda lines: _parse_citizen_lines(lines, problems, select_citizens))
    if result is None or problems.count or not selectors or selectors[0].irregular:
        return None
    citizens, warnings, known = result
    rows = selectors[0]
    ghosts = frozenset(rows.ghosts)
    own = frozenset(known - ghosts)
    events: list[Event] = []
    event_rows = own_event_rows = 0
    if events_path is not None:
        wanted = {c.spouse_cpr for c in citizens if c.spouse_cpr is not None} - own
        event_problems = _Problems(os.fspath(events_path))
        event_selectors: list[_EventRows] = []

        def select_events(lines: Iterator[str], separator: str, ix: dict[str, int], width: int) -> RowSource:
            event_selectors.append(_EventRows(lines, separator, ix, width, own, wanted))
            return event_selectors[0]

        found = _parse_file(
            events_path,
            lambda lines: _parse_event_lines(
                lines, event_problems, own | wanted, problems.file, select_events
            ),
        )
        if found is None or event_problems.count or not event_selectors or event_selectors[0].irregular:
            return None
        events = found
        event_rows, own_event_rows = event_selectors[0].rows, event_selectors[0].own_rows
    population = Population(citizens=tuple(citizens), events=tuple(events), warnings=tuple(warnings))
    return PopulationPart(population, own, ghosts, rows.rows, rows.own_rows, event_rows, own_event_rows)
