"""A visit's interpreter and a citizen's practical notes for the door (phone, pets, smoking, access)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required
from fhb.citizens.models import Citizen
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.standards.current import current_standard
from fhb.ui.forms import form_errors, redirect_back
from fhb.visits.forms import HomeNotesForm, InterpreterForm
from fhb.visits.models import HomeNotes, Visit


def interpreter_refusal(visit: Visit, standard: QualityStandard, now: dt.datetime) -> str:
    """Why an interpreter cannot be booked (or changed) for ``visit`` now, in Danish; "" when it can. The
    standard's ``[interpreter]`` must make one ``available``; ``requires_prior_agreement`` (Herning: "hvis
    det er aftalt inden mødet"): only before the visit begins."""
    rule = standard.interpreter
    if rule is None or not rule.available:
        return _("Kvalitetsstandarden giver ikke mulighed for tolk.")
    if visit.status != Visit.Status.PLANNED:
        return _("Tolk kan kun bestilles til et planlagt besøg.")
    if rule.requires_prior_agreement and visit.start <= now:
        return _("Besøget er begyndt: efter kvalitetsstandarden skal tolk være aftalt inden besøget.")
    return ""


@role_required(*STAFF_ROLES)
@require_POST
def visit_interpreter(request: HttpRequest, pk: int) -> HttpResponse:
    """Book (or un-book) an interpreter for the visit, where the standard allows it (Herning)."""
    visit = get_object_or_404(Visit, pk=pk)
    form = InterpreterForm(request.POST)
    refusal = interpreter_refusal(visit, current_standard(), timezone.now())
    if refusal:
        messages.error(request, refusal)
    elif not form.is_valid():
        messages.error(request, form_errors(form))
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
