"""The municipality file (municipality.toml): the figures and towns of a municipality fhb ships none for.

Good files load, every bad one is refused naming the file, the key and why; no database.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhb.demo.synth.figures import MUNICIPALITIES
from fhb.demo.synth.geography import RURAL_RADIUS_KM, DwellingPlacer
from fhb.demo.synth.municipality_file import (
    MunicipalityFileError,
    file_beside,
    municipality_for_standard,
    read_municipality,
)

STANDARDS = Path(__file__).parents[2] / "data" / "standards"
AEROE = STANDARDS / "aeroe" / "municipality.toml"
KOEGE = STANDARDS / "koege" / "municipality.toml"

GOOD = """\
code = 492
name = "Ærø"
inhabitants = 6000
aged_65_plus = 2000
rural_share = 0.3
refugee_rate = 0.0003
[towns]
5960 = 3.0
5970 = 2.0
5985 = 1.0
"""

#: A square around the three Ærø towns (lon 10.2-10.55, lat 54.8-55.0).
SQUARE = [[[10.2, 54.8], [10.55, 54.8], [10.55, 55.0], [10.2, 55.0], [10.2, 54.8]]]


def write(folder: Path, text: str, name: str = "municipality.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path, code: int | None = 492) -> str:
    with pytest.raises(MunicipalityFileError) as caught:
        read_municipality(path, code=code)
    message = str(caught.value)
    assert all(line.startswith(f"{path}: ") for line in message.splitlines()), message
    return message


def test_the_aeroe_file_loads_with_its_three_towns() -> None:
    aeroe = read_municipality(AEROE, code=492)
    assert (aeroe.code, aeroe.name) == ("0492", "Ærø")
    assert 5000 <= aeroe.inhabitants <= 7000 and 1500 <= aeroe.aged_65_plus <= 2500
    assert aeroe.area is not None and aeroe.area.outline is None
    assert [(c.postcode, c.city) for c in aeroe.area.centres] == [
        ("5960", "Marstal"),
        ("5970", "Ærøskøbing"),
        ("5985", "Søby Ærø"),
    ]


def test_the_koege_file_loads_with_its_six_towns() -> None:
    koege = read_municipality(KOEGE, code=259)
    assert (koege.code, koege.name) == ("0259", "Køge")
    assert 55_000 <= koege.inhabitants <= 70_000 and 10_000 <= koege.aged_65_plus <= 14_000
    assert koege.area is not None
    assert {c.postcode for c in koege.area.centres} == {"4600", "4623", "4632", "4681", "4682", "4140"}
    assert max(koege.town_weights, key=koege.town_weights.__getitem__) == "4600"


def test_the_file_beside_a_standard_file_wins_else_the_shipped_figures(tmp_path: Path) -> None:
    standard = STANDARDS / "aeroe" / "aeroe.toml"
    assert file_beside(str(standard)) == AEROE
    assert file_beside("hjoerring") is None
    assert file_beside(str(tmp_path / "vores.toml")) is None
    assert municipality_for_standard(str(standard), 492).name == "Ærø"
    assert municipality_for_standard("hjoerring", 860) is MUNICIPALITIES["hjoerring"]
    # A file beside a standard of a shipped municipality replaces its figures.
    write(tmp_path, GOOD.replace("code = 492", "code = 860"))
    assert municipality_for_standard(str(tmp_path / "vores.toml"), 860).name == "Ærø"
    # --municipality names the file wherever it is.
    given = write(tmp_path, GOOD, "aeroe-figures.toml")
    assert municipality_for_standard("hjoerring", 492, given).town_weights == {
        "5960": 3.0,
        "5970": 2.0,
        "5985": 1.0,
    }


def test_no_figures_says_how_to_give_them() -> None:
    with pytest.raises(ValueError) as caught:
        municipality_for_standard("nowhere/vores.toml", 751)
    assert "municipality code 751" in str(caught.value)
    assert "municipality.toml beside the standard file, or --municipality FILE" in str(caught.value)


def test_the_split_age_groups_are_summed(tmp_path: Path) -> None:
    text = GOOD.replace("aged_65_plus = 2000", "aged_65_79 = 1400\naged_80_plus = 600")
    aeroe = read_municipality(write(tmp_path, text))
    assert (aeroe.aged_65_plus, aeroe.aged_65_79, aeroe.aged_80_plus) == (2000, 1400, 600)


BAD = [
    ("colour = 1\n" + GOOD, "colour: unknown key"),
    (
        GOOD.replace("inhabitants = 6000", 'inhabitants = "6000"'),
        "inhabitants: Input should be a valid integer",
    ),
    (
        GOOD.replace("inhabitants = 6000", "inhabitants = 6000.0"),
        "inhabitants: Input should be a valid integer",
    ),
    (GOOD.replace("inhabitants = 6000\n", ""), "inhabitants: missing key"),
    (GOOD.replace("rural_share = 0.3", "rural_share = 1.5"), "rural_share: Input should be less than 1"),
    (GOOD.replace("rural_share = 0.3", "rural_share = true"), "rural_share: Input should be a valid number"),
    (GOOD.replace("refugee_rate = 0.0003", "refugee_rate = -0.1"), "refugee_rate: Input should be greater"),
    (GOOD.replace('name = "Ærø"', 'name = ""'), "name: String should have at least 1 character"),
    (GOOD.replace("code = 492", "code = 259"), "code: 259 is not the standard's municipality.code (492)"),
    (GOOD.replace("code = 492", "code = 5000"), "code: Input should be less than or equal to 999"),
    (GOOD.replace("5985 = 1.0", "5999 = 1.0"), "towns.5999: no such postcode in the postcode centroids"),
    (GOOD.replace("5985 = 1.0", "598 = 1.0"), "towns.598: a postcode has four digits"),
    (GOOD.replace("5985 = 1.0", "5985 = 0.0"), "towns.5985: Input should be greater than 0"),
    (GOOD.replace("5985 = 1.0", "5985 = nan"), "towns.5985: Input should be a finite number"),
    (GOOD.replace("5985 = 1.0", '5985 = "stor"'), "towns.5985: Input should be a valid number"),
    (GOOD.split("[towns]")[0] + "[towns]\n", "towns: Dictionary should have at least 1 item"),
    (GOOD.split("[towns]")[0], "towns: missing key"),
    (GOOD.replace("aged_65_plus = 2000", "aged_65_plus = 2000\naged_80_plus = 600"), "aged_65_plus: give"),
    (GOOD.replace("aged_65_plus = 2000", "aged_65_79 = 1400"), "aged_80_plus: missing key"),
    (GOOD.replace("aged_65_plus = 2000\n", ""), "aged_65_plus: missing key"),
    (GOOD.replace("aged_65_plus = 2000", "aged_65_plus = 7000"), "inhabitants: 6000 is not more than"),
    ("code = 492\nname = \n", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "why"), BAD, ids=[why.split(":")[0] for _, why in BAD])
def test_a_bad_file_is_refused_with_the_key_and_why(tmp_path: Path, text: str, why: str) -> None:
    assert why in refusal(write(tmp_path, text))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    assert "cannot read the file: No such file or directory" in refusal(tmp_path / "municipality.toml")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "municipality.toml"
    path.write_bytes(GOOD.encode("latin-1"))
    assert "not UTF-8 text" in refusal(path)


@pytest.mark.parametrize(
    ("document", "why"),
    [
        (None, "outline: cannot read"),
        ("{", "is not JSON"),
        ({"type": "Point", "coordinates": [10.3, 54.9]}, "a Polygon or MultiPolygon is needed, not 'Point'"),
        ({"type": "FeatureCollection", "features": []}, "a FeatureCollection without features"),
        ({"type": "Polygon", "coordinates": [[[10.2, 54.8], [10.5, 54.8]]]}, "at least 4 positions"),
        ({"type": "Polygon", "coordinates": [["x"]]}, "not rings of [lon, lat]"),
        (
            {"type": "Polygon", "coordinates": [[[10.2, 54.8], [10.3, 54.8], [10.3, 54.85], [10.2, 54.8]]]},
            "towns.5960: the centre of 5960 Marstal lies outside the outline",
        ),
    ],
)
def test_a_bad_outline_is_refused(tmp_path: Path, document: object, why: str) -> None:
    if document is not None:
        text = document if isinstance(document, str) else json.dumps(document)
        write(tmp_path, text, "outline.geojson")
    text = GOOD.replace("[towns]", 'outline = "outline.geojson"\n[towns]')
    assert why in refusal(write(tmp_path, text))


def test_an_outline_as_feature_keeps_every_dwelling_inside(tmp_path: Path) -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": SQUARE}}
    write(tmp_path, json.dumps({"type": "FeatureCollection", "features": [feature]}), "outline.geojson")
    text = GOOD.replace("[towns]", 'outline = "outline.geojson"\n[towns]')
    aeroe = read_municipality(write(tmp_path, text), code=492)
    assert aeroe.area is not None and aeroe.area.outline is not None
    placer = DwellingPlacer(aeroe, random.Random(1))
    spots = [placer.place() for _ in range(2000)]
    assert all(10.2 <= s.lon <= 10.55 and 54.8 <= s.lat <= 55.0 for s in spots)
    assert {s.postcode for s in spots} == {"5960", "5970", "5985"}


def test_without_an_outline_rural_dwellings_lie_near_a_town() -> None:
    aeroe = read_municipality(AEROE)
    placer = DwellingPlacer(aeroe, random.Random(2))
    rural = [placer.place(rural=True) for _ in range(1000)]
    assert not any(s.in_town for s in rural)
    assert aeroe.area is not None

    def km_to_nearest_town(lat: float, lon: float) -> float:
        return min(
            math.hypot((lat - c.lat) * 111.2, (lon - c.lon) * 111.2 * math.cos(math.radians(lat)))
            for c in aeroe.area.centres  # type: ignore[union-attr]
        )

    distances = [km_to_nearest_town(s.lat, s.lon) for s in rural]
    assert max(distances) <= RURAL_RADIUS_KM + 0.01
    assert max(distances) > RURAL_RADIUS_KM * 0.9, "spread over the whole radius"
    assert {s.postcode for s in rural} == {"5960", "5970", "5985"}


VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
)
KEYS = ["code", "name", "inhabitants", "aged_65_plus", "rural_share", "refugee_rate", "outline", "towns"]


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # inf, -inf and nan are TOML floats too
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value) if not isinstance(value, list) else "[" + ", ".join(map(str, value)) + "]"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(KEYS), value=VALUES)
def test_any_value_of_any_key_loads_or_is_refused_by_key(tmp_path: Path, key: str, value: object) -> None:
    lines = [line for line in GOOD.split("[towns]")[0].splitlines() if not line.startswith(f"{key} =")]
    towns = "\n[towns]\n" + GOOD.split("[towns]\n")[1]
    if key == "towns":
        towns = ""
    text = "\n".join([*lines, f"{key} = {toml_value(value)}"]) + towns
    path = write(tmp_path, text)
    try:
        read_municipality(path, code=492)
    except MunicipalityFileError as error:
        assert str(error).startswith(f"{path}: ") and error.problems
        assert all(p.key.split(".")[0] in ["", *KEYS] and p.why for p in error.problems), error.problems
