"""The offline travel model: great-circle distance, detour factor, town and rural speeds, stop overhead."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fhb.core.planning.travel import EARTH_RADIUS_M, Matrices, Point, TravelModel, TravelTimes, great_circle_m

COPENHAGEN_CITY_HALL = Point(55.6761, 12.5683)
AARHUS = Point(56.1629, 10.2039)
HJOERRING = Point(57.4642, 9.9823)
HIRTSHALS = Point(57.5881, 9.9596)
SINDAL = Point(57.4712, 10.206)
MODEL = TravelModel()

# Denmark and a margin: where the planner's points are.
danish_points = st.builds(
    Point,
    lat=st.floats(54.5, 57.8, allow_nan=False),
    lon=st.floats(8.0, 15.2, allow_nan=False),
)


def north_of(point: Point, metres: float) -> Point:
    """The point ``metres`` due north along the meridian (exact on the model's sphere)."""
    return Point(point.lat + math.degrees(metres / EARTH_RADIUS_M), point.lon)


# --- Point ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (90.5, 10.0, "latitude must be between -90 and 90"),
        (-91.0, 10.0, "latitude must be between -90 and 90"),
        (56.0, 180.5, "longitude must be between -180 and 180"),
        (56.0, -200.0, "longitude must be between -180 and 180"),
        (math.nan, 10.0, "latitude"),
        (56.0, math.nan, "longitude"),
    ],
)
def test_point_refuses_coordinates_off_the_globe(lat: float, lon: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Point(lat, lon)


def test_point_accepts_the_edges() -> None:
    assert Point(-90.0, -180.0) != Point(90.0, 180.0)


# --- great-circle distance --------------------------------------------------------------------------


def test_copenhagen_city_hall_to_aarhus_is_about_156_km() -> None:
    distance_m = great_circle_m(COPENHAGEN_CITY_HALL, AARHUS)
    assert distance_m == pytest.approx(156_000, rel=0.01), f"got {distance_m:.0f} m"


def test_one_degree_of_latitude_is_the_mean_radius_times_pi_over_180() -> None:
    one_degree_m = EARTH_RADIUS_M * math.pi / 180
    assert great_circle_m(Point(56.0, 10.0), Point(57.0, 10.0)) == pytest.approx(one_degree_m, rel=1e-9)
    assert one_degree_m == pytest.approx(111_195.08, abs=0.01)


def test_antipodes_are_half_the_circumference_apart() -> None:
    assert great_circle_m(Point(0.0, 0.0), Point(0.0, 180.0)) == pytest.approx(math.pi * EARTH_RADIUS_M)


def test_a_point_is_no_distance_from_itself() -> None:
    assert great_circle_m(HJOERRING, HJOERRING) == 0.0


# --- the model: figures -----------------------------------------------------------------------------


def test_defaults_are_the_documented_assumptions() -> None:
    assert (MODEL.detour_factor, MODEL.town_km, MODEL.town_kmh, MODEL.rural_kmh, MODEL.stop_overhead_s) == (
        1.3,
        3.0,
        30.0,
        65.0,
        120,
    ), "change docs/travel-times.md with the defaults"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"detour_factor": 0.9}, "detour_factor must be at least 1"),
        ({"detour_factor": math.nan}, "detour_factor"),
        ({"town_km": -1.0}, "town_km must be a non-negative number"),
        ({"town_kmh": 0.0}, "town_kmh must be a positive speed"),
        ({"rural_kmh": -65.0}, "rural_kmh must be a positive speed"),
        ({"rural_kmh": math.inf}, "rural_kmh must be a positive speed"),
        ({"stop_overhead_s": -1}, "stop_overhead_s must not be negative"),
    ],
)
def test_model_refuses_impossible_figures(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TravelModel(**kwargs)  # type: ignore[arg-type]


def test_road_distance_is_the_great_circle_times_the_detour_factor() -> None:
    assert MODEL.road_m(HJOERRING, HIRTSHALS) == pytest.approx(1.3 * great_circle_m(HJOERRING, HIRTSHALS))


def test_first_three_km_at_town_speed() -> None:
    assert MODEL.drive_s(0.0) == 0.0
    assert MODEL.drive_s(1_500.0) == pytest.approx(180.0), "1.5 km at 30 km/h is 3 minutes"
    assert MODEL.drive_s(3_000.0) == pytest.approx(360.0), "3 km at 30 km/h is 6 minutes"


def test_the_rest_at_rural_speed() -> None:
    assert MODEL.drive_s(3_000.0 + 65_000.0) == pytest.approx(360.0 + 3_600.0), "then 65 km at 65 km/h"


def test_travel_adds_the_stop_overhead_and_rounds_up() -> None:
    straight = TravelModel(detour_factor=1.0)
    a = Point(57.0, 10.0)
    b = north_of(a, 10_000.0)
    # 3 km at 30 km/h (360 s) + 7 km at 65 km/h (387.7 s) + 120 s = 867.7 s
    assert straight.travel_s(a, b) == 868


def test_overhead_only_between_different_points() -> None:
    assert MODEL.travel_s(HJOERRING, HJOERRING) == 0, "a zero trip takes no time"
    next_door = north_of(HJOERRING, 0.5)
    assert MODEL.travel_s(HJOERRING, next_door) == 121, "half a metre away still means parking: 120 s + a bit"


def test_zero_overhead_model_gives_pure_driving() -> None:
    model = TravelModel(stop_overhead_s=0)
    assert model.travel_s(HJOERRING, HIRTSHALS) == math.ceil(
        model.drive_s(model.road_m(HJOERRING, HIRTSHALS))
    )


def test_towns_in_hjoerring_are_a_quarter_hour_or_more_apart() -> None:
    # Hjørring to Hirtshals: 13.8 km great-circle, 18 km by the model, about 22 minutes with parking.
    assert 18 * 60 <= MODEL.travel_s(HJOERRING, HIRTSHALS) <= 25 * 60


# --- the matrix -------------------------------------------------------------------------------------


def test_matrix_equals_the_pairwise_calls() -> None:
    points = [HJOERRING, HIRTSHALS, SINDAL, COPENHAGEN_CITY_HALL, AARHUS, HJOERRING]
    matrices = MODEL.matrix(points)
    for i, a in enumerate(points):
        for j, b in enumerate(points):
            assert matrices.duration_s[i, j] == MODEL.travel_s(a, b), f"duration {i} -> {j}"
            assert matrices.distance_m[i, j] == round(MODEL.road_m(a, b)), f"distance {i} -> {j}"


def test_matrix_is_square_int64_symmetric_with_zero_diagonal() -> None:
    points = [HJOERRING, HIRTSHALS, SINDAL, AARHUS]
    matrices = MODEL.matrix(points)
    for name in ("duration_s", "distance_m"):
        array = getattr(matrices, name)
        assert array.shape == (4, 4) and array.dtype == np.int64, name
        assert (array == array.T).all(), f"{name} is symmetric"
        assert (np.diagonal(array) == 0).all(), f"{name} has a zero diagonal"
    assert matrices.size == 4


def test_the_same_place_twice_is_a_zero_trip_in_the_matrix() -> None:
    matrices = MODEL.matrix([HJOERRING, SINDAL, HJOERRING])
    assert matrices.duration_s[0, 2] == 0 and matrices.distance_m[0, 2] == 0


def test_matrix_of_no_points_is_empty() -> None:
    assert MODEL.matrix([]).duration_s.shape == (0, 0)


def test_matrices_are_read_only() -> None:
    matrices = MODEL.matrix([HJOERRING, SINDAL])
    with pytest.raises(ValueError, match="read-only"):
        matrices.duration_s[0, 1] = 1


def test_model_is_a_travel_times() -> None:
    travel: TravelTimes = MODEL
    assert isinstance(travel.matrix([HJOERRING]), Matrices)


def test_two_thousand_points_give_a_whole_matrix() -> None:
    """How fast is the planning benchmark's business (benchmarks/planning.py), not a unit test's: a timed
    assertion here failed on a busy machine."""
    rng = np.random.default_rng(860)
    points = [
        Point(float(lat), float(lon))
        for lat, lon in zip(rng.uniform(57.2, 57.6, 2000), rng.uniform(9.6, 10.6, 2000), strict=True)
    ]
    matrices = MODEL.matrix(points)
    assert matrices.size == 2000


@pytest.mark.parametrize(
    ("duration_s", "distance_m", "message"),
    [
        (np.zeros((2, 3), np.int64), np.zeros((2, 3), np.int64), "must be square"),
        (np.zeros((2, 2), np.float64), np.zeros((2, 2), np.int64), "int64"),
        (np.ones((2, 2), np.int64), np.zeros((2, 2), np.int64), "zero diagonal"),
        (np.zeros((2, 2), np.int64), np.zeros((3, 3), np.int64), "differ in shape"),
    ],
)
def test_matrices_refuse_what_the_planner_cannot_use(
    duration_s: np.ndarray, distance_m: np.ndarray, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Matrices(duration_s=duration_s, distance_m=distance_m)


# --- properties -------------------------------------------------------------------------------------


@given(danish_points, danish_points)
def test_travel_is_non_negative_and_symmetric(a: Point, b: Point) -> None:
    assert MODEL.road_m(a, b) >= 0.0
    assert MODEL.travel_s(a, b) >= 0
    assert MODEL.road_m(a, b) == MODEL.road_m(b, a)
    assert MODEL.travel_s(a, b) == MODEL.travel_s(b, a)


@given(danish_points, danish_points)
def test_travel_between_different_points_includes_the_overhead(a: Point, b: Point) -> None:
    expected_min = 0 if a == b else MODEL.stop_overhead_s
    assert MODEL.travel_s(a, b) >= expected_min


@given(danish_points, danish_points, danish_points)
def test_travel_time_is_monotone_in_distance(origin: Point, b: Point, c: Point) -> None:
    if origin not in (b, c) and great_circle_m(origin, b) <= great_circle_m(origin, c):
        assert MODEL.travel_s(origin, b) <= MODEL.travel_s(origin, c)


@given(st.floats(0.0, 500_000.0), st.floats(0.0, 500_000.0))
def test_driving_time_is_monotone_in_road_distance(d1_m: float, d2_m: float) -> None:
    shorter, longer = sorted((d1_m, d2_m))
    assert MODEL.drive_s(shorter) <= MODEL.drive_s(longer)


@given(danish_points, danish_points, danish_points)
def test_a_detour_through_a_third_point_is_never_faster(a: Point, b: Point, c: Point) -> None:
    # Great-circle distance obeys the triangle inequality, and driving time is concave in distance (town
    # speed first), so going via b costs at least as much; 1 s of slack for rounding up.
    assert MODEL.travel_s(a, c) <= MODEL.travel_s(a, b) + MODEL.travel_s(b, c) + 1
    assert MODEL.road_m(a, c) <= MODEL.road_m(a, b) + MODEL.road_m(b, c) + 1e-6


def test_farther_along_a_line_is_longer() -> None:
    steps = [north_of(HJOERRING, metres) for metres in (0.0, 10.0, 1_000.0, 3_000.0, 10_000.0, 100_000.0)]
    durations = [MODEL.travel_s(HJOERRING, p) for p in steps]
    distances = [MODEL.road_m(HJOERRING, p) for p in steps]
    assert durations == sorted(durations) and distances == sorted(distances)
    assert len(set(durations)) == len(durations), f"each step farther takes longer: {durations}"
