"""The synthetic municipality generator (``fhb synth``): format, determinism, plausibility. No database."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest
from stdnum.dk import cpr as stdnum_cpr

from fhb.cli import main
from fhb.core.population.model import CIVIL_STATUS_CODES, EVENT_KINDS
from fhb.demo.synth import figures
from fhb.demo.synth.cpr_numbers import satisfies_modulus_11
from fhb.demo.synth.generator import CITIZEN_COLUMNS, EVENT_COLUMNS, SynthOptions, generate

EXTRACT = date(2027, 1, 1)
# The contract's columns (shared/contract/README.md), in its order.
CONTRACT_CITIZEN_COLUMNS = [
    "cpr",
    "name",
    "address_id",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "civil_status",
    "civil_status_date",
    "spouse_cpr",
    "death_date",
    "digital_post_exempt",
    "address_protected",
]
CONTRACT_EVENT_COLUMNS = ["cpr", "kind", "start", "end", "note"]
SHARED_STATS = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "data"
    / "stats"
    / "folk1a_2025Q4_denmark_maritalstatus_selected_ages.csv"
)


def _texts(standard: str, seed: int, size: float) -> tuple[str, str]:
    citizens, events = io.StringIO(), io.StringIO()
    generate(SynthOptions(standard=standard, seed=seed, size=size), citizens, events)
    return citizens.getvalue(), events.getvalue()


class Extract:
    """A generated extract, parsed with the csv module, with the helpers the tests need."""

    def __init__(self, standard: str, seed: int, size: float) -> None:
        self.standard = standard
        self.citizens_text, self.events_text = _texts(standard, seed, size)
        self.citizens = list(csv.DictReader(io.StringIO(self.citizens_text)))
        self.events = list(csv.DictReader(io.StringIO(self.events_text)))
        self.by_cpr = {c["cpr"]: c for c in self.citizens}
        self.alive = [c for c in self.citizens if not c["death_date"]]
        self.households: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._in_force: dict[str, set[str]] = {}
        for c in self.alive:
            self.households[c["address_id"]].append(c)

    @staticmethod
    def age(c: dict[str, str]) -> int:
        born = stdnum_cpr.get_birth_date(c["cpr"])
        return EXTRACT.year - born.year - ((EXTRACT.month, EXTRACT.day) < (born.month, born.day))

    def lives_alone(self, c: dict[str, str]) -> bool:
        """The contract's definition: no other living person aged 18 or over has the same address_id."""
        return not any(o is not c and self.age(o) >= 18 for o in self.households[c["address_id"]])

    def in_force(self, kind: str) -> set[str]:
        """The people with a fact of ``kind`` in force on the extract date."""
        if kind not in self._in_force:
            iso = EXTRACT.isoformat()
            self._in_force[kind] = {
                e["cpr"]
                for e in self.events
                if e["kind"] == kind and e["start"] <= iso and (not e["end"] or iso <= e["end"])
            }
        return self._in_force[kind]


@pytest.fixture(scope="module")
def herning() -> Extract:
    return Extract("herning", seed=11, size=0.5)


@pytest.fixture(scope="module", params=["hjoerring", "herning", "ishoej"])
def each_municipality(request: pytest.FixtureRequest) -> Extract:
    return Extract(request.param, seed=5, size=0.1)


# --- format ------------------------------------------------------------------------------------------------


def test_files_have_exactly_the_contract_columns(herning: Extract) -> None:
    assert list(CITIZEN_COLUMNS) == CONTRACT_CITIZEN_COLUMNS
    assert list(EVENT_COLUMNS) == CONTRACT_EVENT_COLUMNS
    citizens_header = next(csv.reader(io.StringIO(herning.citizens_text)))
    events_header = next(csv.reader(io.StringIO(herning.events_text)))
    assert citizens_header == CONTRACT_CITIZEN_COLUMNS
    assert events_header == CONTRACT_EVENT_COLUMNS
    assert all(
        len(row) == len(CONTRACT_CITIZEN_COLUMNS) for row in csv.reader(io.StringIO(herning.citizens_text))
    )
    assert all(
        len(row) == len(CONTRACT_EVENT_COLUMNS) for row in csv.reader(io.StringIO(herning.events_text))
    )


def test_dates_are_iso_and_flags_are_1_or_empty(herning: Extract) -> None:
    for c in herning.citizens:
        for column in ("civil_status_date", "death_date"):
            if c[column]:
                assert date.fromisoformat(c[column]) < EXTRACT, (column, c)
        assert c["digital_post_exempt"] in ("", "1")
        assert c["address_protected"] in ("", "1")
        assert c["civil_status"] in CIVIL_STATUS_CODES, c
        assert c["name"] and c["street"] and c["postcode"].isdigit() and c["city"], c


def test_a_dwelling_has_one_postal_address(herning: Extract) -> None:
    for members in herning.households.values():
        assert len({(m["street"], m["postcode"], m["city"], m["lat"], m["lon"]) for m in members}) == 1, (
            members
        )


# --- determinism -------------------------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files() -> None:
    assert _texts("herning", 3, 0.05) == _texts("herning", 3, 0.05)


def test_distinct_seeds_give_distinct_files() -> None:
    first, second = _texts("herning", 3, 0.05), _texts("herning", 4, 0.05)
    assert first[0] != second[0] and first[1] != second[1]


def test_cli_writes_both_files_and_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["synth", "--standard", "ishoej", "--seed", "1", "--size", "0.05", "--out", str(tmp_path / "out")]
    )
    assert code == 0
    assert "persons" in capsys.readouterr().err
    citizens = (tmp_path / "out" / "citizens.csv").read_bytes()
    assert citizens.decode("utf-8").startswith(",".join(CONTRACT_CITIZEN_COLUMNS) + "\n")
    assert (
        (tmp_path / "out" / "events.csv").read_text(encoding="utf-8").startswith("cpr,kind,start,end,note\n")
    )
    again = tmp_path / "again"
    assert main(["synth", "--standard", "ishoej", "--seed", "1", "--size", "0.05", "--out", str(again)]) == 0
    assert (again / "citizens.csv").read_bytes() == citizens


def test_cli_refuses_a_year_the_cpr_rules_cannot_hold(tmp_path: Path) -> None:
    assert (
        main(["synth", "--standard", "herning", "--seed", "1", "--year", "2200", "--out", str(tmp_path)]) == 2
    )
    assert not (tmp_path / "citizens.csv").exists()


# --- CPR numbers -------------------------------------------------------------------------------------------


def test_every_cpr_is_valid_unique_and_both_checksum_kinds_occur(herning: Extract) -> None:
    cprs = [c["cpr"] for c in herning.citizens]
    assert len(set(cprs)) == len(cprs)
    for number in cprs:
        assert stdnum_cpr.validate(number) == number
    passing = sum(satisfies_modulus_11(n) for n in cprs)
    assert 0.4 < passing / len(cprs) < 0.6, "about half should pass modulus 11, the rest must not"


def test_cpr_sex_digit_matches_the_first_name(herning: Extract) -> None:
    from fhb.demo.synth import names

    male = {n for generation in names.MALE_NAMES for n in generation} | set(names.REFUGEE_MALE)
    female = {n for generation in names.FEMALE_NAMES for n in generation} | set(names.REFUGEE_FEMALE)
    for c in herning.citizens:
        first = c["name"].split()[0]
        expected = male if int(c["cpr"][-1]) % 2 else female
        assert first in expected, c


# --- households -----------------------------------------------------------------------------------------


def test_every_spouse_cpr_points_to_a_row_and_back(herning: Extract) -> None:
    linked = [c for c in herning.citizens if c["spouse_cpr"]]
    assert linked
    for c in linked:
        spouse = herning.by_cpr.get(c["spouse_cpr"])
        assert spouse is not None, c
        assert spouse["spouse_cpr"] == c["cpr"], (c, spouse)


def test_living_married_couples_share_a_dwelling_unless_one_is_in_a_nursing_home(herning: Extract) -> None:
    in_home = herning.in_force("nursing_home")
    for c in herning.alive:
        if c["civil_status"] in ("G", "P"):
            spouse = herning.by_cpr[c["spouse_cpr"]]
            assert spouse["civil_status"] in ("G", "P")
            assert spouse["civil_status_date"] == c["civil_status_date"]
            if c["cpr"] not in in_home and spouse["cpr"] not in in_home:
                assert spouse["address_id"] == c["address_id"], (c, spouse)


def test_the_recently_dead_leave_a_widowed_spouse_on_the_same_day(herning: Extract) -> None:
    dead = [c for c in herning.citizens if c["death_date"]]
    assert dead, "some persons should have died in the months before the extract"
    for c in dead:
        died = date.fromisoformat(c["death_date"])
        assert c["civil_status"] == "D"
        assert EXTRACT - timedelta(days=91) <= died < EXTRACT
        if c["spouse_cpr"]:
            spouse = herning.by_cpr[c["spouse_cpr"]]
            assert spouse["civil_status"] in ("E", "L"), spouse
            assert spouse["civil_status_date"] == c["death_date"]


def test_some_widows_lost_their_spouse_within_the_last_year(herning: Extract) -> None:
    recent = [
        c
        for c in herning.alive
        if c["civil_status"] == "E"
        and EXTRACT - timedelta(days=366) <= date.fromisoformat(c["civil_status_date"])
    ]
    older = [c for c in herning.alive if c["civil_status"] == "E" and c not in recent]
    assert len(recent) > 20 and len(older) > len(recent)


def test_share_living_alone_among_65_plus_is_realistic(herning: Extract) -> None:
    aged = [c for c in herning.alive if herning.age(c) >= 65]
    alone = sum(herning.lives_alone(c) for c in aged)
    assert 0.30 <= alone / len(aged) <= 0.46, f"{alone / len(aged):.1%} of 65+ live alone (38.1 % in 2019)"


def test_nursing_homes_hold_several_residents_each_in_their_own_dwelling(herning: Extract) -> None:
    residents = herning.in_force("nursing_home")
    assert residents
    buildings = Counter((c["lat"], c["lon"]) for c in herning.alive if c["cpr"] in residents)
    assert max(buildings.values()) >= 5
    for c in herning.alive:
        if c["cpr"] in residents:
            assert herning.households[c["address_id"]] == [c]


def test_a_17_year_old_grandchild_lives_with_someone_who_still_lives_alone() -> None:
    extract = Extract("hjoerring", seed=2, size=0.5)
    minors = [c for c in extract.alive if extract.age(c) == 17]
    assert minors, "a few 17-year-old grandchildren are expected at this size"
    elders_alone = 0
    for minor in minors:
        household = extract.households[minor["address_id"]]
        adults = [c for c in household if extract.age(c) >= 18]
        assert any(extract.age(c) >= 65 for c in adults), household
        elders_alone += len(adults) == 1 and extract.lives_alone(adults[0])
    assert elders_alone, "a minor at home must not stop someone from living alone"


# --- ages ------------------------------------------------------------------------------------------------


def test_age_distribution_follows_the_folk1a_table(each_municipality: Extract) -> None:
    ages = Counter(each_municipality.age(c) for c in each_municipality.alive)
    in_band = {lo: sum(ages[a] for a in range(lo, lo + 5)) for lo in range(60, 100, 5)}
    assert in_band[65] > in_band[75] > in_band[85] > in_band[95]
    assert in_band[60] > 0, "people aged 60-64 are needed for forecasts"
    assert max(ages) <= 100 and min(ages) >= 17


def test_size_1_matches_the_municipality_figures() -> None:
    extract = Extract("ishoej", seed=9, size=1.0)
    aged = sum(1 for c in extract.citizens if extract.age(c) >= 65)
    assert abs(aged - figures.MUNICIPALITIES["ishoej"].aged_65_plus) < 150, aged


def test_shipped_table_agrees_with_the_shared_copy() -> None:
    if not SHARED_STATS.exists():
        pytest.skip("shared/ data folder not present")
    shipped = {(r.age, r.status): (r.men, r.women) for r in figures.folk1a()}
    for line in SHARED_STATS.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "age")) or not line:
            continue
        age, status, total, men, women = line.split(",")
        assert shipped[(int(age), status)] == (int(men), int(women)), line
        assert int(total) == int(men) + int(women)


# --- positions ---------------------------------------------------------------------------------------------


def _inside(lon: float, lat: float, rings: list[list[list[float]]]) -> bool:
    """Plain even-odd ray casting over all rings, independent of the generator's banded version."""
    inside = False
    for ring in rings:
        for i in range(len(ring)):
            x1, y1 = ring[i][0], ring[i][1]
            x2, y2 = ring[i - 1][0], ring[i - 1][1]
            if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def test_every_dwelling_lies_inside_the_municipality_outline(each_municipality: Extract) -> None:
    text = resources.files("fhb").joinpath("data", "geo", "kommuner_860_657_183.geojson").read_text("utf-8")
    code = figures.MUNICIPALITIES[each_municipality.standard].code
    (feature,) = [f for f in json.loads(text)["features"] if f["properties"]["KOMKODE"] == code]
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    rings = [ring for polygon in polygons for ring in polygon]
    positions = {(float(c["lon"]), float(c["lat"])) for c in each_municipality.citizens}
    outside = [p for p in positions if not _inside(p[0], p[1], rings)]
    assert not outside, outside[:5]


# --- events ----------------------------------------------------------------------------------------------


def test_events_are_known_kinds_about_known_people_and_end_after_start(herning: Extract) -> None:
    assert herning.events
    for e in herning.events:
        assert e["kind"] in EVENT_KINDS, e
        assert e["cpr"] in herning.by_cpr, e
        start = date.fromisoformat(e["start"])
        assert start < EXTRACT, e
        if e["end"]:
            assert date.fromisoformat(e["end"]) >= start, e


def test_the_usual_kinds_all_occur_at_municipal_size(herning: Extract) -> None:
    kinds = Counter(e["kind"] for e in herning.events)
    rare = {"refugee", "interpreter", "bereavement", "sensory_loss", "declined_all"}
    missing = set(EVENT_KINDS) - set(kinds) - rare
    assert not missing, missing
    both = herning.in_force("personal_care") & herning.in_force("practical_help")
    assert len(both) > 50, "many receive both kinds of home care"
    holistic = herning.in_force("holistic_care")
    assert len(holistic) > 20, "grants since July 2025 are helhedspleje (Ældreloven)"
    assert not holistic & both, "a helhedspleje grant is not also written as the two § 83 kinds"
    ended = [e for e in herning.events if e["kind"] == "practical_help" and e["end"]]
    assert ended, "some home-care grants ended before the extract date"


def test_spouse_to_nursing_home_is_on_the_partner_at_home(herning: Extract) -> None:
    moved_in = {e["cpr"]: e["start"] for e in herning.events if e["kind"] == "nursing_home"}
    moves = [e for e in herning.events if e["kind"] == "spouse_to_nursing_home"]
    assert moves
    for e in moves:
        assert e["cpr"] not in moved_in, e
        spouse_cpr = herning.by_cpr[e["cpr"]]["spouse_cpr"]
        if spouse_cpr:  # married; cohabitants are not linked in citizens.csv
            assert moved_in.get(spouse_cpr) == e["start"], e


def test_dementia_and_home_care_rise_with_age(herning: Extract) -> None:
    def share(kind: str, lo: int, hi: int) -> float:
        people = [c for c in herning.alive if lo <= herning.age(c) <= hi]
        return sum(c["cpr"] in herning.in_force(kind) for c in people) / len(people)

    assert share("dementia", 85, 100) > 3 * share("dementia", 65, 74)
    assert share("practical_help", 85, 100) > 3 * share("practical_help", 65, 74)


def test_digital_post_exemption_and_address_protection_shares(herning: Extract) -> None:
    aged = [c for c in herning.alive if herning.age(c) >= 65]
    exempt = sum(c["digital_post_exempt"] == "1" for c in aged) / len(aged)
    assert 0.03 <= exempt <= 0.10, exempt
    protected = sum(c["address_protected"] == "1" for c in herning.citizens) / len(herning.citizens)
    assert protected < 0.02


def test_the_project_reader_accepts_the_files(tmp_path: Path) -> None:
    reader = pytest.importorskip("fhb.core.population.csv_reader")
    citizens, events = _texts("ishoej", 8, 0.1)
    (tmp_path / "citizens.csv").write_text(citizens, encoding="utf-8")
    (tmp_path / "events.csv").write_text(events, encoding="utf-8")
    population = reader.read_population(tmp_path / "citizens.csv", tmp_path / "events.csv")
    assert len(population.citizens) == citizens.count("\n") - 1
    assert len(population.events) == events.count("\n") - 1
