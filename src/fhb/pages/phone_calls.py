"""The page where a call to a citizen whose offer is made by phone is recorded (issue 20): reached and
wants a visit (on to the booking tool), reached and declines, or not reached (a try; after the standard's
last try the offer goes out as a letter without a time)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.access import role_required, staff_user
from fhb.offers.answers import AnswerError
from fhb.offers.models import Offer
from fhb.outcomes.phone_calls import (
    CALLER_ROLES,
    OUTCOMES,
    CallError,
    calls_left,
    check_callable,
    record_call,
)
from fhb.standards.current import current_standard

#: The longest note a call may carry.
NOTE_LENGTH = 500


@role_required(*CALLER_ROLES)
def offer_call(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("citizen"), pk=pk)
    standard = current_standard()
    if request.method == "POST":
        outcome = next((o for o in OUTCOMES if o == request.POST.get("outcome")), None)
        note = request.POST.get("note", "")[:NOTE_LENGTH]
        if outcome is None:
            messages.error(request, _("Vælg, hvordan opkaldet gik."))
            return redirect("offer-call", pk=offer.pk)
        try:
            result = record_call(
                offer,
                outcome,
                today=timezone.localdate(),
                standard=standard,
                note=note,
                user=staff_user(request),
            )
        except (CallError, AnswerError) as error:
            messages.error(request, str(error))
            return redirect("offer-call", pk=offer.pk)
        if result.outcome == "yes":
            messages.success(request, _("Borgeren vil gerne have besøg. Find et tidspunkt."))
            return redirect("offer-slots", offer_pk=offer.pk)
        if result.outcome == "no":
            messages.success(request, _("Borgeren har takket nej. Tilbuddet er lukket."))
        elif result.letter_queued:
            messages.success(
                request,
                _("Borgeren blev ikke truffet. Det var sidste forsøg, så tilbuddet sendes nu som brev."),
            )
        elif result.waiting:
            messages.warning(
                request,
                _("Borgeren blev ikke truffet. Brevet kan ikke skrives endnu: %(why)s")
                % {"why": result.waiting},
            )
        else:
            messages.success(request, _("Forsøget er registreret. Ring igen en anden dag."))
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    try:
        check_callable(offer, standard)
        closed = ""
    except CallError as error:
        closed = str(error)
    return render(
        request,
        "pages/offer_call.html",
        {
            "offer": offer,
            "citizen": offer.citizen,
            "closed": closed,
            "tries_left": calls_left(offer, standard),
            "most": standard.deadlines.contact_tries,
        },
    )
