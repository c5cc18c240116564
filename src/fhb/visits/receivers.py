"""What closing an offer's open work means for visits: its planned visits are cancelled (or declined)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from simple_history.utils import bulk_update_with_history

from fhb.offers.signals import offers_closing
from fhb.visits.models import Visit


@receiver(offers_closing, dispatch_uid="visits-cancel-planned")
def cancel_planned_visits(
    sender: Any, offer_ids: list[int], reason: str, declined: bool, **kwargs: Any
) -> dict[str, int]:
    status = Visit.Status.DECLINED if declined else Visit.Status.CANCELLED
    visits = list(Visit.objects.open().filter(offers__in=offer_ids).distinct())
    for visit in visits:
        visit.status, visit.status_reason = status, reason
    if visits:
        bulk_update_with_history(visits, Visit, ["status", "status_reason"], default_change_reason=reason)
    return {"visits": len(visits)}
