"""The placing of synthetic dwellings inside the real municipality outline (:mod:`fhb.core.geography`):
postcode and city of a dwelling are those of the nearest town centre.

A municipality described by a file (:mod:`fhb.demo.synth.municipality_file`) may have no outline: its
dwellings cluster around its towns as usual, and the rural scatter lies within :data:`RURAL_RADIUS_KM` of
a town drawn at random, with no test of where the municipality ends.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from fhb.core.geography import Area, Centre, centres_of, outline_of
from fhb.demo.synth.figures import Municipality

_KM_PER_DEGREE_LAT = 111.2
_TWO_PI = 2.0 * math.pi


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
#: Without an outline, a rural dwelling lies uniformly within this distance of a town drawn at random (each
#: town equally likely). Assumption: villages and farms lie within a few km of a postcode's centre.
RURAL_RADIUS_KM = 5.0


def area_of(municipality: Municipality) -> Area:
    """The municipality's town centres and outline: a described municipality's own, else the package's
    (the postcode centroids inside the DAGI outline of its code)."""
    if municipality.area is not None:
        return municipality.area
    return Area(centres_of(municipality.code), outline_of(municipality.code))


class DwellingPlacer:
    """Draws dwelling positions: clustered around town centres, plus a rural scatter, inside the outline
    (or, without one, near the towns)."""

    def __init__(self, municipality: Municipality, rng: random.Random) -> None:
        self._rng = rng
        area = area_of(municipality)
        self.outline = area.outline
        self.centres = area.centres
        weights = [municipality.town_weights.get(c.postcode, 0.5) for c in self.centres]
        main = max(range(len(self.centres)), key=lambda i: weights[i])
        self._cumulative = list(accumulate(weights))
        self._spreads = [
            MAIN_TOWN_SPREAD_KM if i == main else TOWN_SPREAD_KM for i in range(len(self.centres))
        ]
        self._rural_share = municipality.rural_share
        if self.outline is not None:
            mid_lat = (self.outline.min_lat + self.outline.max_lat) / 2
        else:
            mid_lat = (min(c.lat for c in self.centres) + max(c.lat for c in self.centres)) / 2
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
        if o is None:
            return self._near_town(rural)
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

    def _near_town(self, rural: bool) -> Spot:
        """A dwelling position where no outline is known: rural within :data:`RURAL_RADIUS_KM` of a town
        drawn at random (uniform over the disc), else around a town drawn by weight, as with an outline."""
        rng = self._rng
        if rural:
            centre = self.centres[min(int(rng.random() * len(self.centres)), len(self.centres) - 1)]
            radius = RURAL_RADIUS_KM * math.sqrt(rng.random())
            in_town = False
        else:
            i = min(
                bisect_right(self._cumulative, rng.random() * self._cumulative[-1]), len(self.centres) - 1
            )
            centre = self.centres[i]
            radius = self._spreads[i] * math.sqrt(-2.0 * math.log(1.0 - rng.random()))
            in_town = True
        angle = _TWO_PI * rng.random()
        lat = centre.lat + radius * math.sin(angle) / _KM_PER_DEGREE_LAT
        lon = centre.lon + radius * math.cos(angle) / self._km_per_degree_lon
        c = self.nearest_centre(lon, lat)
        return Spot(lat, lon, c.postcode, c.city, in_town)
