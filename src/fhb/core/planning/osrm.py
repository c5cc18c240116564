"""Road travel matrices from an OSRM server's Table service.

This module and :mod:`fhb.core.planning.matrix_cache` are the planning core's only I/O, kept at its edge
and injected: the planner takes any :class:`~fhb.core.planning.travel.TravelTimes`, and the network call
is the ``fetch`` function given to :class:`OsrmClient` (by default :func:`urllib_fetch`, a plain GET with
a timeout). Tests pass a fake ``fetch`` and never touch the network.

The request, per the OSRM HTTP API (v5, ``table`` service)::

    GET {base_url}/table/v1/{profile}/{lon},{lat};{lon},{lat};...?annotations=duration,distance
        [&sources=0;1;...&destinations=k;k+1;...]

OSRM answers ``{"code": "Ok", "durations": [[...]], "distances": [[...]], "sources": [...],
"destinations": [...]}`` with seconds and metres, ``null`` for a pair with no route, and on failure a
``code`` such as ``InvalidQuery``, ``NoSegment`` or ``TooBig`` with an optional ``message`` (HTTP 400).
Distances need OSRM 5.22 or newer with the MLD algorithm (older MLD servers answer ``NotImplemented``).

Large matrices go as ``chunk`` x ``chunk`` blocks: a block on the diagonal sends its points alone, any
other block sends its rows' points then its columns' points with ``sources`` and ``destinations``. Keep
``chunk`` at or below the server's ``--max-table-size`` (osrm-routed's default is 100). Only citizens'
coordinates go to the server, so run it yourself (docs/travel-times.md); never the public demo server.

Wiring from the settings is the caller's job; for example::

    def travel_times() -> TravelTimes:
        if settings.FHB_TRAVEL == "osrm":
            cache = MatrixCache(Path(settings.FHB_DATA_DIR) / "osrm-cache")
            return OsrmClient(settings.FHB_OSRM_URL, cache=cache, stop_overhead_s=120)
        return TravelModel()
"""

from __future__ import annotations

import functools
import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from fhb.core.planning.matrix_cache import COORDINATE_DIGITS, MatrixCache
from fhb.core.planning.travel import Matrices, Point

Fetch = Callable[[str], bytes]
"""GET a URL and return the body; raise (OSError, OsrmError, ...) when that fails."""

DEFAULT_TIMEOUT_S = 60.0
"""Seconds :func:`urllib_fetch` waits for the server; a 100 x 100 block takes well under one."""


class OsrmError(RuntimeError):
    """OSRM could not give the matrices: the server failed, refused the request, or found no route."""


def urllib_fetch(url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> bytes:
    """GET ``url`` with urllib and return the body. The default ``fetch`` of :class:`OsrmClient`.

    OSRM answers a refused request with HTTP 400 and a JSON body; its ``code`` and ``message`` go into the
    :class:`OsrmError`. Other failures (no connection, timeout) raise urllib's own errors, which the
    client turns into an :class:`OsrmError`.
    """
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as exc:
        detail = _error_detail(exc.read()) or str(exc.reason)
        raise OsrmError(f"OSRM answered HTTP {exc.code}: {detail}") from exc


class OsrmClient:
    """Travel matrices from an OSRM server: a :class:`~fhb.core.planning.travel.TravelTimes`.

    ``base_url`` is the server's root, e.g. ``http://osrm:5000``. ``fetch`` does the GET (default
    :func:`urllib_fetch` with ``timeout_s``). ``cache`` keeps whole matrices on disk, keyed by server,
    profile and points. ``stop_overhead_s`` is added to every trip between two different points, like
    :attr:`TravelModel.stop_overhead_s <fhb.core.planning.travel.TravelModel.stop_overhead_s>` (OSRM only
    drives; 0 by default). Durations are rounded up to whole seconds, distances to whole metres.
    """

    def __init__(
        self,
        base_url: str,
        *,
        fetch: Fetch | None = None,
        cache: MatrixCache | None = None,
        chunk: int = 100,
        profile: str = "driving",
        timeout_s: float = DEFAULT_TIMEOUT_S,
        stop_overhead_s: int = 0,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"the OSRM URL must start with http:// or https://, got {base_url!r}")
        if chunk < 1:
            raise ValueError(f"chunk must be at least 1, got {chunk}")
        if not profile or "/" in profile:
            raise ValueError(f"not an OSRM profile name: {profile!r}")
        if stop_overhead_s < 0:
            raise ValueError(f"stop_overhead_s must not be negative, got {stop_overhead_s}")
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.chunk = chunk
        self.cache = cache
        self.stop_overhead_s = stop_overhead_s
        self._fetch: Fetch = fetch or functools.partial(urllib_fetch, timeout_s=timeout_s)

    def matrix(self, points: Sequence[Point], /) -> Matrices:
        """Durations and distances between all points (row: from, column: to), from the cache or OSRM.

        Raises :class:`OsrmError` when a request fails or a pair has no route. Fewer than two points need
        no request.
        """
        points = list(points)
        if self.cache is None or len(points) < 2:
            return self._with_overhead(points, self._request_all(points))
        key = MatrixCache.key(self.base_url, self.profile, points)
        driving = self.cache.get(key)
        if driving is None or driving.size != len(points):
            driving = self._request_all(points)
            self.cache.put(key, driving)
        return self._with_overhead(points, driving)

    def table_url(self, points: Sequence[Point], sources: int | None = None) -> str:
        """The Table request for ``points``; with ``sources`` = k, the first k are sources, the rest
        destinations (a block off the diagonal)."""
        coordinates = ";".join(_coordinate(p) for p in points)
        url = f"{self.base_url}/table/v1/{self.profile}/{coordinates}?annotations=duration,distance"
        if sources is not None:
            rows = ";".join(str(i) for i in range(sources))
            columns = ";".join(str(i) for i in range(sources, len(points)))
            url += f"&sources={rows}&destinations={columns}"
        return url

    def _request_all(self, points: Sequence[Point]) -> Matrices:
        n = len(points)
        duration_s = np.zeros((n, n), dtype=np.int64)
        distance_m = np.zeros((n, n), dtype=np.int64)
        starts = range(0, n, self.chunk)
        for r in starts:
            rows = range(r, min(r + self.chunk, n))
            for c in starts:
                columns = range(c, min(c + self.chunk, n))
                if r == c:
                    if len(rows) < 2:
                        continue  # one point to itself: no trip, no request
                    url = self.table_url([points[i] for i in rows])
                else:
                    url = self.table_url([points[i] for i in (*rows, *columns)], sources=len(rows))
                block_s, block_m = self._table(url, rows, columns)
                duration_s[r : rows.stop, c : columns.stop] = block_s
                distance_m[r : rows.stop, c : columns.stop] = block_m
        np.fill_diagonal(duration_s, 0)
        np.fill_diagonal(distance_m, 0)
        return Matrices(duration_s=duration_s, distance_m=distance_m)

    def _table(self, url: str, rows: range, columns: range) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """One Table request: the block's durations (rounded up) and distances (rounded)."""
        where = f"OSRM at {self.base_url}, points {_span(rows)} to {_span(columns)}"
        try:
            body = self._fetch(url)
        except OsrmError as exc:
            raise OsrmError(f"{where}: {exc}") from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise OsrmError(f"{where}: the request failed: {exc}") from exc
        try:
            answer = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise OsrmError(f"{where}: the answer is not JSON: {_preview(body)}") from exc
        if not isinstance(answer, dict):
            raise OsrmError(f"{where}: the answer is not a JSON object: {_preview(body)}")
        if answer.get("code") != "Ok":
            raise OsrmError(f"{where}: {_error_detail(body) or 'no code in the answer'}")
        shape = (len(rows), len(columns))
        seconds = _block(answer, "durations", shape, rows, columns, where)
        metres = _block(answer, "distances", shape, rows, columns, where)
        return (
            np.ceil(np.round(seconds, 6)).astype(np.int64),
            np.rint(metres).astype(np.int64),
        )

    def _with_overhead(self, points: Sequence[Point], driving: Matrices) -> Matrices:
        if self.stop_overhead_s == 0 or len(points) < 2:
            return driving
        lat = np.fromiter((p.lat for p in points), dtype=np.float64, count=len(points))
        lon = np.fromiter((p.lon for p in points), dtype=np.float64, count=len(points))
        moves = np.not_equal.outer(lat, lat) | np.not_equal.outer(lon, lon)
        duration_s = driving.duration_s + np.where(moves, self.stop_overhead_s, 0).astype(np.int64)
        return Matrices(duration_s=duration_s, distance_m=driving.distance_m)


def _coordinate(point: Point) -> str:
    """OSRM's order is longitude first."""
    return f"{point.lon:.{COORDINATE_DIGITS}f},{point.lat:.{COORDINATE_DIGITS}f}"


def _block(
    answer: dict[str, Any],
    name: str,
    shape: tuple[int, int],
    rows: range,
    columns: range,
    where: str,
) -> NDArray[np.float64]:
    """``answer[name]`` as a float array of ``shape``; a null names the pair, anything odd is an error."""
    table = answer.get(name)
    if not isinstance(table, list):
        hint = " (OSRM before 5.22 with MLD gives no distances)" if name == "distances" else ""
        raise OsrmError(f"{where}: the answer has no {name!r} table{hint}")
    if len(table) != shape[0] or any(not isinstance(row, list) or len(row) != shape[1] for row in table):
        raise OsrmError(f"{where}: {name!r} is not a {shape[0]} x {shape[1]} table")
    try:
        values = np.array(table, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise OsrmError(f"{where}: {name!r} holds something that is not a number") from exc
    unknown = ~np.isfinite(values)
    if unknown.any():
        i, j = (int(k) for k in np.argwhere(unknown)[0])
        if table[i][j] is None:
            raise OsrmError(
                f"{where}: no route from point {rows[i]} to point {columns[j]}"
                f" ({name} is null; is one of them on an island or off the map?)"
            )
        raise OsrmError(f"{where}: {name}[{i}][{j}] is not a number: {table[i][j]!r}")
    if (values < 0).any():
        i, j = (int(k) for k in np.argwhere(values < 0)[0])
        raise OsrmError(f"{where}: {name}[{i}][{j}] is negative: {table[i][j]!r}")
    return values


def _error_detail(body: bytes) -> str | None:
    """``"Code: message"`` from an OSRM error body, or None when the body is not one."""
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(answer, dict) or not isinstance(answer.get("code"), str):
        return None
    message = answer.get("message")
    return f"{answer['code']}: {message}" if message else str(answer["code"])


def _span(indices: range) -> str:
    return f"{indices.start}" if len(indices) == 1 else f"{indices.start}-{indices.stop - 1}"


def _preview(body: bytes, limit: int = 80) -> str:
    text = body[:limit].decode("utf-8", errors="replace")
    return repr(text + ("..." if len(body) > limit else ""))


__all__ = ["DEFAULT_TIMEOUT_S", "Fetch", "OsrmClient", "OsrmError", "urllib_fetch"]
