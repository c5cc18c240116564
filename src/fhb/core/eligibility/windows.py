"""When a trigger's visit is due: the windows a fact (an event, a derived bereavement) opens.

A window runs from the anchor date + ``min_weeks`` to the anchor date + ``max_weeks`` (weeks of 7 days), or
in days (``min_days``/``max_days``) or calendar months (``min_months``/``max_months``: the same day N months
later, or the month's last day when it has no such day: 31 August + 6 months = 28/29 February); without a
maximum (a visit "by need" with no stated time) from the anchor date for ``by_need_weeks``
weeks (the standard's ``[deadlines]``), across the year's end: a loss in December is assessed in January.
The anchor is the event's start or its end (an event that has not ended opens no window).
An ``in_force`` trigger's window is the part of the plan year in which the fact is in force. Only windows
that overlap the plan year are returned.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal

from fhb.core.eligibility.facts import SOURCE_EVENT
from fhb.core.population.model import Event
from fhb.core.standard.schema import TargetGroup, Trigger

Window = tuple[date, date, date, str]
"""(anchor date, due_from, due_to, what happened: a short Danish description for the reason)."""

Unit = Literal["weeks", "days", "months"]

#: The Danish name of a window's unit, for the reason ("besøg 0–6 måneder efter").
UNIT_TEXT: dict[str, str] = {"weeks": "uger", "days": "dage", "months": "måneder"}

#: The most days a month has: the horizons count a month as this many days, to be generous.
MONTH_DAYS_AT_MOST = 31


def trigger_windows(
    trigger: Trigger,
    events: list[Event] | None,
    bereavements: list[tuple[date, str]] | None,
    year: int,
    by_need_weeks: int,
) -> list[Window]:
    """The trigger's windows overlapping the plan year ``year``, by anchor date; the same loss from several
    sources (events.csv, civil status, a spouse's death date) is one window naming its sources."""
    jan1 = date(year, 1, 1)
    dec31 = date(year, 12, 31)
    kind = trigger.event
    relevant = [event for event in events if event.kind == kind] if events else []
    found: list[Window] = []
    if trigger.anchor == "in_force":
        for event in sorted(relevant, key=lambda e: (e.start, e.end or date.max)):
            start = max(event.start, jan1)
            end = min(event.end or dec31, dec31)
            if start <= end:
                window = (event.start, start, end, f"{trigger.label} (i kraft fra {event.start.isoformat()})")
                if window not in found:
                    found.append(window)
        return found
    counted: list[date] = []
    sources: dict[date, list[str]] = {}
    for event in relevant:
        anchor = event.start if trigger.anchor == "start" else event.end
        if anchor is not None:
            counted.append(anchor)
            known = sources.setdefault(anchor, [])
            if SOURCE_EVENT not in known:
                known.append(SOURCE_EVENT)
    if kind == "bereavement" and bereavements:
        for when, source in bereavements:
            known = sources.setdefault(when, [])
            if not known:
                counted.append(when)
            if source not in known:
                known.append(source)
    for anchor in sorted(sources):
        what = f"{trigger.label} {anchor.isoformat()}"
        if trigger.min_events > 1:
            assert trigger.within_weeks is not None
            since = anchor - timedelta(weeks=trigger.within_weeks)
            count = sum(1 for other in counted if since <= other <= anchor)
            if count < trigger.min_events:
                continue
            what += f" ({count} på {trigger.within_weeks} uger)"
        start, end = window_dates(trigger, anchor, by_need_weeks)
        if start <= dec31 and end >= jan1:
            named = sources[anchor]
            if named != [SOURCE_EVENT]:
                what += f" (kilde: {', '.join(sorted(named))})"
            found.append((anchor, start, end, what))
    return found


def window_span(trigger: Trigger) -> tuple[Unit, int, int | None]:
    """A trigger's window as (unit, minimum, maximum) in the one unit the file gives it (weeks when none);
    the maximum is None for a visit by need."""
    if trigger.max_days is not None:
        return "days", trigger.min_days or 0, trigger.max_days
    if trigger.max_months is not None:
        return "months", trigger.min_months or 0, trigger.max_months
    return "weeks", trigger.min_weeks or 0, trigger.max_weeks


def add_months(day: date, months: int) -> date:
    """``day`` + ``months`` calendar months: the same day of the month, or the month's last day when the
    month is shorter (31 August + 6 months = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def after(anchor: date, count: int, unit: Unit) -> date:
    """``anchor`` + ``count`` weeks (of 7 days), days or calendar months."""
    if unit == "months":
        return add_months(anchor, count)
    return anchor + (timedelta(weeks=count) if unit == "weeks" else timedelta(days=count))


def window_dates(trigger: Trigger, anchor: date, by_need_weeks: int) -> tuple[date, date]:
    """The first and last day of the window a trigger opens at ``anchor`` (a by-need trigger's window runs
    from the anchor for ``by_need_weeks`` weeks)."""
    unit, low, high = window_span(trigger)
    if high is None:
        return anchor, anchor + timedelta(weeks=by_need_weeks)
    return after(anchor, low, unit), after(anchor, high, unit)


def window_text(trigger: Trigger) -> str:
    """The window in the reason: ", besøg 6–8 uger efter" ("0–14 dage", "0–6 måneder"); empty by need."""
    unit, low, high = window_span(trigger)
    return "" if high is None else f", besøg {low}–{high} {UNIT_TEXT[unit]} efter"


def horizon_days(trigger: Trigger, by_need_weeks: int) -> int:
    """At most how many days after its anchor a trigger's window ends (a month counts as 31 days)."""
    unit, _, high = window_span(trigger)
    if high is None:
        return by_need_weeks * 7
    return high * {"weeks": 7, "days": 1, "months": MONTH_DAYS_AT_MOST}[unit]


def bereavement_horizon(groups: tuple[TargetGroup, ...], year: int, by_need_weeks: int) -> date:
    """The earliest loss that can open a bereavement window overlapping the plan year."""
    jan1 = date(year, 1, 1)
    earliest = jan1
    for group in groups:
        for trigger in group.triggers:
            if trigger.event == "bereavement":
                earliest = min(earliest, jan1 - timedelta(days=horizon_days(trigger, by_need_weeks)))
    return earliest


def trigger_test(groups: tuple[TargetGroup, ...], year: int, by_need_weeks: int) -> Callable[[Event], bool]:
    """Whether an event may open a window overlapping the plan year for some trigger of its kind (a
    quick, generous test: the windows themselves are computed by trigger_windows)."""
    jan1 = date(year, 1, 1)
    dec31 = date(year, 12, 31)
    horizons: dict[tuple[str, str], date] = {}  # (kind, anchor) -> earliest anchor date that matters
    for group in groups:
        for trigger in group.triggers:
            earliest = jan1 - timedelta(days=horizon_days(trigger, by_need_weeks))
            key = (trigger.event, trigger.anchor)
            horizons[key] = min(horizons.get(key, earliest), earliest)
    by_kind: dict[str, list[tuple[str, date]]] = {}
    for (kind, anchor), earliest in horizons.items():
        by_kind.setdefault(kind, []).append((anchor, earliest))

    def may_trigger(event: Event) -> bool:
        for anchor, earliest in by_kind.get(event.kind, ()):
            if anchor == "start" and earliest <= event.start <= dec31:
                return True
            if anchor == "end" and event.end is not None and earliest <= event.end <= dec31:
                return True
            if anchor == "in_force" and event.start <= dec31 and (event.end is None or event.end >= jan1):
                return True
        return False

    return may_trigger
