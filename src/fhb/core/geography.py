"""Municipality outlines and town centres, from the package data ``fhb/data/geo``.

The outline is the DAGI 2014 municipality polygon. A point is inside by the even-odd rule over all rings
(outer rings and holes of every polygon), with the edges bucketed into horizontal bands so one test looks
at a handful of edges, not all of them. Town centres are the postcode centroids that lie inside the
outline. The synthetic municipality places its dwellings inside the outline; the day's route map draws it
and labels the towns in view (:mod:`fhb.core.route_map`). A municipality described by a file
(``fhb.demo.synth.municipality_file``) brings its own towns and, if any, its own outline
(:func:`outline_from_geojson`), as an :class:`Area`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

OUTLINES_FILE = "kommuner_860_657_183.geojson"
CENTROIDS_FILE = "postnumre_centroids_2014.csv"


def read_geo(name: str) -> str:
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


def rings_of(geometry: dict[str, object]) -> list[Ring]:
    kind = geometry["type"]
    coordinates = geometry["coordinates"]
    assert isinstance(coordinates, list)
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    if not polygons:
        raise ValueError(f"unsupported geometry type {kind!r}")
    return [[(float(p[0]), float(p[1])) for p in ring] for polygon in polygons for ring in polygon]


def outline_from_geojson(document: object) -> Outline:
    """The outline of a GeoJSON Polygon or MultiPolygon, given as a geometry, a Feature or a
    FeatureCollection (all its features' polygons together). ValueError saying what is wrong otherwise."""
    if not isinstance(document, dict):
        raise ValueError("not a GeoJSON object")
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or not features:
            raise ValueError("a FeatureCollection without features")
        geometries = [f.get("geometry") if isinstance(f, dict) else None for f in features]
    elif kind == "Feature":
        geometries = [document.get("geometry")]
    else:
        geometries = [document]
    rings: list[Ring] = []
    for geometry in geometries:
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            found = geometry.get("type") if isinstance(geometry, dict) else geometry
            raise ValueError(f"a Polygon or MultiPolygon is needed, not {found!r}")
        try:
            rings.extend(rings_of(geometry))
        except (AssertionError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise ValueError(f"the {geometry['type']}'s coordinates are not rings of [lon, lat]") from exc
    if not rings or any(len(ring) < 4 for ring in rings):
        raise ValueError("a polygon ring needs at least 4 positions")
    return Outline(rings)


@cache
def outline_of(code: str) -> Outline:
    """The outline of the municipality with KOMKODE ``code`` (e.g. ``"0657"``)."""
    collection = json.loads(read_geo(OUTLINES_FILE))
    for feature in collection["features"]:
        if feature["properties"]["KOMKODE"] == code:
            return Outline(rings_of(feature["geometry"]))
    raise KeyError(f"no outline for municipality {code}")


@dataclass(frozen=True, slots=True)
class Centre:
    """A postcode centroid inside the municipality, used as a town centre."""

    postcode: str
    city: str
    lon: float
    lat: float


@cache
def postcode_centres() -> tuple[Centre, ...]:
    """Every postcode centroid of the country, by postcode (Copenhagen's merged ranges left out)."""
    found = [
        Centre(row["postnr"], row["navn"], float(row["lon"]), float(row["lat"]))
        for row in csv.DictReader(read_geo(CENTROIDS_FILE).splitlines())
        if row["postnr"].isdigit()  # Copenhagen's merged ranges ("1000-1499") are no single postcode
    ]
    return tuple(sorted(found, key=lambda c: c.postcode))


@dataclass(frozen=True, slots=True)
class Area:
    """Where a municipality's people live: its town centres, and its outline when one is known."""

    centres: tuple[Centre, ...]
    outline: Outline | None


@cache
def centres_of(code: str) -> tuple[Centre, ...]:
    """The postcode centroids that lie inside the municipality's outline, by postcode."""
    outline = outline_of(code)
    found = tuple(c for c in postcode_centres() if outline.contains(c.lon, c.lat))
    if not found:
        raise ValueError(f"no postcode centroid inside municipality {code}")
    return found
