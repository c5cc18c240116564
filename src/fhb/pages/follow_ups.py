"""The follow-ups due: a letter to the citizen, or a note that the follow-up was done otherwise."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.letters.actions import complete_follow_up
from fhb.letters.compose import NotReady
from fhb.offers.forms import FollowUpForm
from fhb.offers.models import FollowUp
from fhb.standards.current import current_standard
from fhb.ui.forms import form_errors


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
            try:
                complete_follow_up(
                    follow_up,
                    by_letter=form.cleaned_data["action"] == "letter",
                    note=form.cleaned_data["note"],
                    today=today,
                    standard=current_standard(),
                    user=staff_user(request),
                )
            except NotReady as error:
                messages.error(request, str(error))
                return redirect("follow-up-list")
            messages.success(request, _("Opfølgningen er udført."))
        return redirect("follow-up-list")
    open_items = FollowUp.objects.filter(status=FollowUp.Status.OPEN).select_related("offer__citizen")
    return render(request, "pages/follow_ups.html", {"items": open_items, "today": today})
