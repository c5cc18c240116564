"""The synthetic municipality: households of people 60+ (and those they live with) and their care facts.

Writes the contract's ``citizens.csv`` and ``events.csv`` (shared/contract/README.md) row by row, so memory
stays small at national scale. Everything random comes from one ``random.Random(seed)``; the same options
give byte-identical files. The clock is never read: the extract date is 1 January of ``year``.

How a population is built (figures and sources: :mod:`fhb.demo.synth.figures`, docs/synthetic-data.md):

1. The national FOLK1A table (single years 55-100, sex, marital status) is scaled to the municipality and
   by ``size``. Each married man (55+) is one couple, his wife's age drawn from the usual age gap (couples
   where both are under 60 are left out); each non-married person 60+ is one household, and some
   non-married men share it with a non-married woman (an unmarried couple). The households are shuffled.
2. Per household: names, CPR numbers, a dwelling inside the municipality's outline; deaths in the 90 days
   before the extract (the dead stay in the extract with civil status D; a spouse becomes widowed on that
   day); nursing-home residents get their own dwelling in a shared nursing-home building; some households
   have an adult child or a 17-year-old grandchild living in.
3. Per person 55+: care facts (:mod:`fhb.demo.synth.care`), Digital Post exemption, address protection.
"""

from __future__ import annotations

import csv
import random
from array import array
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from fhb.core.population.columns import CITIZEN_COLUMNS, EVENT_COLUMNS
from fhb.demo.synth import figures as f
from fhb.demo.synth import names
from fhb.demo.synth.care import CareFacts
from fhb.demo.synth.cpr_numbers import CprAllocator
from fhb.demo.synth.geography import DwellingPlacer, Spot

_SINGLE, _MARRIED, _COHABITING = 0, 1, 2
_STATUS_INDEX = {s: i for i, s in enumerate(f.STATUSES)}
_MARRIED_INDEX = _STATUS_INDEX["married_separated"]


@dataclass(frozen=True, slots=True)
class SynthOptions:
    """What to generate: municipality key, seed, size multiplier, plan year and extract date.

    ``standard`` is the key of a shipped municipality (:data:`fhb.demo.synth.figures.MUNICIPALITIES`);
    ``municipality``, when given, is used instead (one described by a file, with its own figures and
    towns: :mod:`fhb.demo.synth.municipality_file`), and ``standard`` only names it.

    Ages are those of the plan year; deaths, bereavements and ended courses lie before the extract date,
    which is 1 January of the plan year unless ``on`` says otherwise (a demo built in the autumn takes
    today's extract for next year's plan).
    """

    standard: str
    seed: int
    size: float = 1.0
    year: int = 2027
    on: date | None = None
    municipality: f.Municipality | None = None

    @property
    def extract_date(self) -> date:
        return self.on or date(self.year, 1, 1)


@dataclass(frozen=True, slots=True)
class SynthSummary:
    """Counts of what was written (living people 65+ and those of them living alone, on the extract date)."""

    persons: int
    dwellings: int
    events: int
    aged_65_plus: int
    alone_65_plus: int
    deaths: int
    nursing_home_residents: int

    def line(self) -> str:
        share = self.alone_65_plus / self.aged_65_plus if self.aged_65_plus else 0.0
        return (
            f"{self.persons} persons, {self.dwellings} dwellings, {self.events} events"
            f" ({self.aged_65_plus} living aged 65+, {share:.1%} of them alone; {self.deaths} recent deaths;"
            f" {self.nursing_home_residents} in nursing homes)"
        )


def _cell(age: int, male: bool, status: int) -> int:
    return (age - f.MIN_TABLE_AGE) * 8 + (4 if male else 0) + status


def _uncell(cell: int) -> tuple[int, bool, int]:
    return f.MIN_TABLE_AGE + cell // 8, bool(cell & 4), cell & 3


class _Person:
    __slots__ = (
        "age",
        "birth",
        "cpr",
        "death",
        "male",
        "name",
        "nursing_home",
        "spouse",
        "status",
        "status_date",
        "surname",
    )

    def __init__(self, age: int, male: bool, status: str) -> None:
        self.age = age
        self.male = male
        self.status = status
        self.birth = 0
        self.cpr = ""
        self.name = ""
        self.surname = ""
        self.status_date: int | None = None
        self.spouse = ""
        self.death: int | None = None
        self.nursing_home: int | None = None  # moving-in ordinal


class _Builder:
    def __init__(self, options: SynthOptions, citizens: TextIO, events: TextIO) -> None:
        if options.municipality is None and options.standard not in f.MUNICIPALITIES:
            raise ValueError(
                f"unknown municipality {options.standard!r}; choose one of {sorted(f.MUNICIPALITIES)}"
            )
        if options.size <= 0:
            raise ValueError("--size must be positive")
        self.m = options.municipality or f.MUNICIPALITIES[options.standard]
        self.options = options
        self.rng = random.Random(options.seed)
        self.d = options.extract_date.toordinal()
        self.year = options.year
        self.cprs = CprAllocator(self.rng)
        self.placer = DwellingPlacer(self.m, self.rng)
        self._citizens = csv.writer(citizens, lineterminator="\n")
        self._events = csv.writer(events, lineterminator="\n")
        self._citizens.writerow(CITIZEN_COLUMNS)
        self._events.writerow(EVENT_COLUMNS)
        self._iso: dict[int, str] = {}
        self._widowhood: dict[int, float] = {}
        self._births: dict[int, tuple[int, int]] = {}
        self.care = CareFacts(self.rng, self.d, self._write_event)
        self._salt = self.rng.getrandbits(32)
        self._town_streets = names.street_names(self.rng, 400, rural=False)
        self._rural_streets = names.street_names(self.rng, 200, rural=True)
        self._home_units: list[int] = []
        self._homes: list[tuple[Spot, str]] = []
        self.persons = self.dwellings = self.aged_65_plus = self.alone_65_plus = 0
        self.deaths = self.nursing_home_residents = 0

    # --- output ---------------------------------------------------------------------------------------

    def iso(self, ordinal: int | None) -> str:
        if ordinal is None:
            return ""
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def _write_event(self, cpr: str, kind: str, start: int, end: int | None, note: str) -> None:
        self._events.writerow((cpr, kind, self.iso(start), self.iso(end), note))

    def _write_person(
        self, p: _Person, dwelling: tuple[str, str, str, str, str, str], flags: tuple[str, str]
    ) -> None:
        self.persons += 1
        address_id, street, postcode, city, lat, lon = dwelling
        status = "D" if p.death is not None else p.status
        self._citizens.writerow(
            (
                p.cpr,
                p.name,
                address_id,
                street,
                postcode,
                city,
                lat,
                lon,
                status,
                self.iso(p.death if p.death is not None else p.status_date),
                p.spouse,
                self.iso(p.death),
                flags[0],
                flags[1],
            )
        )

    # --- the plan -------------------------------------------------------------------------------------

    def _count(self, expected: float) -> int:
        whole = int(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)

    def plan(self) -> array[int]:
        """One entry per household driver, shuffled: kind << 20 | cell << 10 | partner cell."""
        counts: dict[int, int] = {}
        for row in f.folk1a():
            scale = self.m.scale(row.age) * self.options.size
            status = _STATUS_INDEX[row.status]
            for male, n in ((True, row.men), (False, row.women)):
                if status == _MARRIED_INDEX:
                    if not male:
                        continue  # wives come with their husbands
                elif row.age < f.MIN_AGE:
                    continue
                counts[_cell(row.age, male, status)] = self._count(n * scale)
        entries = array("L")
        for cell in sorted(counts):
            age, male, status = _uncell(cell)
            n = counts[cell]
            if status == _MARRIED_INDEX:
                entries.extend([_MARRIED << 20 | cell << 10] * n)
                continue
            if not male:
                continue
            cohabiting = sum(1 for _ in range(n) if self.rng.random() < f.COHABITING_MEN[f.band(age)])
            for _ in range(cohabiting):
                partner = self._partner_cell(age, counts)
                if partner is None:
                    break
                counts[partner] -= 1
                counts[cell] -= 1
                entries.append(_COHABITING << 20 | cell << 10 | partner)
        for cell in sorted(counts):
            age, male, status = _uncell(cell)
            if status != _MARRIED_INDEX and counts[cell] > 0:
                entries.extend([_SINGLE << 20 | cell << 10] * counts[cell])
        self.rng.shuffle(entries)
        return entries

    def _partner_cell(self, man_age: int, counts: dict[int, int]) -> int | None:
        """A non-married woman's cell near the man's age minus the usual gap, taken from what is left."""
        rng = self.rng
        for _ in range(5):
            age = round(man_age - rng.gauss(f.SPOUSE_AGE_GAP_MEAN, f.SPOUSE_AGE_GAP_SD))
            age = min(f.MAX_AGE, max(f.MIN_AGE, age))
            cells = [_cell(age, False, s) for s in range(4) if s != _MARRIED_INDEX]
            total = sum(counts.get(c, 0) for c in cells)
            if total <= 0:
                continue
            pick = rng.random() * total
            for c in cells:
                pick -= counts.get(c, 0)
                if pick < 0:
                    return c
        return None

    # --- people ---------------------------------------------------------------------------------------

    def _new_person(self, age: int, male: bool, status: str, surname: str, refugee: bool = False) -> _Person:
        rng = self.rng
        p = _Person(age, male, status)
        lo, span = self._birth_range(age)
        p.birth = lo + int(rng.random() * span)
        p.cpr = self.cprs.new(p.birth, male, modulus_11=not refugee and rng.random() < 0.5)
        p.surname = surname
        # Born in the year before the one the person turns ``age`` in, except on 1 January of that year.
        birth_year = self.year - age - (1 if p.birth < lo + span - 1 else 0)
        p.name = names.person_name(rng, male, birth_year, surname, refugee)
        return p

    def _birth_range(self, age: int) -> tuple[int, int]:
        """The first birth ordinal possible for someone aged ``age`` on the extract date, and the span."""
        known = self._births.get(age)
        if known is None:
            lo = date(self.year - age - 1, 1, 2).toordinal()
            known = self._births[age] = (lo, date(self.year - age, 1, 1).toordinal() - lo + 1)
        return known

    def _years_after_birth(self, p: _Person, years_lo: float, years_hi: float) -> int:
        """An ordinal between ``years_lo`` and ``years_hi`` years after the birth, before the extract date."""
        years = years_lo + self.rng.random() * max(0.0, years_hi - years_lo)
        return min(p.birth + int(years * 365.25), self.d - 30)

    def _single_status_date(self, p: _Person) -> None:
        rng = self.rng
        if p.status == "F":
            p.status_date = self._years_after_birth(p, 30, p.age - 1)
        elif p.status == "E":
            if rng.random() < self._recent_widowhood(p.age, p.male):
                p.status_date = self.d - 30 - int(rng.random() * 336)
            else:
                years_back = 1 + rng.random() * max(0.0, min(40, p.age - 40) - 1)
                p.status_date = self.d - int(years_back * 365.25)

    def _recent_widowhood(self, age: int, male: bool) -> float:
        key = age * 2 + male
        cached = self._widowhood.get(key)
        if cached is None:
            cached = self._widowhood[key] = self._compute_recent_widowhood(age, male)
        return cached

    def _compute_recent_widowhood(self, age: int, male: bool) -> float:
        married = widowed = 0
        for row in f.folk1a():
            if row.age == age:
                n = row.men if male else row.women
                if row.status == "married_separated":
                    married = n
                elif row.status == "widowed":
                    widowed = n
        spouse_age = min(
            f.MAX_AGE, round(age - f.SPOUSE_AGE_GAP_MEAN if male else age + f.SPOUSE_AGE_GAP_MEAN)
        )
        if widowed == 0:
            return 0.0
        rate = married * f.death_rate(spouse_age, not male) / widowed
        return min(f.RECENT_WIDOWHOOD_CAP, rate)

    def _maybe_dies(self, p: _Person) -> bool:
        if self.rng.random() < f.death_rate(p.age, p.male) * f.DEATH_WINDOW_DAYS / 365:
            p.death = self.d - 1 - int(self.rng.random() * f.DEATH_WINDOW_DAYS)
            self.deaths += 1
            return True
        return False

    def _maybe_nursing_home(self, p: _Person, factor: float) -> None:
        if p.age < 65:
            return
        rate = f.NURSING_HOME[f.band(p.age)][1 if p.male else 0] * factor
        if self.rng.random() < rate:
            p.nursing_home = self.d - 1 - int(self.rng.expovariate(1 / 700.0))
            p.nursing_home = max(p.nursing_home, p.birth + 65 * 365)
            if p.death is not None:
                p.nursing_home = min(p.nursing_home, p.death)
            self.nursing_home_residents += 1

    # --- dwellings ------------------------------------------------------------------------------------

    def _address_id(self) -> str:
        self.dwellings += 1
        h = f"{self.rng.getrandbits(128):032x}"
        # A version-4 UUID: version nibble 4, variant bits 10.
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def _street(self, spot: Spot) -> str:
        if spot.in_town:
            cx, cy, pool = int(spot.lon * 300), int(spot.lat * 500), self._town_streets
        else:
            cx, cy, pool = int(spot.lon * 60), int(spot.lat * 100), self._rural_streets
        key = ((cx * 73856093) ^ (cy * 19349663) ^ self._salt) & 0xFFFFFFFF
        return pool[key % len(pool)]

    def _home(self) -> tuple[str, str, str, str, str, str]:
        rng = self.rng
        spot = self.placer.place()
        if spot.in_town:
            street = f"{self._street(spot)} {1 + int(rng.random() * 80)}"
            if rng.random() < 0.35:
                street += names.unit_suffix(rng)
        else:
            street = f"{self._street(spot)} {1 + int(rng.random() * 250)}"
        return (self._address_id(), street, spot.postcode, spot.city, f"{spot.lat:.6f}", f"{spot.lon:.6f}")

    def _nursing_home_unit(self) -> tuple[str, str, str, str, str, str]:
        if not self._homes:
            expected = self.options.size * self.m.aged_65_plus * 0.03
            for _ in range(max(1, round(expected / f.NURSING_HOME_SIZE))):
                spot = self.placer.place(rural=False)
                self._homes.append((spot, f"{self._street(spot)} {1 + int(self.rng.random() * 40)}"))
                self._home_units.append(0)
        i = int(self.rng.random() * len(self._homes))
        spot, street = self._homes[i]
        unit = self._home_units[i]
        self._home_units[i] += 1
        floor = "st." if unit // 20 == 0 else f"{unit // 20}."
        return (
            self._address_id(),
            f"{street}, {floor} {unit % 20 + 1}",
            spot.postcode,
            spot.city,
            f"{spot.lat:.6f}",
            f"{spot.lon:.6f}",
        )

    # --- households -----------------------------------------------------------------------------------

    def build(self) -> SynthSummary:
        for entry in self.plan():
            kind, cell, partner = entry >> 20, (entry >> 10) & 1023, entry & 1023
            if kind == _MARRIED:
                self._couple(cell, married=True)
            elif kind == _COHABITING:
                self._couple(cell, married=False, partner_cell=partner)
            else:
                self._single(cell)
        return SynthSummary(
            persons=self.persons,
            dwellings=self.dwellings,
            events=self.care.events,
            aged_65_plus=self.aged_65_plus,
            alone_65_plus=self.alone_65_plus,
            deaths=self.deaths,
            nursing_home_residents=self.nursing_home_residents,
        )

    def _refugee_since(self) -> int | None:
        return (
            self.d - 30 - int(self.rng.random() * 1000) if self.rng.random() < self.m.refugee_rate else None
        )

    def _couple(self, cell: int, married: bool, partner_cell: int = 0) -> None:
        rng = self.rng
        age, _, status_index = _uncell(cell)
        refugee_since = self._refugee_since() if married else None
        family = names.surname(rng, refugee_since is not None)
        if married:
            same_sex = rng.random() < f.SAME_SEX_COUPLES
            gap = round(rng.gauss(f.SPOUSE_AGE_GAP_MEAN, f.SPOUSE_AGE_GAP_SD))
            partner_age = min(f.MAX_AGE, max(20, age - gap))
            if max(age, partner_age) < f.MIN_AGE:
                return
            p_male = same_sex
            code = "P" if same_sex and rng.random() < f.REGISTERED_PARTNERSHIP else "G"
            a = self._new_person(age, True, code, family, refugee_since is not None)
            b_surname = family if rng.random() < 0.7 or refugee_since is not None else names.surname(rng)
            b = self._new_person(partner_age, p_male, code, b_surname, refugee_since is not None)
            self._marriage_date(a, b)
            a.spouse, b.spouse = b.cpr, a.cpr
        else:
            partner_age, _, partner_status = _uncell(partner_cell)
            a = self._new_person(age, True, f.STATUS_CODE[f.STATUSES[status_index]], family)
            b = self._new_person(
                partner_age, False, f.STATUS_CODE[f.STATUSES[partner_status]], names.surname(rng)
            )
            self._single_status_date(a)
            self._single_status_date(b)
        pair = [a, b]
        if not self._maybe_dies(a):
            self._maybe_dies(b)
        for p in pair:
            if p.death is not None and married:
                other = b if p is a else a
                other.status = "L" if other.status == "P" else "E"
                other.status_date = p.death
        factor = f.NURSING_HOME_MARRIED_FACTOR
        self._maybe_nursing_home(a, factor)
        if a.nursing_home is None:
            self._maybe_nursing_home(b, factor)
        at_home = [p for p in pair if p.nursing_home is None]
        home = self._home()
        protected = "1" if rng.random() < f.ADDRESS_PROTECTED else ""
        relation = "ægtefælle" if married else "samlever"
        for p in pair:
            other = b if p is a else a
            if p.nursing_home is not None and other.nursing_home is None and other.death is None:
                self.care.emit(other.cpr, "spouse_to_nursing_home", p.nursing_home, None, relation)
            if not married and other.death is not None and p.death is None:
                self.care.emit(p.cpr, "bereavement", other.death, None, f"{relation} død")
        extra = self._co_residents(max(age, partner_age), family, alone_single=False)
        alive_adults_home = sum(1 for p in at_home if p.death is None) + sum(
            1 for p in extra if p.age >= 18 and p.death is None
        )
        for p in pair:
            if p.nursing_home is not None:
                self._finish(p, self._nursing_home_unit(), "", alone=True, refugee_since=refugee_since)
            else:
                alone = alive_adults_home <= 1
                self._finish(p, home, protected, alone=alone, refugee_since=refugee_since)
        for p in extra:
            self._write_person(p, home, ("", protected))

    def _marriage_date(self, a: _Person, b: _Person) -> None:
        rng = self.rng
        younger = a if a.birth > b.birth else b
        adult = younger.birth + int(18 * 365.25) + 1
        if a.status == "P":
            lo = max(date(1989, 10, 1).toordinal(), adult)
            hi = date(2012, 6, 14).toordinal()
            if lo <= hi:
                a.status_date = b.status_date = lo + int(rng.random() * (hi - lo + 1))
                return
            a.status = b.status = "G"
        if rng.random() < 0.8:
            when = self._years_after_birth(younger, 20, 35)
        else:
            when = self._years_after_birth(younger, 36, max(36.0, younger.age - 1))
        a.status_date = b.status_date = max(when, adult)

    def _single(self, cell: int) -> None:
        rng = self.rng
        age, male, status_index = _uncell(cell)
        refugee_since = self._refugee_since()
        family = names.surname(rng, refugee_since is not None)
        p = self._new_person(
            age, male, f.STATUS_CODE[f.STATUSES[status_index]], family, refugee_since is not None
        )
        self._single_status_date(p)
        self._maybe_dies(p)
        self._maybe_nursing_home(p, f.NURSING_HOME_SINGLE_FACTOR)
        if p.nursing_home is not None:
            self._finish(p, self._nursing_home_unit(), "", alone=True, refugee_since=refugee_since)
            return
        home = self._home()
        protected = "1" if rng.random() < f.ADDRESS_PROTECTED else ""
        extra = self._co_residents(age, family, alone_single=True)
        alone = not any(x.age >= 18 for x in extra)
        self._finish(p, home, protected, alone=alone, refugee_since=refugee_since)
        for x in extra:
            self._write_person(x, home, ("", protected))

    def _co_residents(self, eldest: int, family: str, alone_single: bool) -> list[_Person]:
        rng = self.rng
        extra = []
        if rng.random() < f.ADULT_CHILD[f.band(eldest)]:
            child_age = min(64, max(18, eldest - 25 - int(rng.random() * 14)))
            status = "F" if rng.random() < 0.15 else "U"
            child = self._new_person(child_age, rng.random() < 0.55, status, family)
            if status == "F":
                child.status_date = self._years_after_birth(child, 25, max(25.0, child_age - 1))
            extra.append(child)
        if alone_single and eldest >= 65 and rng.random() < f.GRANDCHILD_17:
            extra.append(self._new_person(17, rng.random() < 0.5, "U", family))
        return extra

    def _finish(
        self,
        p: _Person,
        dwelling: tuple[str, str, str, str, str, str],
        protected: str,
        alone: bool,
        refugee_since: int | None,
    ) -> None:
        """Draw the person's care facts and flags, count them, and write their row."""
        rng = self.rng
        if p.nursing_home is not None:
            self.care.emit(p.cpr, "nursing_home", p.nursing_home, p.death, "")
            protected = "1" if rng.random() < f.ADDRESS_PROTECTED else ""
        dementia = False
        if p.age >= f.MIN_TABLE_AGE:
            dementia = self.care.draw(
                p.cpr,
                p.age,
                p.male,
                nursing_home=p.nursing_home is not None,
                alone=alone,
                refugee_since=refugee_since,
                death=p.death,
            )
        rate = f.DIGITAL_POST_EXEMPT[f.band(p.age)]
        if p.nursing_home is not None or dementia:
            rate = min(0.9, rate * 2)
        exempt = "1" if rng.random() < rate else ""
        if p.death is None and p.age >= 65:
            self.aged_65_plus += 1
            if alone:
                self.alone_65_plus += 1
        self._write_person(p, dwelling, (exempt, protected))


def generate(options: SynthOptions, citizens: TextIO, events: TextIO) -> SynthSummary:
    """Write a synthetic municipality's citizens.csv and events.csv to the two open text streams."""
    return _Builder(options, citizens, events).build()


def write_municipality(options: SynthOptions, out_dir: Path) -> SynthSummary:
    """Write ``out_dir/citizens.csv`` and ``out_dir/events.csv`` (UTF-8); the folder is created if needed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with (
        (out_dir / "citizens.csv").open("w", encoding="utf-8", newline="") as citizens,
        (out_dir / "events.csv").open("w", encoding="utf-8", newline="") as events,
    ):
        return generate(options, citizens, events)
