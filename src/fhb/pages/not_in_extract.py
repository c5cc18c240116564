"""The leader's list "Ikke i seneste udtræk": citizens missing from the latest extract whose planned
visits and open offers are at stake, and the leader's decision for each.

An import never cancels the work of a citizen who is merely missing (a wrong file would empty the plan):
she keeps her visits and offers, and the leader decides here: close them (as a death does, with the
reason and the leader's name) or wait for the next extract. A citizen who comes back leaves the list by
herself, her visits intact. Addresses are shown as every list shows them (``public_address``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fhb.accounts.access import role_required, staff_user
from fhb.accounts.models import Role
from fhb.citizens.actions import StillInExtract, keep_waiting
from fhb.citizens.models import Citizen
from fhb.citizens.protection import learn_protection, public_address
from fhb.offers.actions import MISSING_NOTE_LENGTH, close_for_missing_citizen
from fhb.offers.closing import open_offers
from fhb.offers.models import Offer
from fhb.ui.forms import form_errors
from fhb.visits.models import Visit

PAGE_SIZE = 50
CLOSE, WAIT = "close", "wait"


class DecisionForm(forms.Form):
    """The leader's decision for one citizen on the list."""

    citizen = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=gettext_lazy("beslutning"),
        choices=[
            (CLOSE, gettext_lazy("Aflys besøg og luk tilbud")),
            (WAIT, gettext_lazy("Vent på næste udtræk")),
        ],
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=MISSING_NOTE_LENGTH)


@dataclass
class Row:
    """One citizen on the list, with the work at stake."""

    citizen: Citizen
    address: str
    offers: list[Offer] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)


def missing_citizens() -> QuerySet[Citizen]:
    """Citizens missing from the latest extract (not anonymised) with open offers or planned visits: those
    not yet decided first, then those the leader waits for, each by name."""
    at_stake = Q(offers__in=open_offers()) | Q(offers__visits__status=Visit.Status.PLANNED)
    ids = Citizen.objects.filter(in_extract=False, anonymised=False).filter(at_stake).values("pk")
    return (
        Citizen.objects.filter(pk__in=ids)
        .select_related("dwelling", "missing_since", "missing_kept_by")
        .order_by(F("missing_kept_on").asc(nulls_first=True), "name", "cpr")
    )


def rows_for(citizens: list[Citizen]) -> list[Row]:
    """Each citizen with her open offers and planned visits (a couple's visit under each of them)."""
    learn_protection(citizens)
    rows = {c.pk: Row(citizen=c, address=public_address(c)) for c in citizens}
    for offer in open_offers().filter(citizen__in=citizens).order_by("due_from", "group"):
        rows[offer.citizen_id].offers.append(offer)
    visits = (
        Visit.objects.open()
        .filter(offers__citizen__in=citizens)
        .distinct()
        .select_related("consultant")
        .prefetch_related("offers")
        .order_by("start")
    )
    for visit in visits:
        for citizen_id in {o.citizen_id for o in visit.offers.all()}:
            if citizen_id in rows:
                rows[citizen_id].visits.append(visit)
    return list(rows.values())


@role_required(Role.LEADER, Role.ADMIN)
def not_in_extract(request: HttpRequest) -> HttpResponse:
    failed: dict[str, Any] = {}
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            return _decide(request, form.cleaned_data)
        messages.error(request, _("Intet er ændret: ") + form_errors(form))
        failed = {"citizen": request.POST.get("citizen", ""), "note": request.POST.get("note", "")}
    page = Paginator(missing_citizens(), PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "pages/not_in_extract.html",
        {
            "page": page,
            "rows": rows_for(list(page.object_list)),
            "failed": failed,
            "note_length": MISSING_NOTE_LENGTH,
            "close": CLOSE,
            "wait": WAIT,
        },
    )


def _decide(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    citizen = Citizen.objects.filter(pk=data["citizen"], anonymised=False).first()
    if citizen is None:
        messages.error(request, _("Intet er ændret: borgeren findes ikke."))
        return redirect("not-in-extract")
    user = staff_user(request)
    try:
        if data["decision"] == CLOSE:
            counts = close_for_missing_citizen(citizen, user=user, note=data["note"])
            messages.success(
                request,
                _("%(name)s: %(offers)s tilbud lukket og %(visits)s planlagte besøg aflyst.")
                % {
                    "name": citizen.name,
                    "offers": counts.get("offers", 0),
                    "visits": counts.get("visits", 0),
                },
            )
        else:
            keep_waiting(citizen, user=user, today=timezone.localdate(), note=data["note"])
            messages.success(
                request,
                _("%(name)s: besøg og tilbud bevares; vi venter på næste udtræk.") % {"name": citizen.name},
            )
    except (StillInExtract, ValueError) as error:
        messages.error(request, str(error))
    return redirect("not-in-extract")
