"""A statistics table's cell as printed, in Danish number style (:mod:`fhb.ui.numbers`)."""

from __future__ import annotations

from fhb.stats.tables import Cell, is_number
from fhb.ui.numbers import format_number


def format_cell(cell: Cell, decimals: int = 1) -> str:
    """A table cell as printed: an ``int`` without decimals, a ``float`` with ``decimals``, ``None`` empty."""
    if cell is None:
        return ""
    if is_number(cell):
        assert not isinstance(cell, str)
        return format_number(cell, 0 if isinstance(cell, int) else decimals)
    return str(cell)
