"""Close the open work of offers that no longer hold: planned visits, unsent letters, follow-ups.

Called when a run withdraws offers, when a citizen declines, and when a re-import finds a citizen dead
or gone from the extract (moved away). Letters already handed to a transport cannot be recalled; every
other piece of work is cancelled with the reason kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from simple_history.utils import bulk_update_with_history

from fhb.letters.models import Letter
from fhb.letters.outbox import cancel_unsent
from fhb.offers.models import FollowUp, Offer
from fhb.visits.models import Visit


def close_open_work(
    offers: Iterable[Offer] | QuerySet[Offer], reason: str, *, visit_status: str = Visit.Status.CANCELLED
) -> dict[str, int]:
    """Cancel the planned visits, unsent letters and open follow-ups of ``offers``; return the counts."""
    ids = [o.pk for o in offers]
    visits = list(Visit.objects.open().filter(offers__in=ids).distinct())
    for visit in visits:
        visit.status, visit.status_reason = visit_status, reason
    if visits:
        bulk_update_with_history(visits, Visit, ["status", "status_reason"], default_change_reason=reason)
    letters = cancel_unsent(
        Letter.objects.filter(pk__in=Letter.objects.filter(offers__in=ids).values("pk")), reason
    )
    follow_ups = FollowUp.objects.filter(offer__in=ids, status=FollowUp.Status.OPEN).update(
        status=FollowUp.Status.CLOSED, note=reason
    )
    return {"visits": len(visits), "letters": letters, "follow_ups": follow_ups}


def withdraw_for_citizens(cprs: Iterable[str], reason: str) -> dict[str, int]:
    """Withdraw every active offer of these citizens and close its open work (death, moved away)."""
    offers = list(Offer.objects.filter(citizen__cpr__in=list(cprs), status=Offer.Status.ACTIVE))
    for offer in offers:
        offer.status, offer.withdrawn_reason = Offer.Status.WITHDRAWN, reason
    if offers:
        bulk_update_with_history(offers, Offer, ["status", "withdrawn_reason"], default_change_reason=reason)
    counts = close_open_work(offers, reason)
    counts["offers"] = len(offers)
    return counts
