"""Collective arrangements in figures: for each target group whose offer is an arrangement (its
``arrangement``: information meetings instead of a visit), what became of the year's offers.

Counted from stored rows that anonymisation keeps (offers, letters, registrations, visits), so a past year's
figures stay. A citizen counts once per column, however many dates she signed up for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from fhb.core.standard.schema import QualityStandard
from fhb.events.models import Registration
from fhb.letters.invitations import arrangement_groups
from fhb.letters.models import Letter
from fhb.offers.models import Offer
from fhb.visits.models import Visit


@dataclass(frozen=True, slots=True)
class ArrangementFigures:
    """One group's year: its offers and what the citizens did with them."""

    group: str
    activity: str
    offers: int
    """Active offers of the group (decision ``offer``)."""
    invited: int
    """Offers with an invitation letter (not cancelled), or marked offered (``offered_on``)."""
    signed_up: int
    """Offers whose citizen signed up for a date of the activity in the year."""
    attended: int
    """... and came (attendance recorded yes)."""
    no_show: int
    """... signed up, did not come, and came to no other date."""
    visit_instead: int
    """Offers whose citizen asked for an individual visit instead (answer yes)."""
    visit_held: int
    """Offers with a held (individual) visit."""
    declined: int
    """Offers declined (no, or never again)."""


def arrangement_figures(year: int, standard: QualityStandard) -> list[ArrangementFigures]:
    """The figures of every arrangement group of ``standard`` in ``year``, in the standard's group order."""
    found = []
    for activity, groups in arrangement_groups(standard).items():
        signed = Registration.objects.filter(
            citizen_id=OuterRef("citizen_id"), event__activity=activity, event__start__year=year
        )
        lettered = Letter.offers.through.objects.filter(offer_id=OuterRef("pk")).exclude(
            letter__status=Letter.Status.CANCELLED
        )
        held = Visit.offers.through.objects.filter(offer_id=OuterRef("pk"), visit__status=Visit.Status.HELD)
        for group in groups:
            offers = Offer.objects.filter(
                year=year, group=group, decision=Offer.Decision.OFFER, status=Offer.Status.ACTIVE
            ).annotate(
                lettered=Exists(lettered),
                signed=Exists(signed),
                came=Exists(signed.filter(attended=True)),
                missed=Exists(signed.filter(attended=False)),
                other=Exists(signed.exclude(attended=False)),
                held=Exists(held),
            )
            counts = offers.aggregate(
                offers=Count("pk"),
                invited=Count("pk", filter=Q(lettered=True) | Q(offered_on__isnull=False)),
                signed_up=Count("pk", filter=Q(signed=True)),
                attended=Count("pk", filter=Q(came=True)),
                no_show=Count("pk", filter=Q(missed=True, other=False)),
                visit_instead=Count("pk", filter=Q(reply=Offer.Reply.YES)),
                visit_held=Count("pk", filter=Q(held=True)),
                declined=Count("pk", filter=Q(reply__in=[Offer.Reply.NO, Offer.Reply.NEVER_AGAIN])),
            )
            found.append(ArrangementFigures(group=group, activity=activity, **counts))
    order = {g.id: i for i, g in enumerate(standard.groups)}
    return sorted(found, key=lambda f: order.get(f.group, len(order)))
