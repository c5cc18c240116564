"""What a re-import means for offers: a death the extract states closes the citizen's open offers and
their work at once. A citizen missing from the extract keeps hers: a leader decides (the page "Ikke i
seneste udtræk", :func:`fhb.offers.actions.close_for_missing_citizen`), since the extract does not say
why she is missing (moved away, a wrong file, an error at the source)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.dispatch import receiver

from fhb.citizens.signals import extract_applied, work_at_stake
from fhb.offers.closing import open_offers, withdraw_for_citizens


@receiver(extract_applied, dispatch_uid="offers-close-on-death")
def close_for_dead(
    sender: Any, run: Any, died: dict[str, date | None], gone: list[str], **kwargs: Any
) -> None:
    by_date: dict[date | None, list[str]] = {}
    for cpr, day in died.items():
        by_date.setdefault(day, []).append(cpr)
    for day, cprs in by_date.items():
        when = f" {day.isoformat()}" if day is not None else ""
        withdraw_for_citizens(cprs, f"Borgeren er død{when} (indlæsning {run.pk}).")


@receiver(work_at_stake, dispatch_uid="offers-open-at-stake")
def count_open_offers(sender: Any, cprs: frozenset[str], today: date, **kwargs: Any) -> dict[str, int]:
    """The open offers of ``cprs``: counted over all open offers' citizens, so that no query names the
    CPR numbers (a wrong file can leave out a whole municipality's)."""
    rows = open_offers().values_list("citizen__cpr", flat=True).iterator(chunk_size=5000)
    return {"open_offers": sum(1 for cpr in rows if cpr in cprs)}
