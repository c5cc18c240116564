"""Two forecasts side by side: the standard in force against an edited copy, year by year.

Rows are matched by the group's label ("Målgruppe 4"), not its id: an edited copy that splits a group into
several with the same label (82+ every second year: one group per even age) compares as one row, and a
group only one standard has gets zeros on the other side.
"""

from __future__ import annotations

from fhb.core.forecast.model import (
    Change,
    Comparison,
    Forecast,
    GroupChange,
    GroupForecast,
    YearChange,
)


class IncomparableForecasts(ValueError):
    """The two forecasts do not cover the same years."""


def _by_label(rows: tuple[GroupForecast, ...]) -> dict[str, tuple[GroupForecast, list[str]]]:
    merged: dict[str, tuple[GroupForecast, list[str]]] = {}
    for row in rows:
        if row.label in merged:
            summed, ids = merged[row.label]
            merged[row.label] = (summed.plus(row, summed.group, row.label), [*ids, row.group])
        else:
            merged[row.label] = (row, [row.group])
    return merged


def _change(
    label: str, ids: tuple[str, ...], base: GroupForecast | None, alt: GroupForecast | None
) -> GroupChange:
    empty = GroupForecast("", label)
    b = base or empty
    a = alt or empty
    return GroupChange(
        label=label,
        groups=ids,
        letters=Change(b.letters, a.letters),
        letters_with_time=Change(b.letters_with_time, a.letters_with_time),
        visits=Change(b.visits, a.visits),
        hours=Change(b.hours, a.hours),
    )


def compare(base: Forecast, alternative: Forecast) -> Comparison:
    """The side-by-side difference of ``alternative`` against ``base``: letters, letters with a time,
    visits and hours per year and group (matched by label), and full-time consultants per year.

    Raises :class:`IncomparableForecasts` when the two do not cover the same years.
    """
    base_years = [entry.year for entry in base.years]
    if base_years != [entry.year for entry in alternative.years]:
        raise IncomparableForecasts("the two forecasts must cover the same years")
    years = []
    for ours, theirs in zip(base.years, alternative.years, strict=True):
        mine = _by_label(ours.groups)
        other = _by_label(theirs.groups)
        labels = list(mine) + [label for label in other if label not in mine]
        rows = []
        for label in labels:
            b = mine.get(label)
            a = other.get(label)
            ids = tuple(dict.fromkeys([*(b[1] if b else []), *(a[1] if a else [])]))
            rows.append(_change(label, ids, b[0] if b else None, a[0] if a else None))
        years.append(
            YearChange(
                year=ours.year,
                groups=tuple(rows),
                total=_change(ours.total.label, ("total",), ours.total, theirs.total),
                consultants=Change(ours.consultants, theirs.consultants),
            )
        )
    return Comparison(base=base, alternative=alternative, years=tuple(years))
