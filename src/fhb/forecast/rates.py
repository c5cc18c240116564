"""What the capacity forecast needs from the database: the stored population as core records, its date,
and the rates seen in the last complete years (docs/forecast.md).

The forecast itself is the pure core (:mod:`fhb.core.forecast`); the command ``fhb forecast`` and the
leader's page both call :func:`forecast_inputs` and then the core.

Rates from history, over the :data:`HISTORY_YEARS` plan years before this one:

- acceptance: of the offers of a run (``origin = run``, not withdrawn) of a group and kind, the share with
  a held visit; per group and kind, and pooled per kind and response over all groups;
- trigger groups: their offers and assessments per 1,000 stored citizens in the group's age range alive
  on 1 January of each year, and how they split over the kinds;
- driving: the mean ``drive_minutes`` of held visits; the mean ``held_minutes`` is shown for comparison.

A rate needs :data:`fhb.core.forecast.rates.MIN_OFFERS` offers (or visits) behind it; else the core's
documented default is used, and the forecast says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count
from django.utils import timezone

from fhb.citizens.models import Citizen, ImportRun
from fhb.core.forecast.rates import MIN_OFFERS, Rate, Rates, letter_kind, trigger_group_ages
from fhb.core.population.model import Population
from fhb.core.standard.schema import QualityStandard
from fhb.offers.models import Offer
from fhb.offers.population import stored_population
from fhb.visits.models import Visit

#: How many complete plan years before this one the rates are read from.
HISTORY_YEARS = 3

#: The source of a value the user typed (command option or page field).
GIVEN = "angivet af brugeren"


@dataclass(frozen=True, slots=True)
class ForecastInputs:
    """The stored population, the date of its extract and the rates to forecast with."""

    population: Population
    on: date
    rates: Rates


def history_years(today: date) -> list[int]:
    """The complete plan years the rates are read from, oldest first."""
    return list(range(today.year - HISTORY_YEARS, today.year))


def population_date(today: date) -> date:
    """The date of the stored population: the day of the latest import, else ``today``."""
    latest = ImportRun.objects.order_by("-started_at").first()
    if latest is None:
        return today
    return min(timezone.localdate(latest.started_at), today)


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 and years[0] != years[-1] else str(years[0])


def _acceptance_rates(
    standard: QualityStandard, years: list[int]
) -> tuple[dict[tuple[str, str], Rate], dict[tuple[str, str], Rate], list[tuple[int, str, str]]]:
    """Acceptance by (group, kind) and by (kind, response); and every counted offer as (year, group,
    kind), for the trigger groups' rates."""
    groups = {group.id: group for group in standard.groups}
    offers = Offer.objects.filter(
        year__in=years,
        origin=Offer.Origin.RUN,
        status=Offer.Status.ACTIVE,
        decision__in=[Offer.Decision.OFFER, Offer.Decision.ASSESS],
    ).values_list("id", "year", "group", "decision", "letter", "response")
    held = set(
        Visit.offers.through.objects.filter(
            visit__status=Visit.Status.HELD, offer__year__in=years
        ).values_list("offer_id", flat=True)
    )
    by_group: Counter[tuple[str, str]] = Counter()
    by_group_held: Counter[tuple[str, str]] = Counter()
    pooled: Counter[tuple[str, str]] = Counter()
    pooled_held: Counter[tuple[str, str]] = Counter()
    seen_years: set[int] = set()
    counted: list[tuple[int, str, str]] = []
    for offer_id, year, group, decision, letter, response in offers.iterator(chunk_size=5000):
        kind = letter_kind(decision, letter or None, groups.get(group))
        accepted = offer_id in held
        by_group[(group, kind)] += 1
        by_group_held[(group, kind)] += accepted
        pooled[(kind, response or "")] += 1
        pooled_held[(kind, response or "")] += accepted
        seen_years.add(year)
        counted.append((year, group, kind))
    span = _span(sorted(seen_years)) if seen_years else ""
    return (
        _shares(by_group, by_group_held, f"historik {span}", ""),
        _shares(pooled, pooled_held, f"historik {span}", " i alle målgrupper"),
        counted,
    )


def _shares(
    totals: Counter[tuple[str, str]], hits: Counter[tuple[str, str]], where: str, where_in: str
) -> dict[tuple[str, str], Rate]:
    """hits / totals for each key with at least MIN_OFFERS behind it (keys hold an offer kind)."""
    return {
        key: Rate(hits[key] / n, f"{where}: {hits[key]} af {n} {_noun(key)}{where_in}", n)
        for key, n in totals.items()
        if n >= MIN_OFFERS
    }


def _noun(key: tuple[str, str]) -> str:
    return "vurderinger" if "assess" in key else "tilbud"


def _age_on_jan1(birth: date, year: int) -> int:
    return year - birth.year if (birth.month, birth.day) == (1, 1) else year - birth.year - 1


def _risk_rates(
    standard: QualityStandard, years: list[int], counted: list[tuple[int, str, str]]
) -> tuple[dict[str, Rate], dict[str, dict[str, float]]]:
    """Per trigger group: cases per 1,000 citizens in its age range per year, and the kinds' shares."""
    triggered = [group for group in standard.groups if group.triggers]
    if not triggered:
        return {}, {}
    people = list(Citizen.objects.values_list("birth_date", "death_date"))
    per_1000: dict[str, Rate] = {}
    shares: dict[str, dict[str, float]] = {}
    for group in triggered:
        low, high = trigger_group_ages(group)
        cases = [(year, kind) for year, group_id, kind in counted if group_id == group.id]
        case_years = sorted({year for year, _ in cases})
        if len(cases) < MIN_OFFERS:
            continue
        base = 0
        for year in case_years:
            jan1 = date(year, 1, 1)
            for birth, died in people:
                age = _age_on_jan1(birth, year)
                if (died is None or died > jan1) and low <= age and (high is None or age <= high):
                    base += 1
        if base == 0:
            continue
        span = _span(case_years)
        per_1000[group.id] = Rate(
            1000.0 * len(cases) / base,
            f"historik {span}: {len(cases)} tilbud og vurderinger pr. {base} borger-år",
            len(cases),
        )
        kinds = Counter(kind for _, kind in cases)
        shares[group.id] = {kind: n / len(cases) for kind, n in kinds.items()}
    return per_1000, shares


def _visit_minutes(years: list[int], field: str) -> Rate | None:
    """The mean of ``field`` over held visits of those years, when enough visits have it."""
    found = Visit.objects.filter(
        status=Visit.Status.HELD, start__year__in=years, **{f"{field}__isnull": False}
    ).aggregate(mean=Avg(field), n=Count("id"))
    n = found["n"] or 0
    if n < MIN_OFFERS or found["mean"] is None:
        return None
    return Rate(float(found["mean"]), f"historik {_span(years)}: gennemsnit af {n} gennemførte besøg", n)


def history_rates(
    standard: QualityStandard,
    today: date,
    *,
    drive_min: float | None = None,
    hours_per_fte: float | None = None,
) -> Rates:
    """The rates of the last complete years for ``standard``'s groups; ``drive_min`` and ``hours_per_fte``
    given by the user replace the history's (or the default) value."""
    years = history_years(today)
    acceptance, pooled, counted = _acceptance_rates(standard, years)
    risk, shares = _risk_rates(standard, years, counted)
    return Rates(
        acceptance=acceptance,
        pooled_acceptance=pooled,
        risk_per_1000=risk,
        risk_kind_shares=shares,
        drive_min_per_visit=Rate(drive_min, GIVEN)
        if drive_min is not None
        else _visit_minutes(years, "drive_minutes"),
        productive_hours_per_fte=Rate(hours_per_fte, GIVEN) if hours_per_fte is not None else None,
        held_min_per_visit=_visit_minutes(years, "held_minutes"),
    )


def forecast_inputs(
    standard: QualityStandard,
    today: date,
    *,
    drive_min: float | None = None,
    hours_per_fte: float | None = None,
) -> ForecastInputs:
    """The stored population (the latest extract, as core records), its date, and the rates."""
    return ForecastInputs(
        population=stored_population(),
        on=population_date(today),
        rates=history_rates(standard, today, drive_min=drive_min, hours_per_fte=hours_per_fte),
    )
