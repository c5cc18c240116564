"""What closing an offer's open work means for visits: its planned visits are cancelled (or declined).
And what an import's preview asks of visits: how many planned visits some citizens have."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver
from simple_history.utils import bulk_update_with_history

from fhb.citizens.signals import work_at_stake
from fhb.history import history_reason
from fhb.local_time import aware
from fhb.offers.signals import offers_closing
from fhb.visits.models import Visit


@receiver(offers_closing, dispatch_uid="visits-cancel-planned")
def cancel_planned_visits(
    sender: Any, offer_ids: list[int], reason: str, declined: bool, user: Any = None, **kwargs: Any
) -> dict[str, int]:
    status = Visit.Status.DECLINED if declined else Visit.Status.CANCELLED
    visits = list(Visit.objects.open().filter(offers__in=offer_ids).distinct())
    for visit in visits:
        visit.status, visit.status_reason = status, reason
    if visits:
        bulk_update_with_history(
            visits,
            Visit,
            ["status", "status_reason"],
            default_change_reason=history_reason(reason),
            default_user=user,
        )
    return {"visits": len(visits)}


@receiver(work_at_stake, dispatch_uid="visits-planned-at-stake")
def count_planned_visits(sender: Any, cprs: frozenset[str], today: dt.date, **kwargs: Any) -> dict[str, int]:
    """The planned visits of ``cprs`` from ``today`` on (a couple's visit counts once): counted over all
    planned visits' citizens, so that no query names the CPR numbers."""
    since = aware(dt.datetime.combine(today, dt.time()))
    rows = (
        Visit.objects.open()
        .filter(start__gte=since)
        .values_list("pk", "offers__citizen__cpr")
        .iterator(chunk_size=5000)
    )
    return {"planned_visits": len({pk for pk, cpr in rows if cpr in cprs})}
