"""Write a journal note, record or withdraw a consent, and (for the leader) the log of journal reads."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import Role
from fhb.citizens.models import Citizen
from fhb.journal.forms import ConsentForm, NoteForm, WithdrawForm
from fhb.journal.models import Consent, JournalRead
from fhb.journal.service import JournalError, journal_rule, record_consent, withdraw_consent, write_note
from fhb.standards.current import current_standard
from fhb.ui.forms import form_errors, redirect_back
from fhb.visits.models import Visit


@role_required(*STAFF_ROLES)
@require_POST
def note_new(request: HttpRequest, cpr: str) -> HttpResponse:
    citizen = get_object_or_404(Citizen, cpr=cpr)
    standard = current_standard()
    form = NoteForm(request.POST, rule=journal_rule(standard))
    if not form.is_valid():
        messages.error(request, _("Notatet blev ikke gemt: %(why)s") % {"why": form_errors(form)})
        return redirect_back(request, "citizen-detail", cpr=citizen.cpr)
    data = form.cleaned_data
    visit = Visit.objects.filter(pk=data["visit"]).first() if data.get("visit") else None
    try:
        write_note(
            citizen,
            standard,
            visit=visit,
            topics=data["topics"],
            themes=data["themes"],
            referrals=data["referrals"],
            agreements=data["agreements"],
            text=data["text"],
            pass_on=data.get("pass_on", False),
            pass_on_scope=data.get("pass_on_scope", ""),
            today=timezone.localdate(),
            user=staff_user(request),
        )
    except JournalError as error:
        messages.error(request, _("Notatet blev ikke gemt: %(why)s") % {"why": error})
    else:
        messages.success(request, _("Journalnotatet er gemt."))
    return redirect_back(request, "citizen-detail", cpr=citizen.cpr)


@role_required(*STAFF_ROLES)
@require_POST
def consent_new(request: HttpRequest, cpr: str) -> HttpResponse:
    citizen = get_object_or_404(Citizen, cpr=cpr)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Samtykket blev ikke gemt: %(why)s") % {"why": form_errors(form)})
        return redirect_back(request, "citizen-detail", cpr=citizen.cpr)
    data = form.cleaned_data
    try:
        record_consent(
            citizen,
            data["kind"],
            given_on=data["given_on"],
            given=data["given"],
            scope=data["scope"],
            user=staff_user(request),
        )
    except JournalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Samtykket er registreret."))
    return redirect_back(request, "citizen-detail", cpr=citizen.cpr)


@role_required(*STAFF_ROLES)
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404(Consent.objects.select_related("citizen"), pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect_back(request, "citizen-detail", cpr=consent.citizen.cpr)
    try:
        withdraw_consent(consent, on=form.cleaned_data["withdrawn_on"])
    except JournalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Samtykket er trukket tilbage; der skrives ikke flere notater."))
    return redirect_back(request, "citizen-detail", cpr=consent.citizen.cpr)


@role_required(Role.LEADER, Role.ADMIN)
def read_log(request: HttpRequest) -> HttpResponse:
    """Who read which citizen's journal, when and where: the leader's check on confidentiality."""
    reads = JournalRead.objects.select_related("user", "citizen").order_by("-at", "-id")
    who = request.GET.get("bruger", "").strip()
    if who:
        reads = reads.filter(user__username=who)
    cpr = request.GET.get("cpr", "").strip().replace("-", "")
    if cpr:
        reads = reads.filter(citizen__cpr=cpr)
    if "\x00" in who + cpr:  # no user name or CPR number holds one (and PostgreSQL refuses to look)
        reads = reads.none()
    page = Paginator(reads, 100).get_page(request.GET.get("side"))
    return render(request, "journal/read_log.html", {"page": page, "who": who, "cpr": cpr})
