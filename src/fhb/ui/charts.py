"""A chart as data (:class:`Chart`) and drawn as a self-contained SVG string (:func:`svg`): the statistics
page, its committee report and the forecast page draw their charts with it. Pure Python, no Django.

The SVG is inlined into HTML pages served with ``style-src 'self'`` and embedded in the Typst report, so it
uses presentation attributes only: no ``style`` attribute or element, no script, no CSS classes, and only
basic shapes, text, lines, patterns and ``<title>`` (what usvg, Typst's SVG reader, draws). Every text
from the chart is XML-escaped, with characters XML cannot hold removed, so the string can be placed in a
template unescaped (``{{ svg|safe }}``).

Prints in black and white: each series has its own grey level and pattern (bars) or dash and marker
(lines), a legend names them, and bars carry their values. Coordinates are in SVG user units (pixels at
100 %); the drawing is :data:`WIDTH` wide (or as wide as asked) and as high as its content needs. Its text is
sized for the width it is shown at: at :data:`WIDTH` across the report's text or above a table on the page,
at :data:`BESIDE_WIDTH` beside a table, the smallest text shows at about 13-14 px (9-10 pt in the report),
as large as the page's table headings.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape

from fhb.ui.numbers import format_number, nice_ticks, step_decimals

ChartKind = Literal["bars", "coverage", "line"]


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values in a chart, one value per label of the chart."""

    name: str
    """The Danish name shown in the legend, e.g. ``"Besøg"`` or ``"2026"``."""
    values: tuple[float, ...]
    """In the chart's unit; a NaN is a missing value (no bar, a gap in a line)."""


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of one or more series over category labels; :func:`svg` draws it.

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
    """The key of the table this chart draws (the statistics page shows it beside the chart)."""

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.labels):
                raise ValueError(
                    f"chart {self.title!r}: series {series.name!r} has {len(series.values)} values "
                    f"for {len(self.labels)} labels"
                )


WIDTH = 720
"""A chart's width by default, in SVG user units: across the report's text, or above a wide table."""
BESIDE_WIDTH = 540
"""The width of a chart shown beside its table (half the page), in SVG user units."""

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#1a1a1a"
MUTED = "#555555"
GRID = "#d4d4d4"
NO_DATA = "Ingen data"

_TITLE_SIZE = 18
_SIZE = 15
_SMALL = 14
_UPRIGHT_BAND = 48.0
"""Category labels narrower than this (in user units) are turned 45 degrees and cut to one short line."""
_TURNED_CHARS = 18
_CHAR_EM = 0.56
"""The average width of a character, in em: an estimate, as the font is the reader's."""


@dataclass(frozen=True, slots=True)
class _Look:
    """How one series is drawn: fill (solid colour or pattern), stroke colour, dash and marker."""

    colour: str
    background: str
    hatch: str
    """The pattern's lines as a path inside a 6 x 6 cell; empty for a solid fill."""
    dash: str
    marker: str


_LOOKS = (
    _Look("#1f4e79", "#1f4e79", "", "", "circle"),
    _Look("#9c4a00", "#f4b183", "M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5", "7 4", "square"),
    _Look("#385723", "#ffffff", "M0,3 L6,3 M3,0 L3,6", "2 3", "triangle"),
    _Look("#7f7f7f", "#a6a6a6", "", "10 3 2 3", "diamond"),
    _Look("#7030a0", "#e4d3f0", "M0,0 L6,6 M-1,5 L1,7 M5,-1 L7,1", "4 2", "circle"),
    _Look("#000000", "#ffffff", "M1.5,1.5 h1 v1 h-1 z M4.5,4.5 h1 v1 h-1 z", "1 2", "square"),
)
"""Distinct in colour and in grey: dark solid, hatched light, crossed white, mid grey, ... (cycled)."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def svg(chart: Chart, *, show_title: bool = True, id_prefix: str = "", width: int = WIDTH) -> str:
    """The chart as a standalone SVG document (no XML declaration, so it can be inlined into HTML).

    ``show_title=False`` leaves the visible heading out (the page prints its own; the SVG keeps its
    ``<title>``). ``id_prefix`` makes the ids inside unique when several charts share a page; by default
    it is derived from the chart, so two different charts never share ids. ``width`` in user units: the
    text keeps its size, so a narrower drawing shows it larger (:data:`BESIDE_WIDTH` beside a table).
    """
    prefix = (
        id_prefix or "chart-" + hashlib.sha1(repr(chart).encode(), usedforsecurity=False).hexdigest()[:10]
    )
    drawing = _Drawing(chart, prefix, show_title, width)
    if not _has_data(chart):
        return drawing.empty()
    if chart.kind == "coverage":
        return drawing.coverage()
    if chart.kind == "line":
        return drawing.line()
    return drawing.bars()


def _has_data(chart: Chart) -> bool:
    values = [v for s in chart.series for v in s.values if math.isfinite(v)]
    return bool(chart.labels) and any(v != 0 for v in values)


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters, lone surrogates).

    Line ends become ``\\n``, as an XML parser would read them anyway.
    """
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _t(text: str) -> str:
    """Text content, escaped."""
    return escape(clean(text))


def _n(value: float) -> str:
    """A coordinate: one decimal at most, with a point."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if math.isfinite(value) else "0"


def _width(text: str, size: float) -> float:
    return len(text) * size * _CHAR_EM


def wrap(text: str, max_chars: int, max_lines: int = 2) -> list[str]:
    """``text`` broken at spaces into at most ``max_lines`` lines of about ``max_chars`` characters.

    A word longer than a line is cut; what does not fit ends in "…" (the full text is in the titles).
    """
    max_chars = max(max_chars, 2)
    lines: list[str] = []
    for word in clean(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if not lines:
        return [""]
    cut = [line if len(line) <= max_chars else line[: max_chars - 1] + "…" for line in lines[:max_lines]]
    if len(lines) > max_lines and not cut[-1].endswith("…"):
        cut[-1] = cut[-1][: max_chars - 1].rstrip() + "…"
    return cut


def _decimals(chart: Chart) -> int:
    values = [v for s in chart.series for v in s.values if math.isfinite(v)]
    return 0 if all(float(v).is_integer() for v in values) else 1


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


class _Drawing:
    """One chart being drawn: the parts of the SVG in order, and the running height."""

    def __init__(self, chart: Chart, prefix: str, show_title: bool, width: int) -> None:
        self.chart = chart
        self.width = width
        self.prefix = prefix
        self.show_title = show_title
        self.decimals = _decimals(chart)
        self.parts: list[str] = []
        self.y = 8.0

    # --- Frame -------------------------------------------------------------------------------------------

    def _document(self, height: float, description: str) -> str:
        title_id, desc_id = f"{self.prefix}-title", f"{self.prefix}-desc"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {_n(height)}" '
            f'width="{self.width}" height="{_n(height)}" role="img" aria-labelledby="{title_id}" '
            f'aria-describedby="{desc_id}" '
            f'font-family="{FONT}" font-size="{_SIZE}" fill="{INK}">'
            f'<title id="{title_id}">{_t(self.chart.title)}</title>'
            f'<desc id="{desc_id}">{_t(description)}</desc>'
        )
        return head + "".join(self.parts) + "</svg>"

    def _heading(self) -> None:
        if not self.show_title:
            return
        for line in wrap(self.chart.title, int((self.width - 16) / (_TITLE_SIZE * 0.6)), 2):
            self.y += _TITLE_SIZE + 4
            self.parts.append(
                f'<text x="8" y="{_n(self.y)}" font-size="{_TITLE_SIZE}" font-weight="bold">{_t(line)}</text>'
            )
        self.y += 8

    def _defs(self) -> None:
        patterns = []
        for index, look in enumerate(_LOOKS):
            if look.hatch:
                patterns.append(
                    f'<pattern id="{self.prefix}-p{index}" patternUnits="userSpaceOnUse" '
                    f'width="6" height="6"><rect width="6" height="6" fill="{look.background}"/>'
                    f'<path d="{look.hatch}" stroke="{look.colour}" stroke-width="1.2" fill="none"/>'
                    "</pattern>"
                )
        self.parts.append("<defs>" + "".join(patterns) + "</defs>")

    def _fill(self, index: int) -> str:
        look = _LOOKS[index % len(_LOOKS)]
        return f"url(#{self.prefix}-p{index % len(_LOOKS)})" if look.hatch else look.background

    def _legend(self, swatch: str) -> None:
        """One entry per series, in rows as wide as the chart; ``swatch`` is ``"box"`` or ``"line"``."""
        x, row = 8.0, self.y + 6
        for index, series in enumerate(self.chart.series):
            name = wrap(series.name, 40, 1)[0]
            entry = 22 + _width(name, _SIZE) + 18
            if x > 8 and x + entry > self.width - 8:
                x, row = 8.0, row + _SIZE + 9
            look = _LOOKS[index % len(_LOOKS)]
            if swatch == "box":
                self.parts.append(
                    f'<rect x="{_n(x)}" y="{_n(row)}" width="14" height="14" fill="{self._fill(index)}" '
                    f'stroke="{INK}" stroke-width="0.6"/>'
                )
            else:
                dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
                self.parts.append(
                    f'<line x1="{_n(x - 2)}" y1="{_n(row + 7)}" x2="{_n(x + 18)}" y2="{_n(row + 7)}" '
                    f'stroke="{look.colour}" stroke-width="2"{dash}/>'
                    + self._marker(index, x + 8, row + 7, "")
                )
            self.parts.append(f'<text x="{_n(x + 22)}" y="{_n(row + 12.5)}">{_t(name)}</text>')
            x += entry
        self.y = row + 14 + 10

    def empty(self) -> str:
        self._heading()
        self.parts.append(
            f'<text x="{self.width / 2}" y="{_n(self.y + 40)}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="{_TITLE_SIZE}">{NO_DATA}</text>'
        )
        return self._document(self.y + 70, NO_DATA)

    # --- Value axis ----------------------------------------------------------------------------------------

    def _ticks(self, top_room_px: float, plot_px: float) -> tuple[float, ...]:
        """Nice ticks for the values, with ``top_room_px`` above the highest bar for its value label."""
        values = [v for s in self.chart.series for v in s.values if math.isfinite(v)]
        low, high = min([0.0, *values]), max([0.0, *values])
        ticks = nice_ticks(low, high)
        for _ in range(8):
            span = ticks[-1] - ticks[0]
            if high <= 0 or (ticks[-1] - high) / span * plot_px >= top_room_px:
                break
            ticks = nice_ticks(low, ticks[-1] + span * 0.1)
        return ticks

    def _tick_text(self, ticks: Sequence[float]) -> list[str]:
        decimals = step_decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
        return [format_number(t, decimals) for t in ticks]

    def _value_text(self, value: float) -> str:
        return _with_unit(format_number(value, self.decimals), self.chart.unit)

    def _point_title(self, label: str, series: str, value: float) -> str:
        return f"<title>{_t(label)} – {_t(series)}: {_t(self._value_text(value))}</title>"

    def _upright(self, band: float) -> bool:
        """Whether the category labels stand upright under bands ``band`` wide: a wide band (wrapping the
        labels into two lines), or short labels (months) that fit on one line."""
        return band >= _UPRIGHT_BAND or all(_width(label, _SMALL) + 6 <= band for label in self.chart.labels)

    def _category_labels(self, left: float, band: float, top: float) -> float:
        """The labels under a vertical chart's bands; returns the height they take."""
        labels = self.chart.labels
        if self._upright(band):
            max_lines = 2
            for index, label in enumerate(labels):
                lines = wrap(label, int(band / (_SMALL * _CHAR_EM)) - 1, max_lines)
                x = left + band * (index + 0.5)
                for number, line in enumerate(lines):
                    y = top + _SMALL + 5 + number * (_SMALL + 3)
                    self.parts.append(
                        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="middle" font-size="{_SMALL}">'
                        f"{_t(line)}</text>"
                    )
            return _SMALL + 5 + (max_lines - 1) * (_SMALL + 3) + 8
        longest = 0.0
        for index, label in enumerate(labels):
            text = wrap(label, _TURNED_CHARS, 1)[0]
            longest = max(longest, _width(text, _SMALL))
            x, y = left + band * (index + 0.5) + 3, top + 12
            self.parts.append(
                f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="end" font-size="{_SMALL}" '
                f'transform="rotate(-45 {_n(x)} {_n(y)})">{_t(text)}</text>'
            )
        return 12 + longest * math.sqrt(0.5) + 12

    def _value_axis(self, ticks: Sequence[float], left: float, top: float, height: float) -> None:
        """Horizontal grid lines with the tick values left of the plot, and the unit above them."""
        span = ticks[-1] - ticks[0]
        if self.chart.unit:
            self.parts.append(
                f'<text x="8" y="{_n(top - 12)}" font-size="{_SMALL}" fill="{MUTED}">'
                f"{_t(self.chart.unit)}</text>"
            )
        for tick, text in zip(ticks, self._tick_text(ticks), strict=True):
            y = top + height - (tick - ticks[0]) / span * height
            colour = INK if tick == 0 else GRID
            self.parts.append(
                f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{self.width - 16}" y2="{_n(y)}" stroke="{colour}" '
                f'stroke-width="1"/><text x="{_n(left - 6)}" y="{_n(y + 5)}" text-anchor="end" '
                f'font-size="{_SMALL}" fill="{MUTED}">{text}</text>'
            )

    def _plot_x(self, ticks: Sequence[float]) -> tuple[float, float]:
        """The plot's left edge (room for the tick values, and for turned labels) and each label's band."""
        widest = max(_width(text, _SMALL) for text in self._tick_text(ticks))
        left = max(48.0, 8 + widest + 10)
        count = len(self.chart.labels)
        band = (self.width - 16 - left) / count
        if not self._upright(band):
            turned = max(_width(wrap(label, _TURNED_CHARS, 1)[0], _SMALL) for label in self.chart.labels)
            left = max(left, 8 + turned * math.sqrt(0.5) - band / 2 - 3)
            band = (self.width - 16 - left) / count
        return left, band

    # --- Kinds ---------------------------------------------------------------------------------------------

    def bars(self) -> str:
        """Grouped vertical bars: one group per label, one bar per series, its value above it."""
        chart = self.chart
        self._heading()
        self._defs()
        self._legend("box")
        plot_top, plot_h = self.y + 24, 260.0
        count = len(chart.series)
        probe = self._ticks(0.0, plot_h)
        left, band = self._plot_x(probe)
        bar_w = min(56.0, band * 0.8 / count)
        texts = [format_number(v, self.decimals) for s in chart.series for v in s.values if math.isfinite(v)]
        upright = max(_width(text, _SMALL) for text in texts) <= bar_w + 4
        room = 16.0 if upright else max(_width(text, _SMALL) for text in texts) + 8
        ticks = self._ticks(room, plot_h)
        left, band = self._plot_x(ticks)
        bar_w = min(56.0, band * 0.8 / count)
        self._value_axis(ticks, left, plot_top, plot_h)
        span = ticks[-1] - ticks[0]

        def y_of(value: float) -> float:
            return plot_top + plot_h - (value - ticks[0]) / span * plot_h

        for index, label in enumerate(chart.labels):
            start = left + band * (index + 0.5) - bar_w * count / 2
            for number, series in enumerate(chart.series):
                value = series.values[index]
                if not math.isfinite(value):
                    continue
                x = start + number * bar_w
                top, bottom = sorted((y_of(value), y_of(0.0)))
                self.parts.append(
                    f'<rect x="{_n(x + 0.5)}" y="{_n(top)}" width="{_n(bar_w - 1)}" '
                    f'height="{_n(bottom - top)}" '
                    f'fill="{self._fill(number)}" stroke="{INK}" stroke-width="0.6">'
                    f"{self._point_title(label, series.name, value)}</rect>"
                )
                self.parts.append(self._bar_value(value, x + bar_w / 2, top, bottom, upright))
        labels_h = self._category_labels(left, band, plot_top + plot_h)
        return self._document(plot_top + plot_h + labels_h, self._summary("Søjlediagram"))

    def _bar_value(self, value: float, x: float, top: float, bottom: float, upright: bool) -> str:
        text = _t(format_number(value, self.decimals))
        if upright:
            y = top - 4 if value >= 0 else bottom + 13
            return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="middle" font-size="{_SMALL}">{text}</text>'
        y = top - 4 if value >= 0 else bottom + 4
        anchor = "start" if value >= 0 else "end"
        return (
            f'<text x="{_n(x + 4)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_SMALL}" '
            f'transform="rotate(-90 {_n(x + 4)} {_n(y)})">{text}</text>'
        )

    def coverage(self) -> str:
        """Horizontal bars of percentages per label, the value after each bar, a dashed line at the goal."""
        chart = self.chart
        self._heading()
        self._defs()
        if len(chart.series) > 1:
            self._legend("box")
        values = [v for s in chart.series for v in s.values if math.isfinite(v)]
        high = max([100.0, *values, *([chart.goal] if chart.goal is not None else [])])
        ticks = nice_ticks(0.0, high) if high > 100 else (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
        label_w = min(200.0, max(40.0, *(_width(label, _SIZE) for label in chart.labels)))
        right = self.width - 80.0
        left = 8 + label_w + 8
        top = self.y + (26 if chart.goal is not None else 8)
        bar_h, gap = 22.0, 12.0
        row_h = bar_h * len(chart.series) + gap
        plot_h = row_h * len(chart.labels)

        def x_of(value: float) -> float:
            return left + (min(max(value, 0.0), ticks[-1]) / ticks[-1]) * (right - left)

        for tick, text in zip(ticks, self._tick_text(ticks), strict=True):
            colour = INK if tick == 0 else GRID
            self.parts.append(
                f'<line x1="{_n(x_of(tick))}" y1="{_n(top)}" x2="{_n(x_of(tick))}" y2="{_n(top + plot_h)}" '
                f'stroke="{colour}" stroke-width="1"/><text x="{_n(x_of(tick))}" y="{_n(top + plot_h + 16)}" '
                f'text-anchor="middle" font-size="{_SMALL}" fill="{MUTED}">'
                f"{_t(_with_unit(text, chart.unit))}</text>"
            )
        value_texts: list[str] = []
        for index, label in enumerate(chart.labels):
            row_top = top + index * row_h + gap / 2
            lines = wrap(label, int(label_w / (_SIZE * _CHAR_EM)), 2)
            middle = row_top + bar_h * len(chart.series) / 2
            for number, line in enumerate(lines):
                y = middle + 5 + (number - (len(lines) - 1) / 2) * (_SIZE + 2)
                self.parts.append(f'<text x="{_n(left - 8)}" y="{_n(y)}" text-anchor="end">{_t(line)}</text>')
            for number, series in enumerate(chart.series):
                value = series.values[index]
                if not math.isfinite(value):
                    continue
                y = row_top + number * bar_h
                self.parts.append(
                    f'<rect x="{_n(left)}" y="{_n(y + 1)}" width="{_n(x_of(value) - left)}" '
                    f'height="{_n(bar_h - 2)}" fill="{self._fill(number)}" stroke="{INK}" stroke-width="0.6">'
                    f"{self._point_title(label, series.name, value)}</rect>"
                )
                text = self._value_text(value)
                x = x_of(value) + 3
                value_texts.append(
                    f'<rect x="{_n(x)}" y="{_n(y + 2)}" width="{_n(_width(text, _SMALL) + 4)}" '
                    f'height="{_n(bar_h - 4)}" fill="#ffffff"/>'
                    f'<text x="{_n(x + 2)}" y="{_n(y + bar_h / 2 + 5)}" '
                    f'font-size="{_SMALL}">{_t(text)}</text>'
                )
        if chart.goal is not None:
            self.parts.append(self._goal_line(chart.goal, x_of(chart.goal), top, top + plot_h))
        self.parts.extend(value_texts)
        return self._document(top + plot_h + 28, self._summary("Dækningsdiagram"))

    def _goal_line(self, goal: float, x: float, top: float, bottom: float) -> str:
        """A dashed line at the goal over a white one (so it shows on dark bars too), labelled above."""
        text = _t(
            "Mål: " + _with_unit(format_number(goal, 0 if float(goal).is_integer() else 1), self.chart.unit)
        )
        return (
            f'<line x1="{_n(x)}" y1="{_n(top - 8)}" x2="{_n(x)}" y2="{_n(bottom)}" stroke="#ffffff" '
            f'stroke-width="4"/><line x1="{_n(x)}" y1="{_n(top - 8)}" x2="{_n(x)}" y2="{_n(bottom)}" '
            f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 4"><title>{text}</title></line>'
            f'<text x="{_n(x)}" y="{_n(top - 12)}" text-anchor="middle" font-size="{_SMALL}">{text}</text>'
        )

    def line(self) -> str:
        """One line per series across the labels, a marker at each value; NaN values leave a gap."""
        chart = self.chart
        self._heading()
        self._legend("line")
        plot_top, plot_h = self.y + 24, 240.0
        ticks = self._ticks(0.0, plot_h)
        left, band = self._plot_x(ticks)
        self._value_axis(ticks, left, plot_top, plot_h)
        span = ticks[-1] - ticks[0]
        for number, series in enumerate(chart.series):
            look = _LOOKS[number % len(_LOOKS)]
            points = [
                (left + band * (index + 0.5), plot_top + plot_h - (value - ticks[0]) / span * plot_h)
                if math.isfinite(value)
                else None
                for index, value in enumerate(series.values)
            ]
            dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
            for run in _runs(points):
                if len(run) > 1:
                    coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
                    self.parts.append(
                        f'<polyline points="{coordinates}" fill="none" stroke="{look.colour}" '
                        f'stroke-width="2"{dash}/>'
                    )
            for index, point in enumerate(points):
                if point is not None:
                    title = self._point_title(chart.labels[index], series.name, series.values[index])
                    self.parts.append(self._marker(number, point[0], point[1], title))
        labels_h = self._category_labels(left, band, plot_top + plot_h)
        return self._document(plot_top + plot_h + labels_h, self._summary("Kurvediagram"))

    def _marker(self, number: int, x: float, y: float, title: str) -> str:
        look = _LOOKS[number % len(_LOOKS)]
        paint = f'fill="{look.colour}" stroke="#ffffff" stroke-width="1"'
        if look.marker == "square":
            return f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" {paint}>{title}</rect>'
        if look.marker == "triangle":
            shape = f"{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y + 4)} {_n(x - 5)},{_n(y + 4)}"
            return f'<polygon points="{shape}" {paint}>{title}</polygon>'
        if look.marker == "diamond":
            shape = f"{_n(x)},{_n(y - 5.5)} {_n(x + 5.5)},{_n(y)} {_n(x)},{_n(y + 5.5)} {_n(x - 5.5)},{_n(y)}"
            return f'<polygon points="{shape}" {paint}>{title}</polygon>'
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" {paint}>{title}</circle>'

    def _summary(self, kind: str) -> str:
        names = ", ".join(series.name for series in self.chart.series)
        unit = f" ({self.chart.unit})" if self.chart.unit else ""
        return f"{kind}{unit} med {len(self.chart.labels)} kategorier og serierne: {names}."


def _runs(points: Sequence[tuple[float, float] | None]) -> Iterator[list[tuple[float, float]]]:
    """The unbroken stretches of a line: the points between gaps (``None``)."""
    run: list[tuple[float, float]] = []
    for point in points:
        if point is None:
            if run:
                yield run
            run = []
        else:
            run.append(point)
    if run:
        yield run
