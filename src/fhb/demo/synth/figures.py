"""The figures the synthetic population is drawn from: age and marital status, death rates, care rates.

Every number here is either a public figure (source named next to it and in docs/synthetic-data.md) or a
documented assumption calibrated to one. Rates by age are given per 5-year band: 60-64, 65-69, ..., 90-94,
95+ (:func:`band`). Nothing here draws random numbers; the generator does.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from fhb.core.forecast.mortality import load_mortality
from fhb.core.geography import Area

#: Marital statuses of FOLK1A, in the order of the shipped file.
STATUSES: tuple[str, ...] = ("never_married", "married_separated", "widowed", "divorced")
#: The CPR civil status code a person of each FOLK1A status gets (married people: G, or P for partners).
STATUS_CODE: dict[str, str] = {
    "never_married": "U",
    "married_separated": "G",
    "widowed": "E",
    "divorced": "F",
}

#: Youngest and oldest age (completed years on the extract date) of the people the tables are drawn from.
MIN_TABLE_AGE = 55
MAX_AGE = 100
#: The youngest age of the synthetic municipality's own older population (younger people appear only as
#: the spouses, children and grandchildren who live with them).
MIN_AGE = 60

STATS_FILE = "folk1a_2025Q4_denmark_maritalstatus_55_100.csv"


@dataclass(frozen=True, slots=True)
class AgeRow:
    """FOLK1A 2025Q4, all Denmark: the number of men and women of one age and marital status."""

    age: int
    status: str
    men: int
    women: int


@cache
def folk1a() -> tuple[AgeRow, ...]:
    """The shipped FOLK1A table (ages 55-100 by marital status and sex), read once."""
    text = resources.files("fhb").joinpath("data", "stats", STATS_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = []
    for record in csv.DictReader(lines):
        rows.append(AgeRow(int(record["age"]), record["status"], int(record["men"]), int(record["women"])))
    return tuple(rows)


def national_count(age_from: int, age_to: int) -> int:
    """Persons in Denmark (FOLK1A 2025Q4) aged age_from..age_to inclusive, all statuses and sexes."""
    return sum(r.men + r.women for r in folk1a() if age_from <= r.age <= age_to)


def band(age: int) -> int:
    """Index of the 5-year band of ``age``: 0 for 60-64 (and younger), 1 for 65-69, ..., 7 for 95+."""
    return _BANDS[age] if 0 <= age < len(_BANDS) else (0 if age < 65 else 7)


_BANDS = tuple(0 if age < 65 else min(7, (age - 60) // 5) for age in range(130))


# --- Municipalities --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Municipality:
    """What the generator needs to know of one municipality.

    ``aged_65_79`` and ``aged_80_plus`` (when known) or ``aged_65_plus`` fix the scale of the national age
    table; 60-64 year-olds follow the scale of the 65-79 year-olds. ``town_weights`` are relative shares of
    the town-dwelling population by postcode (an assumption: rounded relative town sizes, not official
    figures); ``rural_share`` of dwellings is scattered over the whole municipality.
    """

    key: str
    code: str
    name: str
    inhabitants: int
    aged_65_plus: int
    aged_65_79: int | None
    aged_80_plus: int | None
    town_weights: dict[str, float]
    rural_share: float
    #: Share of people 65+ who are refugees with a recent residence permit (assumption: "a handful").
    refugee_rate: float
    #: The town centres and outline of a municipality described by a file
    #: (:mod:`fhb.demo.synth.municipality_file`); None for the shipped ones, whose outline and centres are
    #: the package's (:func:`fhb.demo.synth.geography.area_of`).
    area: Area | None = None

    def scale(self, age: int) -> float:
        """Municipal persons per person in the national table at ``age`` (before ``--size``)."""
        if self.aged_65_79 is not None and self.aged_80_plus is not None:
            if age >= 80:
                return self.aged_80_plus / national_count(80, MAX_AGE)
            return self.aged_65_79 / national_count(65, 79)
        return self.aged_65_plus / national_count(65, MAX_AGE)


MUNICIPALITIES: dict[str, Municipality] = {
    # Approximate figures (rounded, as given in the project brief): ~64,000 inhabitants, ~15,500 aged 65+.
    "hjoerring": Municipality(
        key="hjoerring",
        code="0860",
        name="Hjørring",
        inhabitants=64_000,
        aged_65_plus=15_500,
        aged_65_79=None,
        aged_80_plus=None,
        town_weights={
            "9800": 10.0,
            "9850": 2.5,
            "9870": 1.5,
            "9760": 1.2,
            "9480": 1.0,
            "9830": 0.6,
            "9881": 0.4,
        },
        rural_share=0.18,
        refugee_rate=0.0003,
    ),
    # shared/data/README.md: Herning 2024: 90,326 inhabitants, 13,838 aged 65-79, 5,018 aged 80+.
    "herning": Municipality(
        key="herning",
        code="0657",
        name="Herning",
        inhabitants=90_326,
        aged_65_plus=13_838 + 5_018,
        aged_65_79=13_838,
        aged_80_plus=5_018,
        town_weights={
            "7400": 20.0,
            "7451": 2.0,
            "7490": 2.0,
            "7480": 2.0,
            "6933": 1.5,
            "7280": 1.0,
            "7550": 0.6,
            "7540": 0.6,
            "6973": 0.5,
            "7270": 0.3,
        },
        rural_share=0.15,
        refugee_rate=0.0003,
    ),
    # Approximate figures (rounded, as given in the project brief): ~23,500 inhabitants, ~3,700 aged 65+.
    "ishoej": Municipality(
        key="ishoej",
        code="0183",
        name="Ishøj",
        inhabitants=23_500,
        aged_65_plus=3_700,
        aged_65_79=None,
        aged_80_plus=None,
        town_weights={"2635": 1.0},
        rural_share=0.05,
        refugee_rate=0.001,
    ),
}


def municipality_for(code: int) -> Municipality:
    """The municipality with kommunekode ``code`` (a standard file's ``municipality.code``): any standard
    file of a municipality with figures and an outline here gets its synthetic population. ValueError
    naming the municipalities there are, and how to give another one's figures, otherwise."""
    for municipality in MUNICIPALITIES.values():
        if int(municipality.code) == code:
            return municipality
    known = ", ".join(f"{int(m.code)} ({m.name})" for m in MUNICIPALITIES.values())
    raise ValueError(
        f"no synthetic population for municipality code {code}:"
        f" fhb has figures and an outline only for {known};"
        " give the municipality's figures in a file: municipality.toml beside the standard file,"
        " or --municipality FILE (docs/synthetic-data.md)"
    )


# --- Mortality ---------------------------------------------------------------------------------------------


def _death_rates_per_1000() -> dict[int, tuple[float, float]]:
    table = load_mortality()
    return dict(zip(table.ages, zip(table.men_per_1000, table.women_per_1000, strict=True), strict=True))


#: Death rates per 1,000 person-years, Denmark 2012: age -> (men, women). The table the forecast ages the
#: population with (data/stats/death_rates_denmark_2012.csv, its source in SOURCES.txt); the synthetic
#: municipality draws its recent deaths from it with its own interpolation below.
DEATH_RATES_PER_1000: dict[int, tuple[float, float]] = _death_rates_per_1000()


@cache
def death_rate(age: int, male: bool) -> float:
    """Yearly probability of death at ``age`` (log-linear interpolation between the tabulated ages,
    extrapolated log-linearly below 65 and above 90, capped at 0.5)."""
    points = sorted(DEATH_RATES_PER_1000)
    col = 0 if male else 1
    if age <= points[0]:
        lo, hi = points[0], points[1]
    elif age >= points[-1]:
        lo, hi = points[-2], points[-1]
    else:
        lo = max(p for p in points if p <= age)
        hi = min(p for p in points if p > age)
    r_lo = math.log(DEATH_RATES_PER_1000[lo][col])
    r_hi = math.log(DEATH_RATES_PER_1000[hi][col])
    rate = math.exp(r_lo + (r_hi - r_lo) * (age - lo) / (hi - lo)) / 1000.0
    return min(rate, 0.5)


#: Deaths are drawn for this many days before the extract date (the extract still lists the dead).
DEATH_WINDOW_DAYS = 90


# --- Households ----------------------------------------------------------------------------------------

#: Husband's age minus wife's age: normal with this mean and spread (years). Assumption (Danish couples
#: are on average 2-3 years apart).
SPOUSE_AGE_GAP_MEAN = 2.5
SPOUSE_AGE_GAP_SD = 3.5
#: Share of couples of the same sex (assumption); of these, this share is a registered partnership (P).
SAME_SEX_COUPLES = 0.004
REGISTERED_PARTNERSHIP = 0.7

#: Probability that a non-married man of the band lives with an unmarried partner (samlever); his
#: partner is then taken from the non-married women. Assumption, calibrated so that about 38 % of people
#: 65+ live alone (38.1 % in 2019, shared/data/README.md).
COHABITING_MEN: tuple[float, ...] = (0.30, 0.28, 0.25, 0.22, 0.18, 0.12, 0.08, 0.05)
#: Probability that a household has an adult child (18-64) living at home, by the band of the eldest
#: (assumption).
ADULT_CHILD: tuple[float, ...] = (0.08, 0.05, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03)
#: Probability that a person 65+ living without a partner has a 17-year-old grandchild living with them
#: (assumption: "a few"; a minor does not stop someone from living alone).
GRANDCHILD_17 = 0.004
#: Probability that a widowed person of the table lost the spouse in the last 12 months is
#: married(age, sex) x death rate of the spouse / widowed(age, sex), capped here (see docs).
RECENT_WIDOWHOOD_CAP = 0.3

#: Dwellings with name and address protection (assumption, figure from the project brief).
ADDRESS_PROTECTED = 0.003


# --- Care and other facts, by band 60-64, 65-69, ..., 90-94, 95+ -------------------------------------------

#: Lives in a nursing home (women, men). Statistics Denmark, Service til ældre 2019 (AED07): 3.3 % of people
#: 65+ lived in a nursing home; of those 90+, 28.9 % of women and 20.1 % of men. The younger bands are an
#: assumption shaped to give about 3 % overall.
NURSING_HOME: tuple[tuple[float, float], ...] = (
    (0.002, 0.002),
    (0.004, 0.004),
    (0.008, 0.008),
    (0.018, 0.016),
    (0.045, 0.040),
    (0.110, 0.080),
    (0.260, 0.180),
    (0.380, 0.280),
)
#: Married people move to a nursing home less often than people without a partner at home (assumption);
#: the factors keep the overall share about equal to the table above.
NURSING_HOME_MARRIED_FACTOR = 0.6
NURSING_HOME_SINGLE_FACTOR = 1.3
#: Nursing-home places per home (assumption; Danish homes hold typically 30-80 dwellings).
NURSING_HOME_SIZE = 50

#: Receives home care (§ 83) in their own home. VIVE 2023 (reported by Kristeligt Dagblad, July 2023): 12 % of
#: people 67+ and 28 % of people 80+ received home help in 2022. Per band: assumption calibrated to both.
HOME_CARE: tuple[float, ...] = (0.015, 0.03, 0.055, 0.10, 0.22, 0.40, 0.55, 0.62)
#: Of those receiving home care: the share with both personal care and practical help, by band
#: (assumption), and the share with personal care only (assumption); the rest get practical help only.
HOME_CARE_BOTH: tuple[float, ...] = (0.20, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50)
HOME_CARE_PERSONAL_ONLY = 0.10
#: From 1 July 2025 (the ældrereform, Ældreloven) home care for older people is granted as helhedspleje
#: instead of personal care and practical help under SEL § 83 (../shared/DOMAIN.md, "The law since 2025"):
#: a grant of both kinds that starts on or after this day is written as one ``holistic_care`` fact.
HOLISTIC_CARE_FROM = date(2025, 7, 1).toordinal()
#: A grant that ended in the last two years (temporary help), relative to the rate of current grants.
HOME_CARE_ENDED_FACTOR = 0.3

#: Dementia, estimated prevalence (Nationalt Videnscenter for Demens: about 1-2 % at 60-64 rising to 24-45 %
#: at 90+, roughly doubling every 5 years; about 82,000 people 65+, i.e. 6-7 %). Only a share is known to
#: the municipality (the centre: about 3.5 % of people 65+ have a registered diagnosis), so the event is
#: drawn with prevalence x DEMENTIA_DIAGNOSED at home and DEMENTIA_NURSING_HOME in a nursing home; both
#: factors are assumptions calibrated to the 3.5 %.
DEMENTIA_PREVALENCE: tuple[float, ...] = (0.012, 0.017, 0.03, 0.055, 0.10, 0.18, 0.28, 0.36)
DEMENTIA_DIAGNOSED = 0.35
DEMENTIA_NURSING_HOME = 0.45

#: Yearly incidence of courses and facts whose end can trigger a visit (all assumptions; the Statistics
#: Denmark tables REHAB19 and AED08 count these services but are not shipped here).
REHABILITATION: tuple[float, ...] = (0.005, 0.01, 0.015, 0.025, 0.04, 0.05, 0.05, 0.04)
CHRONIC_REHAB: tuple[float, ...] = (0.008, 0.01, 0.01, 0.008, 0.005, 0.003, 0.001, 0.0)
RETRAINING: tuple[float, ...] = (0.02, 0.03, 0.04, 0.05, 0.07, 0.08, 0.08, 0.06)
LIFESTYLE_COURSE: tuple[float, ...] = (0.006, 0.005, 0.004, 0.002, 0.001, 0.0, 0.0, 0.0)
#: Home nursing in force on the extract date (assumption); ended courses in the last year at
#: HOME_NURSING_ENDED_FACTOR x this rate.
HOME_NURSING: tuple[float, ...] = (0.01, 0.02, 0.03, 0.05, 0.10, 0.18, 0.28, 0.35)
HOME_NURSING_ENDED_FACTOR = 0.8
#: At least one hospital admission in the last 12 months (assumption); the number of admissions
#: is 1, 2, 3 or 4 with these weights (repeated admissions are a risk trigger).
HOSPITAL_ADMISSION: tuple[float, ...] = (0.08, 0.10, 0.13, 0.17, 0.22, 0.27, 0.30, 0.30)
ADMISSION_COUNT_WEIGHTS: tuple[float, ...] = (0.65, 0.20, 0.10, 0.05)
#: Other referral facts (all assumptions: "a few").
SERIOUS_ILLNESS = 0.015
ISOLATION = 0.008
ISOLATION_ALONE = 0.02
SENSORY_LOSS_75_PLUS = 0.01
DECLINED_ALL_70_PLUS = 0.005
INTERPRETER_OTHERS = 0.003
INTERPRETER_REFUGEES = 0.8

#: Exempt from Digital Post (letters on paper). Digitaliseringsstyrelsen: 5.0 % of residents were exempt in
#: April 2025, mostly the oldest. Per band: assumption giving about 5-8 % of people 65+; doubled (capped at
#: 0.9) for nursing-home residents and people with dementia.
DIGITAL_POST_EXEMPT: tuple[float, ...] = (0.01, 0.015, 0.025, 0.045, 0.08, 0.14, 0.22, 0.30)
