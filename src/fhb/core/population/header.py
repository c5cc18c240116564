"""The header line of an input file: its separator, and where each of the contract's columns stands."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from fhb.core.population.problems import Problems

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = ["Table", "open_table"]


class Table(NamedTuple):
    """A file whose header was read: the reader of its rows, where each column stands and the header's width.

    An absent optional column stands at ``width``: rows are padded with one empty cell there.
    """

    reader: CsvReader
    positions: dict[str, int]
    width: int


def open_table(
    lines: Iterable[str],
    problems: Problems,
    required: tuple[str, ...],
    optional: tuple[str, ...],
) -> Table | None:
    """Read the header (the separator is ``;`` where it has more of them than of ``,``, as Danish Excel
    writes it); None (with the problems recorded) when the file is empty or the header is unusable."""
    it = iter(lines)
    first = next(it, None)
    if first is None or not first.strip():
        if first is None or not any(line.strip() for line in it):
            problems.add(0, "", "", "Filen er tom: den skal have en overskriftsrække med kolonnenavne")
        else:
            problems.add(1, "", "", "Første række er tom: den skal være overskriften med kolonnenavnene")
        return None
    separator = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(itertools.chain((first,), it), delimiter=separator)
    try:
        header = next(reader, [])
    except csv.Error as error:
        problems.add(1, "", "", f"Overskriften kan ikke læses som CSV: {error}")
        return None
    names = [cell.strip().lstrip("\ufeff").strip().lower() for cell in header]
    index = _column_index(names, set(required) | set(optional), problems)
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
    return Table(reader, index, width)


def _column_index(names: list[str], known: set[str], problems: Problems) -> dict[str, int]:
    """The position of each known column; a column named twice is a problem (the first one counts)."""
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
    return index
