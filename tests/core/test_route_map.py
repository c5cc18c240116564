"""The day's map: towns in view, every stop legible (overlapping ones fanned out), the start place drawn,
and the municipality's tiles behind it when it has a tile server."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.core.geography import outline_of, postcode_centres
from fhb.core.planning.travel import Point
from fhb.core.route_map import BASE_HALF, STOP_R, route_map

HJOERRING = Point(57.4643, 9.9822)
RINGS = outline_of("0860").rings


def test_towns_in_view_are_labelled_once_and_only_those() -> None:
    stops = [(1, Point(57.4612, 10.0105)), (2, Point(57.5010, 9.9920)), (3, Point(57.43, 9.90))]
    drawn = route_map(RINGS, HJOERRING, stops, centres=postcode_centres())
    names = [t.name for t in drawn.towns]
    assert "Hjørring" in names, f"the town of the route is named, got {names}"
    assert len(names) == len(set(names)), "each town once"
    assert "Frederikshavn" not in names and "København Ø" not in names, "towns out of view are left out"
    for town in drawn.towns:
        assert 0 <= town.x <= drawn.width and 0 <= town.y <= drawn.height


def test_a_day_without_stops_shows_the_whole_municipality_and_its_towns() -> None:
    drawn = route_map(RINGS, HJOERRING, [], centres=postcode_centres())
    assert {"Hjørring", "Hirtshals", "Løkken"} <= {t.name for t in drawn.towns}


def test_stops_at_the_same_house_and_the_start_place_are_fanned_out_with_a_line_to_the_true_place() -> None:
    same = Point(57.4700, 9.9900)
    stops = [(1, same), (2, same), (3, Point(57.47001, 9.99002)), (4, HJOERRING), (5, Point(57.40, 9.80))]
    drawn = route_map(RINGS, HJOERRING, stops)
    dots = [(s.x, s.y) for s in drawn.stops]
    for i, a in enumerate(dots):
        for b in dots[:i]:
            assert math.dist(a, b) >= 2 * STOP_R, f"two dots overlap: {a} {b}"
        assert math.dist(a, drawn.base) >= STOP_R + BASE_HALF, f"a dot covers the start place: {a}"
    moved = {s.number for s in drawn.stops if s.moved}
    assert moved == {1, 2, 3, 4}, "the lone stop stays where it is"
    assert drawn.line.split()[1] == f"{drawn.stops[0].x},{drawn.stops[0].y}", (
        "the route runs through the dots"
    )


def test_the_start_place_is_drawn_inside_the_view() -> None:
    drawn = route_map(RINGS, HJOERRING, [(1, Point(57.58, 10.30))])
    x, y = drawn.base
    assert 0 < x < drawn.width and 0 < y < drawn.height
    assert (
        drawn.base_box == (round(x - BASE_HALF, 1), round(y - BASE_HALF, 1))
        and drawn.base_side == 2 * BASE_HALF
    )


def test_tiles_cover_the_view_and_none_without_a_tile_server() -> None:
    stops = [(1, Point(57.4612, 10.0105))]
    assert route_map(RINGS, HJOERRING, stops).tiles == []
    drawn = route_map(RINGS, HJOERRING, stops, tiles="https://kort.example.dk/{z}/{x}/{y}.png")
    assert drawn.tiles and all(t.href.startswith("https://kort.example.dk/") for t in drawn.tiles)
    assert min(t.x for t in drawn.tiles) <= 0 and min(t.y for t in drawn.tiles) <= 0
    assert max(t.x + t.size for t in drawn.tiles) >= drawn.width
    assert max(t.y + t.size for t in drawn.tiles) >= drawn.height
    assert len({t.href for t in drawn.tiles}) == len(drawn.tiles) <= 16


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(57.40, 57.50), st.floats(9.90, 10.05)),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 3),
)
def test_no_two_dots_overlap_wherever_the_stops_are(points: list[tuple[float, float]], repeats: int) -> None:
    stops = [(n, Point(lat, lon)) for n, (lat, lon) in enumerate(points + points[:repeats], start=1)]
    drawn = route_map(RINGS, HJOERRING, stops)
    dots = [(s.x, s.y) for s in drawn.stops]
    overlaps = [(a, b) for i, a in enumerate(dots) for b in dots[:i] if math.dist(a, b) < 2 * STOP_R - 0.5]
    assert not overlaps, f"overlapping dots: {overlaps}"
