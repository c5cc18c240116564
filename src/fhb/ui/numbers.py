"""Numbers the Danish way (``1.234.567,5``) and nice axis ticks (steps of 1, 2 or 5 times a power of ten).

Written out here rather than taken from the ``locale`` module, so a chart or an export reads the same on
every machine whatever its locale settings. Pure Python: the statistics, the forecast and the charts share it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

NO_VALUE = "–"
"""What a number that is not one (NaN, infinity) prints as."""


def format_number(value: float, decimals: int = 0, *, grouping: bool = True) -> str:
    """``value`` with ``decimals`` decimals after a comma and dots between thousands: ``1.234,5``.

    Rounds half away from zero (``2,5`` -> ``3``), as people round; never prints ``-0``. Without
    ``grouping`` there are no thousands separators (``1234,5``), as a CSV cell wants.
    """
    if not math.isfinite(value):
        return NO_VALUE
    exact = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(int(value))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    english = f"{rounded:,.{decimals}f}" if grouping else f"{rounded:.{decimals}f}"
    return english.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_plain_number(value: float) -> str:
    """``value`` in full, with a decimal comma and no thousands separators: ``1234,5``, ``0,00001``.

    An ``int`` prints as an integer; a ``float`` with the fewest digits that give it back (Python's
    ``repr``), never in exponent notation. Not a number (NaN, infinity) prints as an empty string.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        text = format(Decimal(repr(value)), "f")
    else:
        text = str(int(value))
    return text.replace(".", ",")


def nice_step(span: float, count: int = 5) -> float:
    """The step of 1, 2 or 5 times a power of ten that cuts ``span`` into about ``count`` parts (at most)."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / count
    if raw <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1.0, 2.0, 5.0, 10.0):
        if multiple * magnitude >= raw * (1 - 1e-9):
            return multiple * magnitude
    return 10.0 * magnitude  # pragma: no cover - the loop always returns


def nice_ticks(low: float, high: float, count: int = 5) -> tuple[float, ...]:
    """Ticks of a nice step from a multiple of the step at or below ``low`` to one at or above ``high``.

    ``nice_ticks(0, 87)`` is ``(0, 20, 40, 60, 80, 100)``. An empty span (``low == high``, but for
    floating-point noise) is widened to include zero, or to ``0..1``, so an axis always has two ticks.
    """
    low, high = min(low, high), max(low, high)
    if _no_span(low, high):
        low, high = min(low, 0.0), max(high, 0.0)
        if _no_span(low, high):
            high = low + 1.0
    step = nice_step(high - low, count)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    decimals = step_decimals(step) + 2
    return tuple(round(i * step, decimals) + 0.0 for i in range(first, last + 1))


def _no_span(low: float, high: float) -> bool:
    """Whether ``low`` and ``high`` are the same number but for floating-point noise."""
    return high - low <= 1e-9 * max(1.0, abs(low), abs(high))


def step_decimals(step: float) -> int:
    """How many decimals the ticks of ``step`` need: ``0`` for 1, 20 or 500, ``1`` for 0.5, ``2`` for 0.05."""
    if step <= 0 or not math.isfinite(step):
        return 0
    return max(0, -math.floor(math.log10(step) + 1e-9))
