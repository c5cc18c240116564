"""The OSRM Table client, against hand-written OSRM answers in data/osrm (see its README). No network."""

from __future__ import annotations

import io
import json
import urllib.error
from email.message import Message
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fhb.core.planning import osrm
from fhb.core.planning.matrix_cache import MatrixCache
from fhb.core.planning.osrm import OsrmClient, OsrmError, urllib_fetch
from fhb.core.planning.travel import Matrices, Point

DATA = Path(__file__).parent / "data" / "osrm"
BASE = "http://osrm.test:5000"
HJOERRING = Point(57.4642, 9.9823)
HIRTSHALS = Point(57.5881, 9.9596)
SINDAL = Point(57.4712, 10.206)
TVERSTED = Point(57.5866, 10.196)
VRAA = Point(57.354, 9.942)
FIVE = [HJOERRING, HIRTSHALS, SINDAL, TVERSTED, VRAA]
THREE = FIVE[:3]
THREE_URL = (
    f"{BASE}/table/v1/driving/9.982300,57.464200;9.959600,57.588100;10.206000,57.471200"
    "?annotations=duration,distance"
)


class FakeOsrm:
    """A ``fetch`` that answers from data/osrm/requests.json (plus overrides) and records the URLs."""

    def __init__(self, overrides: dict[str, str | bytes] | None = None) -> None:
        recorded = json.loads((DATA / "requests.json").read_text(encoding="utf-8"))
        self.answers: dict[str, str | bytes] = {BASE + path: name for path, name in recorded.items()}
        self.answers.update(overrides or {})
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        if url not in self.answers:
            raise AssertionError(f"the client asked for a URL with no recorded answer: {url}")
        answer = self.answers[url]
        return answer if isinstance(answer, bytes) else (DATA / answer).read_bytes()


def recorded(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


def expected(name: str) -> Matrices:
    """The matrices a whole-table file should give: seconds rounded up, metres rounded."""
    answer = recorded(name)
    return Matrices(
        duration_s=np.ceil(np.array(answer["durations"], dtype=np.float64)).astype(np.int64),
        distance_m=np.rint(np.array(answer["distances"], dtype=np.float64)).astype(np.int64),
    )


def assert_same(got: Matrices, want: Matrices) -> None:
    np.testing.assert_array_equal(got.duration_s, want.duration_s, err_msg="durations differ")
    np.testing.assert_array_equal(got.distance_m, want.distance_m, err_msg="distances differ")


# --- the request ------------------------------------------------------------------------------------


def test_url_puts_longitude_first_and_asks_for_durations_and_distances() -> None:
    fake = FakeOsrm()
    OsrmClient(BASE, fetch=fake).matrix(THREE)
    assert fake.urls == [THREE_URL], "one request, lon,lat order, both annotations, no sources/destinations"


def test_trailing_slash_of_the_base_url_is_ignored() -> None:
    fake = FakeOsrm()
    OsrmClient(BASE + "/", fetch=fake).matrix(THREE)
    assert fake.urls == [THREE_URL], "the base URL's trailing slash must not double"


def test_profile_goes_into_the_path() -> None:
    client = OsrmClient(BASE, fetch=FakeOsrm(), profile="car")
    assert client.table_url([HJOERRING]).startswith(f"{BASE}/table/v1/car/9.982300,57.464200?"), (
        "the profile names the path segment after /table/v1/"
    )


def test_off_diagonal_block_names_sources_and_destinations() -> None:
    url = OsrmClient(BASE, fetch=FakeOsrm()).table_url([HJOERRING, HIRTSHALS, SINDAL], sources=2)
    assert url.endswith("?annotations=duration,distance&sources=0;1&destinations=2"), url


# --- answers ----------------------------------------------------------------------------------------


def test_durations_round_up_and_distances_round_to_whole_metres() -> None:
    got = OsrmClient(BASE, fetch=FakeOsrm()).matrix(THREE)
    assert got.duration_s[0, 1] == 869, "868.4 s rounds up to 869 s"
    assert got.duration_s[1, 0] == 862, "861.9 s rounds up to 862 s"
    assert got.distance_m[0, 1] == 17213, "17213.4 m rounds to 17213 m"
    assert got.distance_m[1, 0] == 17389, "17388.9 m rounds to 17389 m"
    assert got.duration_s.dtype == np.int64 and got.distance_m.dtype == np.int64
    assert_same(got, expected("table_p0-p2.json"))


def test_asymmetry_of_osrm_is_kept() -> None:
    got = OsrmClient(BASE, fetch=FakeOsrm()).matrix(THREE)
    assert got.duration_s[0, 2] != got.duration_s[2, 0], "row is from, column is to: do not symmetrise"


def test_one_point_or_none_needs_no_request() -> None:
    fake = FakeOsrm()
    client = OsrmClient(BASE, fetch=fake)
    assert client.matrix([]).size == 0
    assert client.matrix([HJOERRING]).duration_s.tolist() == [[0]]
    assert fake.urls == [], "a trip from a point to itself is no trip"


def test_stop_overhead_is_added_between_different_points_only() -> None:
    points = [HJOERRING, HIRTSHALS, HJOERRING]
    fake = FakeOsrm()
    url = OsrmClient(BASE).table_url(points)
    fake.answers[url] = json.dumps(
        {
            "code": "Ok",
            "durations": [[0, 868.4, 0], [861.9, 0, 861.9], [0, 868.4, 0]],
            "distances": [[0, 17213.4, 0], [17388.9, 0, 17388.9], [0, 17213.4, 0]],
        }
    ).encode()
    got = OsrmClient(BASE, fetch=fake, stop_overhead_s=120).matrix(points)
    assert got.duration_s.tolist() == [[0, 989, 0], [982, 0, 982], [0, 989, 0]], (
        "120 s between different points, none for a point to itself or to the same place"
    )
    assert got.distance_m[0, 1] == 17213, "the overhead does not change distances"


# --- chunking ---------------------------------------------------------------------------------------


def test_chunks_of_two_over_five_points_stitch_into_the_whole_matrix() -> None:
    fake = FakeOsrm()
    got = OsrmClient(BASE, fetch=fake, chunk=2).matrix(FIVE)
    assert_same(got, expected("table_p0-p4.json"))
    assert len(fake.urls) == 8, "3 x 3 blocks, less the one-point block on the diagonal"


def test_chunks_of_two_over_three_points_stitch_into_the_whole_matrix() -> None:
    fake = FakeOsrm()
    got = OsrmClient(BASE, fetch=fake, chunk=2).matrix(THREE)
    assert_same(got, expected("table_p0-p2.json"))
    assert fake.urls == [
        f"{BASE}/table/v1/driving/9.982300,57.464200;9.959600,57.588100?annotations=duration,distance",
        f"{BASE}/table/v1/driving/9.982300,57.464200;9.959600,57.588100;10.206000,57.471200"
        "?annotations=duration,distance&sources=0;1&destinations=2",
        f"{BASE}/table/v1/driving/10.206000,57.471200;9.982300,57.464200;9.959600,57.588100"
        "?annotations=duration,distance&sources=0&destinations=1;2",
    ], "diagonal block alone, then rows' points before columns' points with sources and destinations"


def test_a_big_chunk_sends_one_request() -> None:
    fake = FakeOsrm()
    got = OsrmClient(BASE, fetch=fake, chunk=5).matrix(FIVE)
    assert_same(got, expected("table_p0-p4.json"))
    assert len(fake.urls) == 1


# --- cache ------------------------------------------------------------------------------------------


def test_a_cache_hit_makes_no_request(tmp_path: Path) -> None:
    cache = MatrixCache(tmp_path / "osrm-cache")
    first = OsrmClient(BASE, fetch=FakeOsrm(), cache=cache).matrix(THREE)

    def no_network(url: str) -> bytes:
        raise AssertionError(f"the cache should have answered, but the client asked for {url}")

    again = OsrmClient(BASE, fetch=no_network, cache=cache).matrix(THREE)
    assert_same(again, first)
    assert [p.name for p in (tmp_path / "osrm-cache").iterdir()] == [
        MatrixCache.key(BASE, "driving", THREE) + ".npz"
    ], "one .npz file per matrix and no temporary file left behind"


def test_the_cache_stores_driving_only_so_overhead_can_change(tmp_path: Path) -> None:
    cache = MatrixCache(tmp_path)
    plain = OsrmClient(BASE, fetch=FakeOsrm(), cache=cache).matrix(THREE)
    padded = OsrmClient(BASE, fetch=FakeOsrm(), cache=cache, stop_overhead_s=60).matrix(THREE)
    assert padded.duration_s[0, 1] == plain.duration_s[0, 1] + 60


def test_cache_key_depends_on_server_profile_and_order() -> None:
    key = MatrixCache.key(BASE, "driving", THREE)
    assert key != MatrixCache.key("http://other:5000", "driving", THREE), "another server"
    assert key != MatrixCache.key(BASE, "car", THREE), "another profile"
    assert key != MatrixCache.key(BASE, "driving", THREE[::-1]), "another order"
    nudged = [Point(HJOERRING.lat + 1e-9, HJOERRING.lon), *THREE[1:]]
    assert key == MatrixCache.key(BASE, "driving", nudged), "coordinates are rounded to 6 decimals"


def test_a_damaged_cache_file_is_a_miss(tmp_path: Path) -> None:
    cache = MatrixCache(tmp_path)
    cache.path(MatrixCache.key(BASE, "driving", THREE)).write_bytes(b"not an npz file")
    fake = FakeOsrm()
    got = OsrmClient(BASE, fetch=fake, cache=cache).matrix(THREE)
    assert fake.urls == [THREE_URL], "an unreadable file must be refetched, not trusted"
    assert_same(got, expected("table_p0-p2.json"))
    stored = cache.get(MatrixCache.key(BASE, "driving", THREE))
    assert stored is not None, "the refetched matrix replaces the damaged file"
    assert_same(stored, got)


# --- errors -----------------------------------------------------------------------------------------


def test_osrm_error_code_gives_its_message() -> None:
    fake = FakeOsrm({THREE_URL: "invalid_query.json"})
    with pytest.raises(OsrmError, match="InvalidQuery: Query string malformed close to position 37"):
        OsrmClient(BASE, fetch=fake).matrix(THREE)


def test_no_segment_error_gives_its_message() -> None:
    fake = FakeOsrm({THREE_URL: "no_segment.json"})
    with pytest.raises(OsrmError, match="NoSegment: Could not find a matching segment for coordinate 2"):
        OsrmClient(BASE, fetch=fake).matrix(THREE)


def test_null_duration_names_the_two_points() -> None:
    fake = FakeOsrm({THREE_URL: "unreachable_p1_to_p2.json"})
    with pytest.raises(OsrmError, match="no route from point 1 to point 2"):
        OsrmClient(BASE, fetch=fake).matrix(THREE)


def test_null_in_a_chunked_block_names_the_points_by_their_place_in_the_whole_list() -> None:
    block = (
        f"{BASE}/table/v1/driving/10.206000,57.471200;10.196000,57.586600;9.982300,57.464200;"
        "9.959600,57.588100?annotations=duration,distance&sources=0;1&destinations=2;3"
    )
    fake = FakeOsrm({block: "unreachable_block_r2-3_c0-1.json"})
    with pytest.raises(OsrmError, match="no route from point 3 to point 0"):
        OsrmClient(BASE, fetch=fake, chunk=2).matrix(FIVE)


def test_missing_distances_say_which_osrm_lacks_them() -> None:
    fake = FakeOsrm({THREE_URL: "durations_only_p0-p2.json"})
    with pytest.raises(OsrmError, match=r"no 'distances' table .*5\.22"):
        OsrmClient(BASE, fetch=fake).matrix(THREE)


def test_table_of_the_wrong_shape_is_an_error() -> None:
    answer = recorded("table_p0-p1.json")
    fake = FakeOsrm({THREE_URL: json.dumps(answer).encode()})
    with pytest.raises(OsrmError, match="'durations' is not a 3 x 3 table"):
        OsrmClient(BASE, fetch=fake).matrix(THREE)


def test_http_error_raised_by_fetch_becomes_osrm_error() -> None:
    def failing(url: str) -> bytes:
        raise urllib.error.HTTPError(url, 502, "Bad Gateway", Message(), None)

    with pytest.raises(OsrmError, match="request failed: HTTP Error 502: Bad Gateway") as caught:
        OsrmClient(BASE, fetch=failing).matrix(THREE)
    assert "points 0-2 to 0-2" in str(caught.value), "the message says which block failed"
    assert "57.46" not in str(caught.value), "the message must not carry citizens' coordinates"


def test_timeout_becomes_osrm_error() -> None:
    def slow(url: str) -> bytes:
        raise TimeoutError("timed out")

    with pytest.raises(OsrmError, match=f"OSRM at {BASE}.*timed out"):
        OsrmClient(BASE, fetch=slow).matrix(THREE)


def test_an_answer_that_is_not_json_is_an_error() -> None:
    fake = FakeOsrm({THREE_URL: b"<html><body>502 Bad Gateway</body></html>"})
    with pytest.raises(OsrmError, match="not JSON: '<html><body>502 Bad Gateway"):
        OsrmClient(BASE, fetch=fake).matrix(THREE)


def test_a_number_that_is_not_a_number_is_an_error() -> None:
    answer = recorded("table_p0-p2.json")
    answer["distances"][0][1] = "far"
    fake = FakeOsrm({THREE_URL: json.dumps(answer).encode()})
    with pytest.raises(OsrmError, match="'distances' holds something that is not a number"):
        OsrmClient(BASE, fetch=fake).matrix(THREE)


def test_default_fetch_reports_osrm_message_from_an_http_400(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = (DATA / "too_big.json").read_bytes()

    def urlopen(request: Any, timeout: float) -> Any:
        raise urllib.error.HTTPError(request.full_url, 400, "Bad Request", Message(), io.BytesIO(body))

    monkeypatch.setattr(osrm.urllib.request, "urlopen", urlopen)
    with pytest.raises(OsrmError, match="HTTP 400: TooBig: Too many table coordinates"):
        urllib_fetch(THREE_URL)
    with pytest.raises(OsrmError, match="TooBig: Too many table coordinates"):
        OsrmClient(BASE).matrix(THREE)


def test_default_fetch_passes_its_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, float]] = []
    body = (DATA / "table_p0-p2.json").read_bytes()

    def urlopen(request: Any, timeout: float) -> Any:
        seen.append((request.full_url, timeout))
        return io.BytesIO(body)

    monkeypatch.setattr(osrm.urllib.request, "urlopen", urlopen)
    got = OsrmClient(BASE, timeout_s=7.5).matrix(THREE)
    assert seen == [(THREE_URL, 7.5)]
    assert_same(got, expected("table_p0-p2.json"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": "osrm:5000"}, "must start with http"),
        ({"chunk": 0}, "chunk must be at least 1"),
        ({"profile": "a/b"}, "not an OSRM profile"),
        ({"stop_overhead_s": -1}, "must not be negative"),
    ],
)
def test_bad_configuration_is_refused(kwargs: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"base_url": BASE, **kwargs}
    with pytest.raises(ValueError, match=message):
        OsrmClient(**arguments)
