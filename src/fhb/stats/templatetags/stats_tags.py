from __future__ import annotations

from django import template

from fhb.stats.numbers import format_cell
from fhb.stats.tables import Cell
from fhb.stats.tables import is_number as number

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    """A table cell as the leader reads it: Danish numbers ("1.234", "87,5"), a dash for no value."""
    return format_cell(value)


@register.filter
def is_number(value: Cell) -> bool:
    return number(value)
