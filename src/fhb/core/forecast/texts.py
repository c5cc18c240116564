"""Danish text of a forecast: numbers in Danish style, and the assumption lines the page and the command
print under every forecast."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fhb.core.forecast.mortality import MortalityTable
from fhb.core.forecast.rates import DEFAULT_PHONE_NOT_REACHED, KIND_TEXT, Rate, Rates, trigger_group_ages
from fhb.core.standard.schema import QualityStandard

#: What the forecast leaves out (the last assumption line).
NOT_MODELLED = (
    "Ikke medregnet: borgere, der flytter til eller fra kommunen, og borgere, der endnu ikke er med i "
    "udtrækket (fx fordi de er for unge); nye enker og enkemænd ud over raten for de hændelsesudløste "
    "målgrupper (fx at en borger kommer til at bo alene, når ægtefællen dør); ny hjælp, plejebolig og demens "
    "efter udtrækket (undtagelser vurderes på udtrækkets oplysninger); ekstra besøg efter konsulentens "
    "vurdering; henvendelser; seniormesser og andre arrangementer; demenskoordinatorens besøg."
)


def number(value: float, decimals: int = 0) -> str:
    """``value`` in Danish style: thousands separated by ".", decimals after "," (1.234,5)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def signed(value: float, decimals: int = 0) -> str:
    """As :func:`number`, with a sign (+12, −3, ±0)."""
    shown = number(abs(value), decimals)
    if shown.strip("0.,") == "":
        return "±" + shown
    return ("+" if value > 0 else "−") + shown


def percent(share: float) -> str:
    return f"{number(share * 100)} %"


def day(on: date) -> str:
    """Danish short date with leading zeros: 01.01.2027."""
    return f"{on:%d.%m.%Y}"


def age_range_text(low: int, high: int | None) -> str:
    return f"{low}–{high} år" if high is not None else f"{low} år og derover"


def assumption_lines(
    standard: QualityStandard,
    *,
    on: date,
    citizens: int,
    mortality: MortalityTable,
    rates: Rates,
    used: Mapping[tuple[str, str], Rate],
) -> list[str]:
    """The assumptions behind a forecast, one Danish line each. ``used``: the acceptance rates it used,
    by (group id, offer kind)."""
    first, last = mortality.ages[0], mortality.ages[-1]
    before_last = mortality.ages[-2]
    visit = standard.visit
    lines = [
        f"Befolkningen: udtrækket pr. {day(on)} med {number(citizens)} levende borgere. Hver borger tælles "
        "i et år med sandsynligheden for at være i live 1. januar det år; kvalitetsstandarden vurderes for "
        "hvert år på udtrækkets oplysninger pr. 1. januar.",
        f"Dødelighed: {mortality.source}. Mellem alderstrinnene interpoleret log-lineært, under {first} år "
        f"som ved {first} år, over {last} år fortsat med stigningen fra {before_last} til {last} år (højst "
        "1.000 pr. 1.000 personår).",
        f"Besøgets længde fra kvalitetsstandarden: {visit.duration_min} min"
        + (
            f", hos ægtepar, hvor begge får tilbud, {visit.couple_duration_min} min"
            if visit.couple_duration_min is not None
            else ""
        )
        + ". Et fælles besøg hos et ægtepar tælles én gang.",
    ]
    order = {group.id: i for i, group in enumerate(standard.groups)}
    labels = {group.id: group.label for group in standard.groups}
    # One line per label, kind and rate: the groups of one label with the same rate share it.
    shared: dict[tuple[str, str, Rate], list[str]] = {}
    for (group_id, kind), rate in sorted(used.items(), key=lambda item: (order.get(item[0][0], 99), item[0])):
        shared.setdefault((labels.get(group_id, group_id), kind, rate), []).append(group_id)
    for (label, kind, rate), ids in shared.items():
        named = ", ".join(ids) if len(ids) <= 3 else f"{ids[0]} … {ids[-1]}, {len(ids)} målgrupper"
        lines.append(
            f"Tilsagn, {label} ({named}), {KIND_TEXT.get(kind, kind)}: "
            f"{percent(rate.value)} bliver til et gennemført besøg ({rate.source})."
        )
    for group in standard.groups:
        if not group.triggers:
            continue
        low, high = trigger_group_ages(group)
        rate = rates.risk_rate(group.id)
        lines.append(
            f"{group.label} ({group.id}) udløses af hændelser (fx tab af ægtefælle) og kan ikke forudsiges "
            f"af alderen: {number(rate.value, 1)} pr. 1.000 borgere på {age_range_text(low, high)} pr. år "
            f"({rate.source}), ganget med det forventede antal af dem i live i året."
        )
    if any(kind == "phone" for _group, kind in used):
        lines.append(
            "Tilbud ved telefonopkald: et opkald pr. tilbud; "
            f"{percent(DEFAULT_PHONE_NOT_REACHED)} træffes ikke og får et brev uden tidspunkt (antagelse)."
        )
    drive = rates.drive_min()
    lines.append(f"Kørsel: {number(drive.value)} min pr. besøg ({drive.source}).")
    hours = rates.productive_hours()
    lines.append(
        f"Et årsværk er {number(hours.value)} produktive timer om året til besøg og kørsel "
        f"({hours.source}); "
        "konsulenter = timer i alt / timer pr. årsværk."
    )
    held = rates.held_min_per_visit
    if held is not None:
        lines.append(
            f"Til sammenligning varede de gennemførte besøg i gennemsnit {number(held.value)} min "
            f"({held.source}); prognosen bruger kvalitetsstandardens længde."
        )
    lines.append(NOT_MODELLED)
    return lines
