"""The shape the leader's statistics share: tables of figures (the charts drawn from them are
:class:`fhb.ui.charts.Chart`).

The dashboard (:mod:`fhb.stats.dashboard`) produces :class:`Table` and :class:`~fhb.ui.charts.Chart` values;
the presentation modules turn them into SVG (:mod:`fhb.ui.charts`), CSV and XLSX (:mod:`fhb.stats.export`)
and the committee report (:mod:`fhb.stats.report`). Pure data: no Django, no I/O.

Cells hold counts as ``int`` and shares or averages as ``float``; the presentation prints an ``int`` without
decimals and a ``float`` with one decimal (``87,5``), so give a count as ``int`` even when it was summed
from floats. ``None`` is an empty cell (no figure), a ``str`` is printed as written.
"""

from __future__ import annotations

from dataclasses import dataclass

Cell = str | int | float | None
"""One cell of a table: text, a count (``int``), a share or average (``float``) or nothing (``None``)."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table of figures with Danish headings, shown beside a chart, exported and printed in the report."""

    key: str
    """A slug used in export file names and URLs, e.g. ``"groups"``."""
    title: str
    """The Danish heading, e.g. ``"Tilbud og besøg pr. målgruppe"``."""
    columns: tuple[str, ...]
    """The Danish column headings."""
    rows: tuple[tuple[Cell, ...], ...]
    """The rows, each with one cell per column."""
    note: str = ""
    """A Danish explanation of how the figures are counted, printed under the table."""

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.key!r}: row {number} has {len(row)} cells, "
                    f"the table has {len(self.columns)} columns"
                )

    def column(self, name: str) -> list[Cell]:
        """The cells of the column headed ``name``, top to bottom; ``KeyError`` when there is none."""
        try:
            index = self.columns.index(name)
        except ValueError:
            raise KeyError(f"table {self.key!r} has no column {name!r}") from None
        return [row[index] for row in self.rows]

    def is_numeric(self, index: int) -> bool:
        """Whether column ``index`` holds numbers and empty cells only, one number at least: right-aligned."""
        cells = [row[index] for row in self.rows if row[index] is not None]
        return bool(cells) and all(is_number(cell) for cell in cells)


def is_number(cell: Cell) -> bool:
    """Whether a cell is a number (``int`` or ``float``, not ``bool``)."""
    return isinstance(cell, int | float) and not isinstance(cell, bool)
