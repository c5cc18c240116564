"""The shape the leader's statistics share: tables of figures and the charts drawn from them.

The dashboard (:mod:`fhb.stats.dashboard`) produces :class:`Table` and :class:`Chart` values; the
presentation modules turn them into SVG (:mod:`fhb.stats.charts`), CSV and XLSX (:mod:`fhb.stats.export`)
and the committee report (:mod:`fhb.stats.report`). Pure data: no Django, no I/O.

Cells hold counts as ``int`` and shares or averages as ``float``; the presentation prints an ``int`` without
decimals and a ``float`` with one decimal (``87,5``), so give a count as ``int`` even when it was summed
from floats. ``None`` is an empty cell (no figure), a ``str`` is printed as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Cell = str | int | float | None
"""One cell of a table: text, a count (``int``), a share or average (``float``) or nothing (``None``)."""

ChartKind = Literal["bars", "coverage", "line"]


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


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values in a chart, one value per label of the chart."""

    name: str
    """The Danish name shown in the legend, e.g. ``"Besøg"`` or ``"2026"``."""
    values: tuple[float, ...]
    """In the chart's unit; a NaN is a missing value (no bar, a gap in a line)."""


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of one or more series over category labels; :func:`fhb.stats.charts.svg` draws it.

    ``"bars"``: grouped vertical bars per label. ``"coverage"``: horizontal bars of percentages (0-100)
    per label with a dashed line at ``goal``. ``"line"``: one line per series across the labels (months).
    """

    kind: ChartKind
    title: str
    """The Danish heading, also the SVG's accessible name."""
    labels: tuple[str, ...]
    """The category labels: target groups, months, consultants."""
    series: tuple[Series, ...]
    """One or more series, each with one value per label; bars of several series are grouped."""
    unit: str = ""
    """The Danish unit shown on the value axis, e.g. ``"besøg"`` or ``"%"``."""
    goal: float | None = None
    """Coverage only: where the dashed goal line is drawn, in percent (e.g. ``100.0`` for "all")."""
    table_key: str = ""
    """The key of the :class:`Table` this chart draws (the page shows it beside the chart)."""

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.labels):
                raise ValueError(
                    f"chart {self.title!r}: series {series.name!r} has {len(series.values)} values "
                    f"for {len(self.labels)} labels"
                )


def is_number(cell: Cell) -> bool:
    """Whether a cell is a number (``int`` or ``float``, not ``bool``)."""
    return isinstance(cell, int | float) and not isinstance(cell, bool)
