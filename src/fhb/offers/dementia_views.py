"""The dementia coordinator's queue (Ishøj): citizens whose visits the coordinator takes over.

The standard hands a citizen with dementia (diagnosed or being assessed), and the spouse, over to the
dementia coordinator: their offers have decision ``dementia_coordinator``. The queue shows one row a
citizen for one plan year (the current one unless another is chosen), however many such offers she has
that year (a yearly group and a trigger, or one from every run that decided it again); the coordinator
takes the citizen, which takes all her offers of the year that no one has taken, and works the case from
the citizen page like a consultant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fhb.accounts.access import role_required, staff_user
from fhb.accounts.models import Role, User
from fhb.citizens.models import Citizen
from fhb.offers.actions import take_over
from fhb.offers.models import EligibilityRun, Offer
from fhb.offers.years import default_plan_year
from fhb.standards.current import current_standard

COORDINATOR_ROLES = (Role.DEMENTIA_COORDINATOR, Role.LEADER, Role.ADMIN)


def queue_receiver() -> str:
    """Who the queue is for, as the standard's hand-overs name her ("demenskoordinatoren"): each distinct
    ``receiver`` of a hand-over to the dementia coordinator, joined with "og"."""
    names = [
        handover.receiver_text
        for handover in current_standard().handovers
        if handover.decision == "dementia_coordinator"
    ]
    return " og ".join(dict.fromkeys(names)) or "demenskoordinatoren"


def queue_year(today: dt.date) -> int:
    """The plan year the queue shows by default: the latest eligibility run's, else the default one."""
    year = EligibilityRun.objects.values_list("year", flat=True).first()
    return year if year is not None else default_plan_year(today)


def handed_over(year: int | None = None) -> Any:
    """The active offers handed over to the dementia coordinator (of ``year`` when given)."""
    offers = Offer.objects.filter(decision=Offer.Decision.DEMENTIA_COORDINATOR, status=Offer.Status.ACTIVE)
    if year is not None:
        offers = offers.filter(year=year)
    return offers.select_related("citizen", "coordinator").order_by(
        "citizen__name", "citizen_id", "-due_from", "-pk"
    )


@dataclass(frozen=True)
class Row:
    """One citizen in the queue: her handed-over offers of the year, the newest first."""

    citizen: Citizen
    offers: list[Offer]

    @property
    def offer(self) -> Offer:
        """The offer the row shows: the newest one no one has taken, else the newest."""
        return next((o for o in self.offers if o.coordinator_id is None), self.offers[0])

    @property
    def count(self) -> int:
        return len(self.offers)

    @property
    def waiting(self) -> bool:
        return any(o.coordinator_id is None for o in self.offers)

    @property
    def groups(self) -> list[str]:
        """The target groups of her offers, each once, in the order of the offers."""
        return list(dict.fromkeys(o.group for o in self.offers))

    @property
    def taken_by(self) -> User | None:
        """Who took her (the newest taken offer's coordinator)."""
        return next((o.coordinator for o in self.offers if o.coordinator_id is not None), None)

    @property
    def taken_on(self) -> dt.date | None:
        return next((o.taken_on for o in self.offers if o.coordinator_id is not None), None)


def rows(offers: Iterable[Offer]) -> list[Row]:
    """One row a citizen (the offers come ordered by citizen)."""
    by_citizen: dict[int, list[Offer]] = {}
    for offer in offers:
        by_citizen.setdefault(offer.citizen_id, []).append(offer)
    return [Row(citizen=found[0].citizen, offers=found) for found in by_citizen.values()]


def year_choices(current: int) -> list[tuple[int, str]]:
    years = set(
        Offer.objects.filter(decision=Offer.Decision.DEMENTIA_COORDINATOR, status=Offer.Status.ACTIVE)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return [(year, str(year)) for year in sorted(years | {current}, reverse=True)]


class QueueForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Planår"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Året %(value)s har ingen borgere. Vælg et år fra listen.")
        },
    )

    def __init__(self, *args: Any, current: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = year_choices(current)


@role_required(*COORDINATOR_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    current = queue_year(timezone.localdate())
    form = QueueForm(request.GET or None, current=current)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or current
    found = rows(handed_over(year))
    return render(
        request,
        "offers/dementia_queue.html",
        {
            "form": form,
            "year": year,
            "receiver": queue_receiver(),
            "waiting": [row for row in found if row.waiting],
            "taken": [row for row in found if not row.waiting],
        },
    )


def take_citizen(offer: Offer, *, coordinator: User, today: dt.date) -> list[Offer]:
    """Take the citizen of ``offer``: every active handed-over offer of hers of the same plan year that no
    one has taken (the queue's row), each with :func:`fhb.offers.actions.take_over` (a durable action of
    its own). Returns the offers taken; none when someone was first."""
    offers = list(
        Offer.objects.filter(
            citizen_id=offer.citizen_id,
            year=offer.year,
            decision=Offer.Decision.DEMENTIA_COORDINATOR,
            status=Offer.Status.ACTIVE,
            coordinator__isnull=True,
        ).order_by("pk")
    )
    for each in offers:
        take_over(each, coordinator=coordinator, today=today)
    return offers


@role_required(*COORDINATOR_ROLES)
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        Offer.objects.select_related("citizen", "coordinator"),
        pk=pk,
        decision=Offer.Decision.DEMENTIA_COORDINATOR,
    )
    back = reverse("dementia-queue") + f"?year={offer.year}"
    taken = take_citizen(offer, coordinator=staff_user(request), today=timezone.localdate())
    if not taken:
        who = offer.coordinator or _("en anden")
        messages.error(request, _("Borgeren er allerede overtaget af %(who)s.") % {"who": who})
        return redirect(back)
    messages.success(request, _("Du har overtaget %(name)s.") % {"name": offer.citizen.name})
    return redirect(back)
