"""The visit page's outcome forms: one handler per outcome, each parsing its form and calling its action
(:mod:`fhb.outcomes.actions`). The page posts every outcome to one address with the outcome's name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import User
from fhb.outcomes import actions
from fhb.outcomes.actions import OutcomeError
from fhb.standards.current import current_standard
from fhb.ui.forms import form_errors
from fhb.visits.forms import CancelledForm, ClosedDoorForm, DeclinedForm, HeldForm
from fhb.visits.models import Visit

#: What a handler tells the consultant: (level, message) pairs, shown in order.
Said = list[tuple[int, str]]
Handler = Callable[[HttpRequest, Visit, User], Said]


def valid(form: Form) -> dict[str, Any]:
    """The form's cleaned data, or :class:`OutcomeError` with its errors (the page shows them)."""
    if not form.is_valid():
        raise OutcomeError(form_errors(form))
    return form.cleaned_data


def held(request: HttpRequest, visit: Visit, user: User) -> Said:
    data = valid(HeldForm(request.POST))
    done = actions.record_held(
        visit,
        minutes=data["minutes"],
        standard=current_standard(),
        another_visit=data["another_visit"],
        next_start=data["next_start"],
        user=user,
        on_behalf=data["on_behalf"],
    )
    message = _("Besøget er registreret som gennemført.")
    if done.offers:
        message += " " + _("Endnu et besøg er oprettet som tilbud.")
    return [(messages.SUCCESS, message)]


def closed_door(request: HttpRequest, visit: Visit, user: User) -> Said:
    standard = current_standard()
    steps = list(standard.closed_door.steps) if standard.closed_door else []
    data = valid(ClosedDoorForm(request.POST, steps=steps))
    done = actions.record_closed_door(
        visit,
        steps_done=data["steps"],
        note_left_at=data["note_left_at"],
        standard=standard,
        user=user,
        signed_by=user.get_full_name() or user.get_username(),
        on_behalf=data["on_behalf"],
    )
    message = _("Lukket dør er registreret, og sedlen er skrevet.")
    if done.journal is not None:
        message += " " + _("Journalen er noteret: proceduren er fulgt.")
    said = [(messages.SUCCESS, message)]
    if done.letters:
        said.append((messages.INFO, _("Sedlen kan udskrives fra brevlisten nedenfor.")))
    return said


def declined(request: HttpRequest, visit: Visit, user: User) -> Said:
    data = valid(DeclinedForm(request.POST))
    actions.record_declined(
        visit, note=data["note"], standard=current_standard(), user=user, on_behalf=data["on_behalf"]
    )
    return [(messages.SUCCESS, _("Borgeren har afslået besøget ved døren."))]


def cancelled(request: HttpRequest, visit: Visit, user: User) -> Said:
    data = valid(CancelledForm(request.POST))
    done = actions.record_cancelled(
        visit,
        by=data["by"],
        told=data["told"],
        reason=data["reason"],
        new_start=data["new_start"],
        standard=current_standard(),
        user=user,
        on_behalf=data["on_behalf"],
    )
    message = _("Besøget er aflyst.")
    if done.new_visit is not None:
        message += " " + _("Det nye besøg er planlagt.")
    if done.letters:
        message += " " + _("Brevet til borgeren er lagt i udbakken.")
    return [(messages.SUCCESS, message), *((messages.WARNING, w) for w in done.warnings)]


HANDLERS: dict[str, Handler] = {
    "held": held,
    "closed_door": closed_door,
    "declined": declined,
    "cancelled": cancelled,
}


@role_required(*STAFF_ROLES)
@require_POST
def visit_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit, pk=pk)
    handler = HANDLERS.get(request.POST.get("outcome", ""))
    try:
        if handler is None:
            raise OutcomeError(_("Vælg et udfald."))
        said = handler(request, visit, staff_user(request))
    except OutcomeError as error:
        messages.error(request, _("Udfaldet blev ikke gemt: %(why)s") % {"why": error})
    else:
        for level, message in said:
            messages.add_message(request, level, message)
    return redirect("visit-detail", pk=visit.pk)
