"""The forecast: a quality standard's letters, visits, hours and consultants in coming years.

For each year Y the eligibility engine evaluates the standard for plan year Y over the population of the
extract, judged on 1 January Y (no one is born into the extract, moves or changes care in between).
Each decision of a group without triggers counts with the probability that its citizen is alive on
1 January Y (:mod:`.mortality`, by the completed age and sex on the extract's date). An offer becomes a
held visit with the acceptance rate of its group and kind (:mod:`.rates`); hours follow from the
standard's visit length and the driving minutes per visit.

Couples (the engine pairs two partners who are both offered): while both live, the couple gets one
joint visit at the couple's length, half of it counted in each partner's group, at the mean of the two
acceptance rates; a joint letter counts once, likewise. When only one lives, that one's offer is a
single visit.

Trigger groups (spouse died, end of a rehabilitation, ...) cannot be foreseen from ages: they are a rate
per 1,000 citizens in the group's age range per year times the expected number of those alive on
1 January Y, split over the kinds of offer the history shows (:meth:`.rates.Rates.risk_split`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from fhb.core.eligibility import Decision, Engine
from fhb.core.forecast.model import Forecast, GroupForecast, YearForecast
from fhb.core.forecast.mortality import MortalityTable, years_between
from fhb.core.forecast.rates import DEFAULT_PHONE_NOT_REACHED, Rate, Rates, letter_kind, trigger_group_ages
from fhb.core.forecast.texts import assumption_lines
from fhb.core.population.model import Citizen, Population, Sex
from fhb.core.standard.schema import QualityStandard, TargetGroup

#: Decisions that lead to work for the consultants (an offer, or an assessment of need).
_COUNTED = frozenset({"offer", "assess"})


@dataclass(slots=True)
class _Sums:
    """A group's running sums in one year (minutes, not hours, until the end)."""

    with_time: float = 0.0
    without_time: float = 0.0
    invitation: float = 0.0
    calls: float = 0.0
    assessments: float = 0.0
    visits: float = 0.0
    visit_min: float = 0.0

    def letter(self, kind: str, count: float) -> None:
        if kind == "with_time":
            self.with_time += count
        elif kind == "without_time":
            self.without_time += count
        elif kind in ("invitation", "arrangement"):
            self.invitation += count
        elif kind == "phone":
            # A call for each; a letter without a time for those the calls do not reach.
            self.calls += count
            self.without_time += count * DEFAULT_PHONE_NOT_REACHED
        else:
            self.assessments += count


#: Citizens alive on the extract date, counted by (sex, completed age on that date, birth year, born on
#: 1 January): what survival and the age on each 1 January need.
_AgeCounts = Counter[tuple[Sex, int, int, bool]]


class _Survival:
    """The probability of being alive ``years`` after the extract date, by sex and completed age then."""

    __slots__ = ("_cache", "_mortality", "_years")

    def __init__(self, mortality: MortalityTable, years: float) -> None:
        self._mortality = mortality
        self._years = years
        self._cache: dict[tuple[Sex, int], float] = {}

    def __call__(self, sex: Sex, age: int) -> float:
        found = self._cache.get((sex, age))
        if found is None:
            found = self._cache[(sex, age)] = self._mortality.survival(age, sex, self._years)
        return found


def _age_on(birth: date, on: date) -> int:
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def _age_on_jan1(birth_year: int, born_jan1: bool, year: int) -> int:
    return year - birth_year if born_jan1 else year - birth_year - 1


def forecast(
    standard: QualityStandard,
    population: Population,
    years: Iterable[int],
    *,
    on: date,
    mortality: MortalityTable,
    rates: Rates,
) -> Forecast:
    """Forecast ``standard`` over ``population`` (the extract of ``on``) for each of ``years``.

    Pure: the population is read once and evaluated once per year; nothing is written.
    """
    wanted = sorted(set(years))
    engine = Engine(standard)
    living = [c for c in population.citizens if c.is_alive_on(on)]
    counts: _AgeCounts = Counter(
        (
            c.sex,
            _age_on(c.birth_date, on),
            c.birth_date.year,
            (c.birth_date.month, c.birth_date.day) == (1, 1),
        )
        for c in living
    )
    # Everyone: in the extract's own year a citizen who died after 1 January but before the extract's date
    # still had that year's offer (survival to a 1 January before the extract counts as 1).
    by_cpr = {c.cpr: c for c in population.citizens}
    plain = {g.id: g for g in standard.groups if not g.triggers}
    triggered = [g for g in standard.groups if g.triggers]
    drive = rates.drive_min()
    productive = rates.productive_hours()
    used: dict[tuple[str, str], Rate] = {}
    results = []
    for year in wanted:
        jan1 = date(year, 1, 1)
        alive = _Survival(mortality, max(0.0, years_between(on, jan1)))
        sums = {group.id: _Sums() for group in standard.groups}
        decisions = engine.evaluate(population, year, jan1)
        _count_plain(standard, decisions, plain, by_cpr, on, alive, rates, used, sums)
        for group in triggered:
            _count_triggered(standard, group, counts, year, alive, rates, used, sums[group.id])
        rows = tuple(_row(group, sums[group.id], drive.value) for group in standard.groups)
        total = GroupForecast("total", "I alt")
        for row in rows:
            total = total.plus(row, "total", "I alt")
        consultants = round(total.hours / productive.value, 1) if productive.value > 0 else 0.0
        aged = sum(
            n * alive(sex, age)
            for (sex, age, born, jan1_birthday), n in counts.items()
            if _age_on_jan1(born, jan1_birthday, year) >= 65
        )
        results.append(YearForecast(year, rows, total, consultants, aged))
    lines = assumption_lines(
        standard, on=on, citizens=len(living), mortality=mortality, rates=rates, used=used
    )
    return Forecast(
        standard_id=standard.id,
        standard_title=standard.title,
        municipality=standard.municipality.name,
        population_date=on,
        citizens=len(living),
        years=tuple(results),
        assumptions=tuple(lines),
        productive_hours_per_fte=productive.value,
    )


def _acceptance(
    rates: Rates, used: dict[tuple[str, str], Rate], group: str, kind: str, response: str | None
) -> float:
    rate = used.get((group, kind))
    if rate is None:
        rate = used[(group, kind)] = rates.acceptance_for(group, kind, response)
    return rate.value


def _count_plain(
    standard: QualityStandard,
    decisions: Sequence[Decision],
    plain: dict[str, TargetGroup],
    by_cpr: dict[str, Citizen],
    on: date,
    alive: _Survival,
    rates: Rates,
    used: dict[tuple[str, str], Rate],
    sums: dict[str, _Sums],
) -> None:
    """Add the decisions of the groups without triggers, weighted by survival."""
    single_min = standard.visit.duration_min
    counted = [d for d in decisions if d.group in plain and d.decision in _COUNTED]
    # Survival and acceptance of each counted citizen's first offer: what a partner's joint visit needs.
    chance: dict[str, float] = {}
    accept: dict[str, float] = {}
    for d in counted:
        if d.cpr in chance:
            continue
        citizen = by_cpr[d.cpr]
        chance[d.cpr] = alive(citizen.sex, _age_on(citizen.birth_date, on))
        kind = letter_kind(d.decision, d.letter, plain[d.group])
        accept[d.cpr] = _acceptance(rates, used, d.group, kind, d.response)
    for d in counted:
        group = plain[d.group]
        kind = letter_kind(d.decision, d.letter, plain[d.group])
        p = chance[d.cpr]
        acc = _acceptance(rates, used, d.group, kind, d.response)
        target = sums[d.group]
        mate = d.couple_cpr
        if d.decision == "offer" and mate is not None and mate in chance:
            q = chance[mate]
            both, solo = p * q, p * (1.0 - q)
            joint_acc = (acc + accept[mate]) / 2.0
            couple_min = d.duration_min or standard.visit.couple_duration_min or single_min
            target.letter(kind, both * 0.5 + solo if d.joint_letter else p)
            target.visits += group.visits * (both * 0.5 * joint_acc + solo * acc)
            target.visit_min += group.visits * (both * 0.5 * joint_acc * couple_min + solo * acc * single_min)
        else:
            target.letter(kind, p)
            visits = group.visits * p * acc
            target.visits += visits
            target.visit_min += visits * single_min


def _count_triggered(
    standard: QualityStandard,
    group: TargetGroup,
    counts: _AgeCounts,
    year: int,
    alive: _Survival,
    rates: Rates,
    used: dict[tuple[str, str], Rate],
    target: _Sums,
) -> None:
    """Add a trigger group's cases: its rate per 1,000 times the citizens alive in its age range."""
    low, high = trigger_group_ages(group)
    base = 0.0
    for (sex, age, born, jan1_birthday), count in counts.items():
        age_then = _age_on_jan1(born, jan1_birthday, year)
        if low <= age_then and (high is None or age_then <= high):
            base += count * alive(sex, age)
    cases = base * rates.risk_rate(group.id).value / 1000.0
    for kind, share in rates.risk_split(group).items():
        n = cases * share
        target.letter(kind, n)
        visits = n * group.visits * _acceptance(rates, used, group.id, kind, group.response)
        target.visits += visits
        target.visit_min += visits * standard.visit.duration_min


def _row(group: TargetGroup, sums: _Sums, drive_min: float) -> GroupForecast:
    return GroupForecast(
        group.id,
        group.label,
        letters_with_time=sums.with_time,
        letters_without_time=sums.without_time,
        letters_invitation=sums.invitation,
        calls=sums.calls,
        assessments=sums.assessments,
        visits=sums.visits,
        visit_hours=sums.visit_min / 60.0,
        drive_hours=sums.visits * drive_min / 60.0,
        by_rate=bool(group.triggers),
    )
