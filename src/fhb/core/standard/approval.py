"""The approval date as the pages and the runs write it: to the day, or to the month when the standard
gives only the month (``[approval] date_precision = "month"``, Ishøj)."""

from __future__ import annotations

from fhb.core.standard.schema import Approval


def approved_on(approval: Approval) -> str:
    """``2020-05`` for a month-precise approval, else the ISO date (``2024-03-12``)."""
    if approval.date_precision == "month":
        return f"{approval.date:%Y-%m}"
    return approval.date.isoformat()
