"""A trigger's window in days, weeks or calendar months (issue 20): "inden for 6 måneder" is not 26 weeks."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from eligibility_builders import citizen, event, only, population, rows, standard_with
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from fhb.core.eligibility.windows import add_months, horizon_days, trigger_test, trigger_windows, window_dates
from fhb.core.standard import load_standard
from fhb.core.standard.loader import StandardError
from fhb.core.standard.schema import TargetGroup, Trigger

BY_NEED_WEEKS = 12


def trigger(**window: int) -> Trigger:
    return Trigger(id="risk.t", clause="…", event="rehabilitation", label="afsluttet forløb", **window)


def rehabilitation_in(**window: int) -> Any:
    """Hjørring with its rehabilitation trigger's window replaced by ``window``."""

    def edit(raw: dict[str, Any]) -> None:
        for group in raw["groups"]:
            for found in group.get("triggers", ()):
                if found["id"] == "risk.rehabilitation":
                    del found["min_weeks"], found["max_weeks"]
                    found.update(window)

    return standard_with("hjoerring", edit)


def test_days() -> None:
    assert window_dates(trigger(min_days=0, max_days=14), date(2027, 3, 10), BY_NEED_WEEKS) == (
        date(2027, 3, 10),
        date(2027, 3, 24),
    )
    assert window_dates(trigger(min_days=3, max_days=3), date(2027, 12, 30), BY_NEED_WEEKS) == (
        date(2028, 1, 2),
        date(2028, 1, 2),
    )


@pytest.mark.parametrize(
    ("anchor", "months", "end"),
    [
        ("2026-08-31", 6, "2027-02-28"),
        ("2027-08-31", 6, "2028-02-29"),  # a leap year
        ("2027-01-31", 1, "2027-02-28"),
        ("2027-03-31", 1, "2027-04-30"),
        ("2027-01-15", 6, "2027-07-15"),
        ("2027-11-30", 3, "2028-02-29"),
        ("2027-12-31", 12, "2028-12-31"),
    ],
)
def test_months_are_calendar_months_ending_on_the_last_day_of_a_shorter_month(
    anchor: str, months: int, end: str
) -> None:
    start = date.fromisoformat(anchor)
    assert window_dates(trigger(min_months=0, max_months=months), start, BY_NEED_WEEKS) == (
        start,
        date.fromisoformat(end),
    )


def test_six_months_is_not_26_weeks() -> None:
    anchor = date(2027, 3, 15)
    assert window_dates(trigger(min_months=0, max_months=6), anchor, BY_NEED_WEEKS)[1] == date(2027, 9, 15)
    assert window_dates(trigger(min_weeks=0, max_weeks=26), anchor, BY_NEED_WEEKS)[1] == date(2027, 9, 13)


def test_weeks_and_by_need_unchanged() -> None:
    anchor = date(2027, 3, 15)
    assert window_dates(trigger(min_weeks=6, max_weeks=8), anchor, BY_NEED_WEEKS) == (
        date(2027, 4, 26),
        date(2027, 5, 10),
    )
    assert window_dates(trigger(), anchor, BY_NEED_WEEKS) == (anchor, anchor + timedelta(weeks=12))


@pytest.mark.parametrize(
    ("window", "words"),
    [
        ({"min_weeks": 0, "max_weeks": 26, "max_months": 6}, "min_weeks/max_weeks and min_months/max_months"),
        ({"max_days": 14, "max_months": 6}, "min_days/max_days and min_months/max_months"),
        ({"min_days": 0, "max_weeks": 2}, "min_weeks/max_weeks and min_days/max_days"),
    ],
)
def test_mixing_units_is_refused(window: dict[str, int], words: str) -> None:
    with pytest.raises(ValidationError, match=f"a window takes one unit, not {words}: write it in weeks"):
        trigger(**window)


def test_mixing_units_is_refused_with_the_trigger_named_when_loading(tmp_path: Path) -> None:
    text = (resources.files("fhb") / "standards" / "hjoerring.toml").read_text("utf-8")
    mixed = text.replace("min_weeks = 6\nmax_weeks = 8", "min_weeks = 6\nmax_weeks = 8\nmax_days = 14", 1)
    assert mixed != text
    (tmp_path / "mixed.toml").write_text(mixed, encoding="utf-8")
    with pytest.raises(StandardError) as caught:
        load_standard(tmp_path / "mixed.toml")
    assert "risk.bereavement" in str(caught.value)
    assert "a window takes one unit, not min_weeks/max_weeks and min_days/max_days" in str(caught.value)


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"min_months": 7, "max_months": 6}, "window min_months (7) is greater than max_months (6)"),
        ({"min_days": 3}, "min_days needs max_days"),
    ],
)
def test_each_unit_is_checked_like_weeks(window: dict[str, int], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        trigger(**window)


def test_an_in_force_trigger_takes_no_months() -> None:
    with pytest.raises(ValidationError, match="an 'in_force' trigger takes no months"):
        Trigger(id="t", clause="…", event="dementia", label="x", anchor="in_force", max_months=6)


def test_the_reason_names_the_unit_in_danish() -> None:
    pia = citizen("1950-05-05")
    pop = population(pia, events=[event(pia, "rehabilitation", "2026-11-01", "2027-03-15")])
    in_months = only(rows(rehabilitation_in(min_months=0, max_months=6), pop), pia)
    assert "besøg 0–6 måneder efter" in in_months.reason
    assert (in_months.due_from, in_months.due_to) == (date(2027, 3, 15), date(2027, 9, 15))
    in_days = only(rows(rehabilitation_in(min_days=0, max_days=14), pop), pia)
    assert "besøg 0–14 dage efter" in in_days.reason
    assert (in_days.due_from, in_days.due_to) == (date(2027, 3, 15), date(2027, 3, 29))
    in_weeks = only(rows("hjoerring", pop), pia)
    assert "besøg 6–8 uger efter" in in_weeks.reason


def test_a_months_window_from_last_year_reaches_into_the_plan_year() -> None:
    """An event 11 months before 1 January still matters for a 0–12 months window (the horizon covers
    months: 12 × 31 days)."""
    pia = citizen("1950-05-05")
    pop = population(pia, events=[event(pia, "rehabilitation", "2025-12-01", "2026-02-01")])
    row = only(rows(rehabilitation_in(min_months=0, max_months=12), pop), pia)
    assert (row.due_from, row.due_to) == (date(2026, 2, 1), date(2027, 2, 1))


UNITS = st.sampled_from(["weeks", "days", "months"])


@given(
    unit=UNITS,
    low=st.integers(0, 60),
    extra=st.integers(0, 60),
    anchor=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
)
def test_the_window_runs_from_anchor_plus_min_to_anchor_plus_max_in_its_unit(
    unit: str, low: int, extra: int, anchor: date
) -> None:
    high = low + extra
    found = trigger(**{f"min_{unit}": low, f"max_{unit}": high})
    start, end = window_dates(found, anchor, BY_NEED_WEEKS)
    assert anchor <= start <= end
    for count, day in ((low, start), (high, end)):
        if unit == "days":
            assert (day - anchor).days == count
        elif unit == "weeks":
            assert (day - anchor).days == 7 * count
        else:
            months = (day.year - anchor.year) * 12 + day.month - anchor.month
            assert months == count
            assert day.day == min(anchor.day, calendar.monthrange(day.year, day.month)[1])
    assert (end - anchor).days <= horizon_days(found, BY_NEED_WEEKS)
    # The engine's windows are these dates, and the quick pre-test lets their events through.
    year = end.year
    ended = event("0101501234", "rehabilitation", anchor - timedelta(days=1), anchor)
    found_end = found.model_copy(update={"anchor": "end"})
    windows = trigger_windows(found_end, [ended], None, year, BY_NEED_WEEKS)
    assert [(a, s, e) for a, s, e, _ in windows] == [(anchor, start, end)]
    assert trigger_test_for(found_end, year)(ended)


def trigger_test_for(found: Trigger, year: int) -> Any:
    group = TargetGroup.model_construct(triggers=[found])
    return trigger_test((group,), year, BY_NEED_WEEKS)


def test_add_months_across_years() -> None:
    assert add_months(date(2027, 11, 30), 14) == date(2029, 1, 30)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
