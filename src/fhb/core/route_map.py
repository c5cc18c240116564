"""The day's route as a drawing: the start place, the numbered stops, the towns around them and the
municipality's outline, projected for an SVG canvas, optionally over the municipality's own map tiles.

The projection is Web Mercator (the tiles' own), so a tile server's images line up with the drawing; over a
municipality it keeps distances true east-west and north-south alike. The view is the route's box (start
place and stops) with a margin, at least :data:`MIN_SPAN_M` across, widened to the canvas' proportions; a
day without stops shows the whole outline. Dots that would overlap (closer than a dot's size, or on the
start place's square) are fanned out on a small circle around where they are, each with a thin line to its
true place, so every number can be read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fhb.core.geography import Centre
from fhb.core.planning.travel import Point

WIDTH = 480
HEIGHT = 360
"""The canvas in SVG units; a phone 390 px wide shows it at about three quarters of that."""
STOP_R = 15
"""The radius of a stop's dot in SVG units."""
BASE_HALF = 10
"""Half the side of the start place's square in SVG units."""
MARGIN = 0.15
"""The view's margin around the route, as a share of the route's extent."""
MIN_SPAN_M = 3000
"""The smallest view across, in metres, so a day in one town still shows its streets' scale and a town."""
EARTH_M = 40_075_016.686
"""The equator's length in metres (Web Mercator's sphere)."""
LABEL_EM = 0.55
"""A town label's width per character, in font sizes (to keep labels from overlapping)."""
TOWN_FONT = 13


@dataclass(frozen=True, slots=True)
class DrawnStop:
    number: int
    x: float
    y: float
    """Where the dot is drawn: fanned out from the true place when it would overlap another."""
    true_x: float
    true_y: float

    @property
    def moved(self) -> bool:
        return (self.x, self.y) != (self.true_x, self.true_y)


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    x: float
    y: float

    label_x: float
    label_y: float
    """The middle of the name's baseline: above the town's dot, or below, right or left of it when a dot
    or another name is there."""


@dataclass(frozen=True, slots=True)
class Tile:
    """One image of the tile server, placed on the canvas."""

    href: str
    x: float
    y: float
    size: float


@dataclass(frozen=True, slots=True)
class RouteMap:
    """What the template draws, in SVG units from the top-left corner."""

    width: int
    height: int
    outline: list[str]
    """SVG path data, one per ring."""
    base: tuple[float, float]
    stops: list[DrawnStop]
    line: str
    """SVG polyline points: start place, stops in order (where drawn), start place."""
    towns: list[Town]
    tiles: list[Tile]
    stop_r: int = STOP_R
    base_half: int = BASE_HALF

    @property
    def base_box(self) -> tuple[float, float]:
        """Top-left corner of the square drawn at the start place."""
        return round(self.base[0] - self.base_half, 1), round(self.base[1] - self.base_half, 1)

    @property
    def base_side(self) -> int:
        return 2 * self.base_half


def world_xy(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator in world units: 0 to 1 from 180° W and from 85.05° N."""
    phi = math.radians(lat)
    return (lon + 180) / 360, (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2


def _view(
    points: Sequence[tuple[float, float]], lat: float, width: int, height: int
) -> tuple[float, float, float]:
    """The view's top-left corner in world units and the scale (SVG units per world unit)."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    min_span = MIN_SPAN_M / (EARTH_M * math.cos(math.radians(lat)))
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    w = max(span_x * (1 + 2 * MARGIN), min_span)
    h = max(span_y * (1 + 2 * MARGIN), min_span)
    if w / h < width / height:
        w = h * width / height
    else:
        h = w * height / width
    centre_x, centre_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return centre_x - w / 2, centre_y - h / 2, width / w


def fan_out(
    base: tuple[float, float], stops: Sequence[tuple[int, float, float]], r: float
) -> list[DrawnStop]:
    """Stops (number, x, y) with those closer than a dot's size to another, or on the start place, moved
    onto a circle around their group (around the start place when it is among them), in number order
    clockwise from the top, just far enough apart to read. Groups whose circles would touch are merged and
    drawn again, until no two dots overlap."""
    near, on_base = 2 * r + 2, r + BASE_HALF * math.sqrt(2) + 2
    true = [(x, y) for _n, x, y in stops]
    groups: list[tuple[list[int], bool]] = [
        ([i], math.dist(base, true[i]) < on_base) for i in range(len(stops))
    ]

    def place(members: list[int], with_base: bool) -> dict[int, tuple[float, float]]:
        n = len(members)
        if n == 1 and not with_base:
            return {members[0]: true[members[0]]}
        apart = (r + 1) / math.sin(math.pi / n) if n > 1 else 0.0
        if with_base:
            centre, radius = base, max(apart, on_base + 1)
        else:
            centre = (sum(true[i][0] for i in members) / n, sum(true[i][1] for i in members) / n)
            radius = apart
        ordered = sorted(members, key=lambda i: stops[i][0])
        return {
            i: (
                round(centre[0] + radius * math.cos(-math.pi / 2 + 2 * math.pi * k / n), 1),
                round(centre[1] + radius * math.sin(-math.pi / 2 + 2 * math.pi * k / n), 1),
            )
            for k, i in enumerate(ordered)
        }

    while True:
        at = {i: xy for members, with_base in groups for i, xy in place(members, with_base).items()}
        of = {i: g for g, (members, _b) in enumerate(groups) for i in members}
        clash = next(
            ((of[i], of[j]) for i in at for j in at if of[i] < of[j] and math.dist(at[i], at[j]) < near),
            None,
        )
        if clash is not None:
            (a, a_base), (b, b_base) = groups[clash[0]], groups[clash[1]]
            groups[clash[0]] = (a + b, a_base or b_base)
            del groups[clash[1]]
            continue
        on_it = next(
            (g for i, g in of.items() if not groups[g][1] and math.dist(at[i], base) < on_base), None
        )
        if on_it is None:
            break
        groups[on_it] = (groups[on_it][0], True)
    return [DrawnStop(n, *at[i], x, y) for i, (n, x, y) in enumerate(stops)]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two boxes (left, top, right, bottom) overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _towns(
    centres: Sequence[Centre],
    xy: Callable[[float, float], tuple[float, float]],
    width: int,
    height: int,
    taken: Sequence[tuple[float, float]],
) -> list[Town]:
    """The towns whose centre is in view, each name once, leaving out a label on top of another label or
    on a dot (``taken``, the start place first); the towns nearest the start place are labelled first."""
    placed: list[tuple[float, float, float, float]] = []
    seen: set[str] = set()
    towns = []
    start = taken[0] if taken else (width / 2, height / 2)
    in_view = [(xy(c.lon, c.lat), c) for c in centres]
    for (x, y), centre in sorted(in_view, key=lambda t: (math.dist(t[0], start), t[1].postcode)):
        if centre.city in seen or not (0 <= x <= width and 0 <= y <= height):
            continue
        half = len(centre.city) * TOWN_FONT * LABEL_EM / 2
        for middle, baseline in (
            (x, y - 6),
            (x, y + TOWN_FONT + 4),
            (x + half + 8, y + 4),
            (x - half - 8, y + 4),
        ):
            box = (middle - half, baseline - TOWN_FONT, middle + half, baseline + 3)
            if not any(_overlap(box, b) for b in placed) and not any(
                _overlap(box, (tx - STOP_R, ty - STOP_R, tx + STOP_R, ty + STOP_R)) for tx, ty in taken
            ):
                seen.add(centre.city)
                placed.append(box)
                towns.append(Town(centre.city, x, y, round(middle, 1), round(baseline, 1)))
                break
    return towns


def _tiles(template: str, left: float, top: float, scale: float, width: int, height: int) -> list[Tile]:
    """The tiles of ``template`` ("https://.../{z}/{x}/{y}.png") that cover the view, at the zoom whose
    tiles are nearest 256 SVG units across."""
    zoom = max(0, min(19, round(math.log2(scale / 256))))
    n = 2**zoom
    size = scale / n
    first_x, last_x = math.floor(left * n), math.floor((left + width / scale) * n)
    first_y, last_y = math.floor(top * n), math.floor((top + height / scale) * n)
    return [
        Tile(
            template.format(z=zoom, x=tx, y=ty),
            round((tx / n - left) * scale, 1),
            round((ty / n - top) * scale, 1),
            round(size, 1),
        )
        for ty in range(max(0, first_y), min(n - 1, last_y) + 1)
        for tx in range(max(0, first_x), min(n - 1, last_x) + 1)
    ]


def route_map(
    rings: Sequence[Sequence[tuple[float, float]]],
    base: Point,
    stops: Sequence[tuple[int, Point]],
    *,
    centres: Sequence[Centre] = (),
    tiles: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> RouteMap:
    """Project the outline's (lon, lat) ``rings``, the start place ``base``, the numbered ``stops`` and the
    towns of ``centres`` in view onto a canvas ``width`` by ``height``; with ``tiles`` (a URL template with
    ``{z}``, ``{x}`` and ``{y}``) the tiles behind them."""
    if stops or not rings:
        shown = [(base.lon, base.lat), *((p.lon, p.lat) for _n, p in stops)]
    else:
        shown = [(lon, lat) for ring in rings for lon, lat in ring]
    lat = sum(la for _lo, la in shown) / len(shown)
    left, top, scale = _view([world_xy(lon, la) for lon, la in shown], lat, width, height)

    def xy(lon: float, la: float) -> tuple[float, float]:
        x, y = world_xy(lon, la)
        return round((x - left) * scale, 1), round((y - top) * scale, 1)

    outline = [
        "M" + " L".join(f"{x},{y}" for x, y in (xy(lon, la) for lon, la in ring)) + " Z"
        for ring in rings
        if ring
    ]
    base_xy = xy(base.lon, base.lat)
    drawn = fan_out(base_xy, [(n, *xy(p.lon, p.lat)) for n, p in stops], STOP_R)
    line = " ".join(f"{x},{y}" for x, y in [base_xy, *((s.x, s.y) for s in drawn), base_xy])
    towns = _towns(centres, xy, width, height, [base_xy, *((s.x, s.y) for s in drawn)])
    return RouteMap(
        width,
        height,
        outline,
        base_xy,
        drawn,
        line,
        towns,
        _tiles(tiles, left, top, scale, width, height) if tiles else [],
    )
