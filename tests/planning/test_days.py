"""The day page's pure helpers: where the lunch break goes, and how the route map is projected (the rest of
the map: tests/core/test_route_map.py)."""

from __future__ import annotations

import datetime as dt
import math

from fhb.core.planning.travel import Point
from fhb.core.route_map import route_map
from fhb.planning.days import place_lunch, week_of

DAY = dt.date(2027, 3, 2)


def t(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute))


def lunch(*busy: tuple[dt.datetime, dt.datetime]) -> dt.datetime | None:
    return place_lunch(list(busy), t(12), 30, t(8), t(15, 30))


def test_lunch_at_the_preferred_time_when_it_is_free() -> None:
    assert lunch((t(9), t(10)), (t(13), t(14))) == t(12)


def test_lunch_moves_to_the_nearest_gap_when_a_visit_takes_the_preferred_time() -> None:
    assert lunch((t(8, 50), t(10)), (t(11, 40), t(12, 45)), (t(14), t(15))) == t(12, 45)


def test_lunch_fits_only_where_the_gap_is_long_enough() -> None:
    assert lunch((t(8), t(12, 10)), (t(12, 30), t(14)), (t(14, 20), t(15, 30))) is None


def test_the_map_keeps_distances_true_east_west_and_north_south() -> None:
    lat = 57.0
    base = Point(lat, 10.0)
    east = Point(lat, 10.1)
    north = Point(lat + 0.1, 10.0)
    drawn = route_map([], base, [(1, east), (2, north)], width=400, height=400)
    first, second = drawn.stops
    east_span, north_span = first.x - drawn.base[0], drawn.base[1] - second.y
    assert math.isclose(east_span / north_span, math.cos(math.radians(lat + 0.05)), rel_tol=0.01)
    assert drawn.line.startswith(f"{drawn.base[0]},{drawn.base[1]} ") and drawn.line.count(" ") == 3


def test_a_malformed_week_falls_back_to_this_week() -> None:
    today = dt.date(2027, 3, 3)
    assert week_of("2027-W12", today) == dt.date(2027, 3, 22)
    this_week = dt.date(2027, 3, 1)
    assert week_of("2027-W54", today) == week_of("uge 12", today) == week_of(None, today) == this_week
