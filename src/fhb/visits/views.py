"""A visit's interpreter and a citizen's practical notes for the door (phone, pets, smoking, access)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required
from fhb.citizens.models import Citizen
from fhb.history import save_with_reason
from fhb.standards.current import current_standard
from fhb.ui.forms import form_errors, redirect_back
from fhb.visits.forms import HomeNotesForm, InterpreterForm
from fhb.visits.models import HomeNotes, Visit


@role_required(*STAFF_ROLES)
@require_POST
def visit_interpreter(request: HttpRequest, pk: int) -> HttpResponse:
    """Book (or un-book) an interpreter for the visit; the standard must allow it (Herning)."""
    visit = get_object_or_404(Visit, pk=pk)
    standard = current_standard()
    form = InterpreterForm(request.POST)
    if standard.interpreter is None or not standard.interpreter.available:
        messages.error(request, _("Kvalitetsstandarden giver ikke mulighed for tolk."))
    elif not form.is_valid():
        messages.error(request, form_errors(form))
    elif visit.status != Visit.Status.PLANNED:
        messages.error(request, _("Tolk kan kun bestilles til et planlagt besøg."))
    else:
        visit.interpreter = form.cleaned_data["interpreter"].strip()
        save_with_reason(visit, _("Tolk ændret"), update_fields=["interpreter"])
        messages.success(
            request, _("Tolken er noteret på besøget.") if visit.interpreter else _("Ingen tolk.")
        )
    return redirect("visit-detail", pk=visit.pk)


@role_required(*STAFF_ROLES)
@require_POST
def home_notes(request: HttpRequest, cpr: str) -> HttpResponse:
    citizen = get_object_or_404(Citizen, cpr=cpr)
    notes = HomeNotes.objects.filter(citizen=citizen).first() or HomeNotes(citizen=citizen)
    form = HomeNotesForm(request.POST, instance=notes, prefix=f"c{citizen.pk}")
    if form.is_valid():
        form.save()
        messages.success(request, _("De praktiske oplysninger er gemt."))
    else:
        messages.error(request, form_errors(form))
    return redirect_back(request, "citizen-detail", cpr=citizen.cpr)
