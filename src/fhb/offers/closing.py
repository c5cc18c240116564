"""Close the open work of offers that no longer hold: follow-ups here; planned visits and unsent letters
in their own apps, which receive :data:`fhb.offers.signals.offers_closing`.

Called when a run withdraws offers, when a citizen declines, when a re-import finds a citizen dead, and
when a leader decides to close the work of a citizen missing from the extract. Letters already handed to
a transport cannot be recalled; every other piece of work is cancelled with the reason kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.db.models import Q, QuerySet
from simple_history.utils import bulk_update_with_history

from fhb.accounts.models import User
from fhb.history import history_reason
from fhb.offers.models import Assessment, FollowUp, Offer
from fhb.offers.signals import offers_closing


def open_offers() -> QuerySet[Offer]:
    """Active offers whose work is not over: not an exemption, not declined. What a citizen missing from
    the extract has at stake, besides her planned visits."""
    return Offer.objects.filter(status=Offer.Status.ACTIVE).exclude(
        Q(decision=Offer.Decision.EXEMPT) | Q(reply__in=(Offer.Reply.NO, Offer.Reply.NEVER_AGAIN))
    )


def close_open_work(
    offers: Iterable[Offer] | QuerySet[Offer],
    reason: str,
    *,
    declined: bool = False,
    user: User | None = None,
) -> dict[str, int]:
    """Cancel the open work of ``offers`` (planned visits, unsent letters, open follow-ups); return the
    counts by kind of work. ``declined``: the citizen said no, so a planned visit is declined. ``user``:
    who decided, for the history rows (None: the system, or the request's user)."""
    ids = [o.pk for o in offers]
    counts: dict[str, int] = {}
    for _receiver, done in offers_closing.send(
        sender=Offer, offer_ids=ids, reason=reason, declined=declined, user=user
    ):
        counts.update(cast(dict[str, int], done))  # each receiver returns its counts
    counts["follow_ups"] = FollowUp.objects.filter(offer__in=ids, status=FollowUp.Status.OPEN).update(
        status=FollowUp.Status.CLOSED, note=reason
    )
    counts["assessments"] = close_assessments(
        Assessment.objects.filter(decision__in=ids, outcome=Assessment.Outcome.PENDING), reason, user=user
    )
    return counts


def close_assessments(assessments: QuerySet[Assessment], reason: str, *, user: User | None = None) -> int:
    """End open assessments whose ground fell away (the decision withdrawn, the citizen dead)."""
    closing = list(assessments)
    for assessment in closing:
        assessment.outcome, assessment.outcome_reason = Assessment.Outcome.CLOSED, reason
    if closing:
        bulk_update_with_history(
            closing,
            Assessment,
            ["outcome", "outcome_reason"],
            default_change_reason=history_reason(reason),
            default_user=user,
        )
    return len(closing)


def withdraw_for_citizens(cprs: Iterable[str], reason: str, *, user: User | None = None) -> dict[str, int]:
    """Withdraw every active offer of these citizens and close its open work (a death; a leader's decision
    for a citizen missing from the extract). ``user``: who decided, for the history rows."""
    offers = list(Offer.objects.filter(citizen__cpr__in=list(cprs), status=Offer.Status.ACTIVE))
    for offer in offers:
        offer.status, offer.withdrawn_reason = Offer.Status.WITHDRAWN, reason
    if offers:
        bulk_update_with_history(
            offers,
            Offer,
            ["status", "withdrawn_reason"],
            default_change_reason=history_reason(reason),
            default_user=user,
        )
    counts = close_open_work(offers, reason, user=user)
    counts["offers"] = len(offers)
    counts["assessments"] += close_assessments(
        Assessment.objects.filter(citizen__cpr__in=cprs, outcome=Assessment.Outcome.PENDING),
        reason,
        user=user,
    )
    return counts
