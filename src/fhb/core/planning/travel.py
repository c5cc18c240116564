"""Travel times between homes: the offline model the planner uses by default, and the shared interface.

The planner asks a :class:`TravelTimes` for the :class:`Matrices` of a list of :class:`Point`\\ s. Two
implementations exist:

- :class:`TravelModel` (this module): great-circle distance times a detour factor, driven at a town speed
  for the first few kilometres and a rural speed for the rest, plus a fixed overhead per stop. Pure, fast
  (2,000 points in well under a second), needs no server, and is only as good as its assumptions.
- :class:`fhb.core.planning.osrm.OsrmClient`: road durations and distances from an OSRM server (the
  core's only network I/O, at the edge and injected).

The figures in :class:`TravelModel` are **documented assumptions, not measurements**. Calibrate them
against OSRM before trusting plans in a new municipality: take a sample of real addresses (a few hundred
citizens' homes and the consultants' bases), compute ``OsrmClient(url).matrix(sample)`` and
``TravelModel().matrix(sample)``, and compare the off-diagonal entries: the median ratio of the road
distances calibrates ``detour_factor``; fitting OSRM's durations against the distances (short trips give
``town_kmh``, long ones ``rural_kmh``) calibrates the speeds. OSRM knows nothing of parking, so
``stop_overhead_s`` stays an assumption either way. ``docs/travel-times.md`` walks through it.

Units are in the names: ``_m`` metres, ``_s`` seconds, ``_km`` kilometres, ``_kmh`` kilometres per hour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius R1 = (2a + b) / 3 of the GRS80 ellipsoid, the IUGG mean radius (H. Moritz, "Geodetic
Reference System 1980", Bulletin Géodésique 54, 1980). Haversine with it is within about 0.5 % of the
ellipsoidal distance, far below the uncertainty of the detour factor."""

_Floats = NDArray[np.float64]

_ROUNDING_DIGITS = 6
"""Seconds are rounded to microseconds before rounding up, so that 480.0000000001 s counts as 480 s."""


@dataclass(frozen=True, slots=True)
class Point:
    """A place on Earth in WGS84 degrees (as in DAWA addresses and GPS): ``lat`` north, ``lon`` east."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        # Written as "not inside" so that NaN is refused too.
        if not -90.0 <= self.lat <= 90.0:
            raise ValueError(f"latitude must be between -90 and 90 degrees, got {self.lat!r}")
        if not -180.0 <= self.lon <= 180.0:
            raise ValueError(f"longitude must be between -180 and 180 degrees, got {self.lon!r}")


@dataclass(frozen=True, slots=True)
class Matrices:
    """Travel between n points: ``duration_s[i, j]`` seconds and ``distance_m[i, j]`` metres from i to j.

    Both are square int64 arrays of one size with a zero diagonal; they are made read-only, so copy them
    (``.copy()``, ``.astype(...)``) before changing them. Not necessarily symmetric (OSRM's are not).
    """

    duration_s: NDArray[np.int64]
    distance_m: NDArray[np.int64]

    def __post_init__(self) -> None:
        for name in ("duration_s", "distance_m"):
            array = getattr(self, name)
            if not isinstance(array, np.ndarray) or array.dtype != np.int64:
                raise ValueError(f"{name} must be a numpy int64 array")
            if array.ndim != 2 or array.shape[0] != array.shape[1]:
                raise ValueError(f"{name} must be square, got shape {array.shape}")
            if np.any(np.diagonal(array) != 0):
                raise ValueError(f"{name} must have a zero diagonal")
            array.setflags(write=False)
        if self.duration_s.shape != self.distance_m.shape:
            raise ValueError(
                "duration_s and distance_m differ in shape:"
                f" {self.duration_s.shape} and {self.distance_m.shape}"
            )

    @property
    def size(self) -> int:
        """The number of points."""
        return int(self.duration_s.shape[0])


class TravelTimes(Protocol):
    """Anything that gives the planner travel matrices: :class:`TravelModel` or the OSRM client."""

    def matrix(self, points: Sequence[Point], /) -> Matrices:
        """Durations and distances between every pair of ``points`` (row: from, column: to)."""
        ...


def great_circle_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres by the haversine formula on a sphere of :data:`EARTH_RADIUS_M`."""
    return float(_great_circle_m(*_coordinates([a]), *_coordinates([b]))[0, 0])


@dataclass(frozen=True, slots=True)
class TravelModel:
    """Road travel estimated from straight-line distance: the default when no OSRM server is configured.

    A trip from a to b covers ``road_m = detour_factor * great_circle_m(a, b)``. Its first ``town_km``
    are driven at ``town_kmh``, the rest at ``rural_kmh``, and ``stop_overhead_s`` is added to every trip
    between two different points (a trip from a point to itself takes 0 s). All figures are assumptions
    to calibrate against OSRM (see the module docstring), not Danish measurements:

    - ``detour_factor`` 1.3: road distance over great-circle distance. ``shared/data/README.md`` records
      it as "about 1.3 over great-circle distance (European cities average 1.34)", a documented
      assumption; rural Danish roads may well be straighter or more winding.
    - ``town_km`` 3.0 at ``town_kmh`` 30: leaving and entering towns. The Danish urban speed limit is
      50 km/h; junctions, roundabouts and finding the house bring the average down to an assumed 30.
    - ``rural_kmh`` 65: the rest of the trip. The limit on Danish rural roads is 80 km/h; villages,
      bends and tractors bring the average down to an assumed 65.
    - ``stop_overhead_s`` 120: parking and walking to the door, assumed.
    """

    detour_factor: float = 1.3
    town_km: float = 3.0
    town_kmh: float = 30.0
    rural_kmh: float = 65.0
    stop_overhead_s: int = 120

    def __post_init__(self) -> None:
        if not self.detour_factor >= 1.0:
            raise ValueError(
                f"detour_factor must be at least 1 (roads are never shorter), got {self.detour_factor!r}"
            )
        if not (self.town_km >= 0.0 and math.isfinite(self.town_km)):
            raise ValueError(f"town_km must be a non-negative number, got {self.town_km!r}")
        for name in ("town_kmh", "rural_kmh"):
            speed = getattr(self, name)
            if not (speed > 0.0 and math.isfinite(speed)):
                raise ValueError(f"{name} must be a positive speed, got {speed!r}")
        if self.stop_overhead_s < 0:
            raise ValueError(f"stop_overhead_s must not be negative, got {self.stop_overhead_s!r}")

    def road_m(self, a: Point, b: Point) -> float:
        """Estimated road distance in metres: great-circle distance times ``detour_factor``."""
        return float(self._road_m(*_coordinates([a]), *_coordinates([b]))[0, 0])

    def drive_s(self, road_m: float) -> float:
        """Seconds of driving (no stop overhead) for ``road_m`` metres: town speed first, then rural."""
        return float(self._drive_s(np.array([road_m], dtype=np.float64))[0])

    def travel_s(self, a: Point, b: Point) -> int:
        """Whole seconds from a to b, rounded up: driving plus ``stop_overhead_s``; 0 when a == b."""
        return int(self._matrices(*_coordinates([a]), *_coordinates([b]))[0][0, 0])

    def matrix(self, points: Sequence[Point], /) -> Matrices:
        """Durations (rounded up to seconds) and road distances (rounded to metres) between all points.

        Vectorised: 2,000 points take a fraction of a second and a few hundred MB at the peak. Entry
        [i, j] equals ``travel_s(points[i], points[j])`` and ``round(road_m(points[i], points[j]))``.
        """
        coordinates = _coordinates(points)
        duration_s, distance_m = self._matrices(*coordinates, *coordinates)
        np.fill_diagonal(duration_s, 0)
        np.fill_diagonal(distance_m, 0)
        return Matrices(duration_s=duration_s, distance_m=distance_m)

    def _road_m(
        self, lat_from: _Floats, lon_from: _Floats, lat_to: _Floats, lon_to: _Floats
    ) -> NDArray[np.float64]:
        road_m = _great_circle_m(lat_from, lon_from, lat_to, lon_to)
        road_m *= self.detour_factor
        return road_m

    def _drive_s(self, road_m: NDArray[np.float64]) -> NDArray[np.float64]:
        town_m = np.minimum(road_m, self.town_km * 1000.0)
        rural_m = road_m - town_m
        drive_s = town_m * (3.6 / self.town_kmh)
        drive_s += rural_m * (3.6 / self.rural_kmh)
        return drive_s

    def _matrices(
        self, lat_from: _Floats, lon_from: _Floats, lat_to: _Floats, lon_to: _Floats
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        road_m = self._road_m(lat_from, lon_from, lat_to, lon_to)
        seconds = self._drive_s(road_m)
        moves = np.not_equal.outer(lat_from, lat_to)
        moves |= np.not_equal.outer(lon_from, lon_to)
        seconds += np.where(moves, float(self.stop_overhead_s), 0.0)
        duration_s = np.ceil(np.round(seconds, _ROUNDING_DIGITS)).astype(np.int64)
        distance_m = np.rint(road_m).astype(np.int64)
        return duration_s, distance_m


def _coordinates(points: Sequence[Point]) -> tuple[_Floats, _Floats]:
    lat = np.fromiter((p.lat for p in points), dtype=np.float64, count=len(points))
    lon = np.fromiter((p.lon for p in points), dtype=np.float64, count=len(points))
    return lat, lon


def _great_circle_m(lat_from: _Floats, lon_from: _Floats, lat_to: _Floats, lon_to: _Floats) -> _Floats:
    """Haversine distances in metres, rows ``from`` and columns ``to``.

    Exactly symmetric: the half-angle differences enter through their absolute value and the cosines as
    the product cos(lat_i) * cos(lat_j), so [i, j] and [j, i] are the same floating-point operations.
    """
    phi_from, phi_to = np.radians(lat_from), np.radians(lat_to)
    h = np.subtract.outer(phi_from, phi_to)
    np.abs(h, out=h)
    h *= 0.5
    np.sin(h, out=h)
    np.square(h, out=h)
    term = np.multiply.outer(np.cos(phi_from), np.cos(phi_to))
    dlon = np.subtract.outer(np.radians(lon_from), np.radians(lon_to))
    np.abs(dlon, out=dlon)
    dlon *= 0.5
    np.sin(dlon, out=dlon)
    np.square(dlon, out=dlon)
    term *= dlon
    del dlon
    h += term
    del term
    np.clip(h, 0.0, 1.0, out=h)
    np.sqrt(h, out=h)
    np.arcsin(h, out=h)
    h *= 2.0 * EARTH_RADIUS_M
    return h


__all__ = ["EARTH_RADIUS_M", "Matrices", "Point", "TravelModel", "TravelTimes", "great_circle_m"]
