"""Staff pages for one citizen's offers: answers, a visit's time, requests and follow-ups."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.citizens.models import Citizen
from fhb.letters.compose import NotReady
from fhb.letters.models import Letter
from fhb.letters.sending import send_follow_up_letter
from fhb.offers.answers import AnswerError, register_answer
from fhb.offers.declined import honours_never_again
from fhb.offers.forms import AnswerForm, DecisionForm, FollowUpForm, RequestForm, VisitTimeForm
from fhb.offers.models import FollowUp, Offer, Request
from fhb.offers.requests import RequestError, age_note, decide_request, register_request
from fhb.offers.service import current_standard
from fhb.visits.models import Visit
from fhb.web.forms import form_errors


def citizen_work(citizen: Citizen) -> dict[str, Any]:
    """What the citizen page shows of offers' work: answer forms, letters, requests, follow-ups."""
    today = timezone.localdate()
    open_offers = [
        o for o in citizen.offers.filter(status=Offer.Status.ACTIVE, decision=Offer.Decision.OFFER)
    ]
    return {
        "open_offers": [
            (o, o.visits.filter(status=Visit.Status.PLANNED).first(), o.answers.all()[:5])
            for o in open_offers
        ],
        "answer_form": AnswerForm(initial={"received": today, "channel": "phone"}),
        "visit_form": VisitTimeForm(),
        "never_again": honours_never_again(current_standard()),
        "letters": Letter.objects.filter(citizen=citizen).order_by("-created_at")[:50],
        "requests": citizen.requests.order_by("-received"),
    }


@role_required(*STAFF_ROLES)
@require_POST
def answer_offer(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("citizen"), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Svaret blev ikke registreret: ") + form_errors(form))
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    data = form.cleaned_data
    try:
        register_answer(
            offer,
            data["reply"],
            channel=data["channel"],
            received=data["received"],
            note=data["note"],
            user=request.user,
            new_start=data["new_start"],
            today=timezone.localdate(),
        )
    except (AnswerError, NotReady) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Svaret er registreret."))
    return redirect("citizen-detail", cpr=offer.citizen.cpr)


@role_required(*STAFF_ROLES)
@require_POST
def set_visit_time(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an offer a visit at a time agreed by hand (the planner does this for most offers)."""
    offer = get_object_or_404(Offer.objects.select_related("citizen"), pk=pk)
    form = VisitTimeForm(request.POST)
    if not form.is_valid() or not offer.is_open:
        messages.error(
            request, _("Tidspunktet blev ikke sat: ") + (form_errors(form) or _("tilbuddet er ikke åbent."))
        )
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    start = form.cleaned_data["start"]
    minutes = offer.duration_min or current_standard().visit.duration_min
    visit = offer.visits.filter(status=Visit.Status.PLANNED).first()
    if visit is not None:
        messages.error(
            request, _("Tilbuddet har allerede et planlagt besøg; registrér borgerens ønske som svar.")
        )
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    from fhb.planning.booking import BookingError, hand_set_time

    visit = Visit(
        start=start,
        end=start + timedelta(minutes=minutes),
        proposed=form.cleaned_data["proposed"],
        consultant=staff_user(request),
        fixed=True,  # set by hand: the planner never moves it
    )
    try:
        hand_set_time(visit, [offer])
    except BookingError as error:
        messages.error(request, _("Tidspunktet blev ikke sat: ") + str(error))
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    messages.success(request, _("Besøget er planlagt."))
    return redirect("citizen-detail", cpr=offer.citizen.cpr)


@role_required(*STAFF_ROLES)
def request_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    pending = Request.objects.filter(status=Request.Status.PENDING).select_related("citizen")
    decided = (
        Request.objects.exclude(status=Request.Status.PENDING)
        .select_related("citizen")
        .order_by("-decided_on")
    )
    return render(
        request, "offers/request_list.html", {"pending": pending, "decided": decided[:50], "today": today}
    )


@role_required(*STAFF_ROLES)
def request_new(request: HttpRequest, cpr: str) -> HttpResponse:
    citizen = get_object_or_404(Citizen, cpr=cpr)
    today = timezone.localdate()
    form = RequestForm(
        request.POST or None, initial={"received": today, "came_from": "citizen", "channel": "phone"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = register_request(citizen, user=request.user, **form.cleaned_data)
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Henvendelsen er registreret."))
            return redirect("request-detail", pk=created.pk)
    return render(
        request,
        "offers/request_new.html",
        {"citizen": citizen, "form": form, "age_note": age_note(citizen, today, current_standard())},
    )


@role_required(*STAFF_ROLES)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Request.objects.select_related("citizen", "offer", "decided_by"), pk=pk)
    today = timezone.localdate()
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decide_request(item, today=today, user=request.user, **form.cleaned_data)
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Henvendelsen er afgjort."))
            return redirect("request-detail", pk=item.pk)
    return render(
        request,
        "offers/request_detail.html",
        {"item": item, "form": form, "age_note": age_note(item.citizen, item.received, current_standard())},
    )


@role_required(*STAFF_ROLES)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Opfølgningen blev ikke gemt: ") + form_errors(form))
            return redirect("follow-up-list")
        follow_up = get_object_or_404(
            FollowUp.objects.select_related("offer__citizen"), pk=form.cleaned_data["pk"]
        )
        if follow_up.status == FollowUp.Status.OPEN:
            if form.cleaned_data["action"] == "letter":
                try:
                    send_follow_up_letter(follow_up, today=today, user=request.user)
                except NotReady as error:
                    messages.error(request, str(error))
                    return redirect("follow-up-list")
                note = _("Opfølgningsbrev sendt.")
            else:
                note = form.cleaned_data["note"] or _("Fulgt op.")
            follow_up.status, follow_up.note = FollowUp.Status.DONE, note
            follow_up.done_on, follow_up.done_by = today, staff_user(request)
            follow_up.save()
            messages.success(request, _("Opfølgningen er udført."))
        return redirect("follow-up-list")
    open_items = FollowUp.objects.filter(status=FollowUp.Status.OPEN).select_related("offer__citizen")
    return render(request, "offers/follow_up_list.html", {"items": open_items, "today": today})
