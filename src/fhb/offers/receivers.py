"""What a re-import means for offers: a death or a move away cancels the citizen's open offers and work."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.dispatch import receiver

from fhb.citizens.signals import extract_applied
from fhb.offers.closing import withdraw_for_citizens


@receiver(extract_applied, dispatch_uid="offers-close-on-death-or-move")
def close_for_dead_and_gone(
    sender: Any, run: Any, died: dict[str, date], gone: list[str], **kwargs: Any
) -> None:
    by_date: dict[date, list[str]] = {}
    for cpr, day in died.items():
        by_date.setdefault(day, []).append(cpr)
    for day, cprs in by_date.items():
        withdraw_for_citizens(cprs, f"Borgeren er død {day.isoformat()} (indlæsning {run.pk}).")
    if gone:
        withdraw_for_citizens(
            gone, f"Borgeren er ikke længere i udtrækket: fraflyttet (indlæsning {run.pk})."
        )
