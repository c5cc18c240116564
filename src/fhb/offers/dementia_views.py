"""The dementia coordinator's queue (Ishøj): citizens whose visits the coordinator takes over.

The standard hands a citizen with dementia (diagnosed or being assessed), and the spouse, over to the
dementia coordinator: their offers have decision ``dementia_coordinator``. The coordinator takes each one
(it is then theirs) and works the case from the citizen page like a consultant.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import role_required, staff_user
from fhb.accounts.models import Role
from fhb.offers.actions import take_over
from fhb.offers.models import Offer

COORDINATOR_ROLES = (Role.DEMENTIA_COORDINATOR, Role.LEADER, Role.ADMIN)


def handed_over() -> object:
    return (
        Offer.objects.filter(decision=Offer.Decision.DEMENTIA_COORDINATOR, status=Offer.Status.ACTIVE)
        .select_related("citizen__dwelling", "coordinator")
        .order_by("taken_on", "due_from", "citizen__name")
    )


@role_required(*COORDINATOR_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    offers = list(handed_over())  # type: ignore[call-overload]
    return render(
        request,
        "offers/dementia_queue.html",
        {
            "waiting": [o for o in offers if o.coordinator_id is None],
            "taken": [o for o in offers if o.coordinator_id is not None],
        },
    )


@role_required(*COORDINATOR_ROLES)
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer, pk=pk, decision=Offer.Decision.DEMENTIA_COORDINATOR)
    if offer.coordinator_id is not None:
        messages.error(request, _("Borgeren er allerede overtaget af %(who)s.") % {"who": offer.coordinator})
        return redirect("dementia-queue")
    take_over(offer, coordinator=staff_user(request), today=timezone.localdate())
    messages.success(request, _("Du har overtaget %(name)s.") % {"name": offer.citizen.name})
    return redirect("dementia-queue")
