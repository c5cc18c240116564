"""Requests (henvendelser): the list, registering one for a citizen, and deciding it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.citizens.models import Citizen
from fhb.offers.actions import decide_request, register_request
from fhb.offers.forms import DecisionForm, RequestForm
from fhb.offers.models import Request
from fhb.offers.requests import RequestError, age_note, declined_note
from fhb.standards.current import current_standard


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
    standard = current_standard()
    if request.method == "POST" and form.is_valid():
        try:
            created = register_request(
                citizen, today=today, standard=standard, user=staff_user(request), **form.cleaned_data
            )
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Henvendelsen er registreret."))
            return redirect("request-detail", pk=created.pk)
    return render(
        request,
        "offers/request_new.html",
        {
            "citizen": citizen,
            "form": form,
            "age_note": age_note(citizen, today, standard),
            "declined_note": declined_note(citizen, today, standard),
        },
    )


@role_required(*STAFF_ROLES)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Request.objects.select_related("citizen", "offer", "decided_by"), pk=pk)
    today = timezone.localdate()
    form = DecisionForm(request.POST or None)
    standard = current_standard()
    if request.method == "POST" and form.is_valid():
        try:
            decide_request(
                item, today=today, standard=standard, user=staff_user(request), **form.cleaned_data
            )
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Henvendelsen er afgjort."))
            return redirect("request-detail", pk=item.pk)
    return render(
        request,
        "offers/request_detail.html",
        {
            "item": item,
            "form": form,
            "age_note": age_note(item.citizen, item.received, standard),
            "declined_note": declined_note(item.citizen, today, standard),
        },
    )
