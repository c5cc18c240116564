"""Which plan year a page means, and the date an eligibility run judges facts on."""

from __future__ import annotations

from datetime import date


def default_plan_year(today: date) -> int:
    """From October the leader plans next year."""
    return today.year + 1 if today.month >= 10 else today.year


def default_extract_date(year: int, today: date) -> date:
    """The date facts are judged on: today, but within the plan year (1 January before it starts)."""
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))
