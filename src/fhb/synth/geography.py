"""Municipality outlines, town centres and the placing of synthetic dwellings inside the real outline.

The outline is the DAGI 2014 municipality polygon (package data ``fhb/data/geo``). A point is inside by the
even-odd rule over all rings (outer rings and holes of every polygon), with the edges bucketed into
horizontal bands so one test looks at a handful of edges, not all of them. Town centres are the postcode
centroids that lie inside the outline; postcode and city of a dwelling are those of the nearest centre.
"""

from __future__ import annotations

import csv
import json
import math
import random
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import accumulate

from fhb.synth.figures import Municipality

OUTLINES_FILE = "kommuner_860_657_183.geojson"
CENTROIDS_FILE = "postnumre_centroids_2014.csv"

_KM_PER_DEGREE_LAT = 111.2
_TWO_PI = 2.0 * math.pi


def _read_geo(name: str) -> str:
    return resources.files("fhb").joinpath("data", "geo", name).read_text(encoding="utf-8")


Ring = list[tuple[float, float]]


class Outline:
    """A (multi)polygon in lon/lat with a fast point-in-polygon test."""

    def __init__(self, rings: list[Ring], bands: int = 256) -> None:
        if not rings:
            raise ValueError("an outline needs at least one ring")
        self.rings = rings
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        self.min_lon, self.max_lon = min(xs), max(xs)
        self.min_lat, self.max_lat = min(ys), max(ys)
        self._bands = bands
        self._band_height = (self.max_lat - self.min_lat) / bands or 1e-9
        buckets: list[list[tuple[float, float, float, float]]] = [[] for _ in range(bands)]
        for ring in rings:
            for i in range(len(ring)):
                x1, y1 = ring[i]
                x2, y2 = ring[i - 1]
                if y1 == y2:
                    continue  # horizontal edges never cross a horizontal ray
                lo, hi = min(y1, y2), max(y1, y2)
                for b in range(self._band_of(lo), self._band_of(hi) + 1):
                    # slope stored as dx/dy for the crossing test
                    buckets[b].append((x1, y1, y2, (x2 - x1) / (y2 - y1)))
        self._buckets = [tuple(bucket) for bucket in buckets]

    def _band_of(self, lat: float) -> int:
        return min(self._bands - 1, max(0, int((lat - self.min_lat) / self._band_height)))

    def contains(self, lon: float, lat: float) -> bool:
        """True when (lon, lat) lies inside the outline (even-odd rule; points on an edge: either way)."""
        if not (self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon):
            return False
        inside = False
        for x1, y1, y2, slope in self._buckets[self._band_of(lat)]:
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * slope:
                inside = not inside
        return inside


def _rings_of(geometry: dict[str, object]) -> list[Ring]:
    kind = geometry["type"]
    coordinates = geometry["coordinates"]
    assert isinstance(coordinates, list)
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    if not polygons:
        raise ValueError(f"unsupported geometry type {kind!r}")
    return [[(float(p[0]), float(p[1])) for p in ring] for polygon in polygons for ring in polygon]


@cache
def outline_of(code: str) -> Outline:
    """The outline of the municipality with KOMKODE ``code`` (e.g. ``"0657"``)."""
    collection = json.loads(_read_geo(OUTLINES_FILE))
    for feature in collection["features"]:
        if feature["properties"]["KOMKODE"] == code:
            return Outline(_rings_of(feature["geometry"]))
    raise KeyError(f"no outline for municipality {code}")


@dataclass(frozen=True, slots=True)
class Centre:
    """A postcode centroid inside the municipality, used as a town centre."""

    postcode: str
    city: str
    lon: float
    lat: float


@cache
def centres_of(code: str) -> tuple[Centre, ...]:
    """The postcode centroids that lie inside the municipality's outline, by postcode."""
    outline = outline_of(code)
    found = []
    for row in csv.DictReader(_read_geo(CENTROIDS_FILE).splitlines()):
        if not row["postnr"].isdigit():
            continue  # Copenhagen's merged ranges ("1000-1499") are no single postcode
        lon, lat = float(row["lon"]), float(row["lat"])
        if outline.contains(lon, lat):
            found.append(Centre(row["postnr"], row["navn"], lon, lat))
    if not found:
        raise ValueError(f"no postcode centroid inside municipality {code}")
    return tuple(sorted(found, key=lambda c: c.postcode))


@dataclass(frozen=True, slots=True)
class Spot:
    """Where a dwelling is: position, postcode and city, and whether it lies in a town cluster."""

    lat: float
    lon: float
    postcode: str
    city: str
    in_town: bool


#: Spread (standard deviation, km) of dwellings around the main town's centre and around other centres.
MAIN_TOWN_SPREAD_KM = 1.8
TOWN_SPREAD_KM = 0.7


class DwellingPlacer:
    """Draws dwelling positions: clustered around town centres, plus a rural scatter, inside the outline."""

    def __init__(self, municipality: Municipality, rng: random.Random) -> None:
        self._rng = rng
        self.outline = outline_of(municipality.code)
        self.centres = centres_of(municipality.code)
        weights = [municipality.town_weights.get(c.postcode, 0.5) for c in self.centres]
        main = max(range(len(self.centres)), key=lambda i: weights[i])
        self._cumulative = list(accumulate(weights))
        self._spreads = [
            MAIN_TOWN_SPREAD_KM if i == main else TOWN_SPREAD_KM for i in range(len(self.centres))
        ]
        self._rural_share = municipality.rural_share
        mid_lat = (self.outline.min_lat + self.outline.max_lat) / 2
        self._km_per_degree_lon = _KM_PER_DEGREE_LAT * math.cos(math.radians(mid_lat))
        self._lon_scale = self._km_per_degree_lon / _KM_PER_DEGREE_LAT
        self._nearest: dict[tuple[int, int], Centre] = {}

    def nearest_centre(self, lon: float, lat: float) -> Centre:
        """The centre nearest to the middle of the point's 0.002-degree cell (about 130 m x 220 m),
        remembered per cell for speed."""
        cell = (int(lon * 500), int(lat * 500))
        centre = self._nearest.get(cell)
        if centre is None:
            centre = self._nearest[cell] = self._nearest_exact((cell[0] + 0.5) / 500, (cell[1] + 0.5) / 500)
        return centre

    def _nearest_exact(self, lon: float, lat: float) -> Centre:
        """The centre nearest to the point (equirectangular distance, fine at municipal scale)."""
        best = self.centres[0]
        best_d = math.inf
        for c in self.centres:
            dx = (c.lon - lon) * self._lon_scale
            dy = c.lat - lat
            d = dx * dx + dy * dy
            if d < best_d:
                best, best_d = c, d
        return best

    def place(self, rural: bool | None = None) -> Spot:
        """A random dwelling position inside the outline (``rural`` forces or forbids the scatter)."""
        rng = self._rng
        if rural is None:
            rural = rng.random() < self._rural_share
        o = self.outline
        if rural:
            for _ in range(1000):
                lon = o.min_lon + rng.random() * (o.max_lon - o.min_lon)
                lat = o.min_lat + rng.random() * (o.max_lat - o.min_lat)
                if o.contains(lon, lat):
                    c = self.nearest_centre(lon, lat)
                    return Spot(lat, lon, c.postcode, c.city, False)
        i = bisect_right(self._cumulative, rng.random() * self._cumulative[-1])
        i = min(i, len(self.centres) - 1)
        centre = self.centres[i]
        spread = self._spreads[i]
        for _ in range(1000):
            # Box-Muller: two independent normal offsets (km) from two uniforms.
            radius = spread * math.sqrt(-2.0 * math.log(1.0 - rng.random()))
            angle = _TWO_PI * rng.random()
            lat = centre.lat + radius * math.sin(angle) / _KM_PER_DEGREE_LAT
            lon = centre.lon + radius * math.cos(angle) / self._km_per_degree_lon
            if o.contains(lon, lat):
                c = self.nearest_centre(lon, lat)
                return Spot(lat, lon, c.postcode, c.city, True)
        return Spot(centre.lat, centre.lon, centre.postcode, centre.city, True)
