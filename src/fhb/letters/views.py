"""The outbox pages: send a run's letters, follow the outbox, and show a letter's exact bytes again."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import Role
from fhb.citizens.protection import learn_protection
from fhb.jobs.views import start_from_page
from fhb.jobs.worker import worker_missing
from fhb.journal.reads import LETTER, log_look_up
from fhb.letters import compose
from fhb.letters.actions import write_closed_door_note
from fhb.letters.models import Batch, Dispatch, Letter
from fhb.letters.outbox import MAX_ATTEMPTS
from fhb.offers.models import EligibilityRun
from fhb.standards.current import current_standard
from fhb.visits.models import Visit

LEADERS = (Role.LEADER, Role.ADMIN)


@role_required(*LEADERS)
@require_POST
def send_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(EligibilityRun, pk=pk)
    title = _("Tilbudsbreve for %(year)s (kørsel %(run)s)") % {"year": run.year, "run": run.pk}
    return start_from_page(
        request, "send_letters", title, {"run": run.pk}, back=reverse("run-detail", args=[run.pk])
    )


@role_required(*LEADERS)
def outbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        retried = Letter.objects.filter(status=Letter.Status.FAILED, batch__isnull=True).update(
            status=Letter.Status.QUEUED, attempts=0, next_attempt_at=None
        )
        messages.success(request, _("%(n)s fejlede breve sættes i kø igen.") % {"n": retried})
        return redirect("outbox")
    counts = {r["status"]: r["n"] for r in Letter.objects.values("status").annotate(n=Count("id"))}
    statuses = [(label, counts.get(value, 0)) for value, label in Letter.Status.choices]
    return render(
        request,
        "letters/outbox.html",
        {
            "statuses": statuses,
            "failed": Letter.objects.filter(status=Letter.Status.FAILED).select_related("citizen")[:100],
            "open_batches": Batch.objects.filter(status=Batch.Status.OPEN),
            "batches": Batch.objects.annotate(n=Count("letters"))[:20],
            "dispatches": Dispatch.objects.select_related("user", "run")[:20],
            "max_attempts": MAX_ATTEMPTS,
            "worker_missing": worker_missing(),
        },
    )


@role_required(*LEADERS)
def dispatch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dispatch = get_object_or_404(Dispatch.objects.select_related("user", "run"), pk=pk)
    letters = dispatch.letters.select_related("citizen__dwelling").order_by("id")
    # order_by() first: an ordering by id would join the GROUP BY and count each letter as a group of one.
    per_status = letters.order_by().values("status").annotate(n=Count("id"))
    counts = {r["status"]: r["n"] for r in per_status}
    shown = list(letters[:500])
    learn_protection([letter.citizen for letter in shown])
    return render(
        request,
        "letters/dispatch_detail.html",
        {
            "dispatch": dispatch,
            "letters": shown,
            "counts": [(label, counts.get(value, 0)) for value, label in Letter.Status.choices],
        },
    )


def _stored(
    request: HttpRequest, letter: Letter, data: bytes | memoryview | None, content_type: str, suffix: str
) -> HttpResponse:
    if not letter.viewable:
        return HttpResponse(
            _("Brevet vises ikke: det indeholder en beskyttet adresse."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    if data is None:
        return HttpResponse(
            _("Brevet er ikke dannet endnu."), status=404, content_type="text/plain; charset=utf-8"
        )
    log_look_up(letter.citizen, staff_user(request), LETTER)
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{letter.uuid}{suffix}"'
    return response


@role_required(*STAFF_ROLES)
def letter_pdf(request: HttpRequest, uuid: str) -> HttpResponse:
    letter = get_object_or_404(Letter, uuid=uuid)
    return _stored(request, letter, letter.pdf, "application/pdf", ".pdf")


@role_required(*STAFF_ROLES)
def letter_memo(request: HttpRequest, uuid: str) -> HttpResponse:
    letter = get_object_or_404(Letter, uuid=uuid)
    return _stored(request, letter, letter.memo, "application/xml", ".memo.xml")


@role_required(*STAFF_ROLES)
@require_POST
def closed_door_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the note left at the door (dated, timed, signed by the consultant) and show it to print."""
    visit = get_object_or_404(Visit, pk=pk)
    try:
        user = staff_user(request)
        note = write_closed_door_note(
            visit,
            today=timezone.localdate(),
            standard=current_standard(),
            user=user,
            signed_by=user.get_full_name() or user.get_username(),
        )
    except compose.NotReady as error:
        messages.error(request, _("Sedlen blev ikke skrevet: %(why)s") % {"why": error})
        return redirect("visit-detail", pk=visit.pk)
    if note is None:
        return redirect("citizen-list")
    return redirect("letter-pdf", uuid=note.uuid)
