"""The consultant's day: today's visits in route order, a visit's page, and recording how it went."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.citizens.models import Citizen
from fhb.citizens.protection import may_see_address
from fhb.journal.forms import ConsentForm, NoteForm
from fhb.journal.models import Consent
from fhb.journal.service import consent_in_force, journal_rule, read_journal
from fhb.offers.service import current_standard
from fhb.planning.days import day_route
from fhb.planning.models import Consultant
from fhb.visits import outcome
from fhb.visits.forms import (
    CancelledForm,
    ClosedDoorForm,
    DeclinedForm,
    HeldForm,
    HomeNotesForm,
    InterpreterForm,
)
from fhb.visits.models import HomeNotes, Visit
from fhb.web.forms import form_errors, plausible_year, redirect_back


def _day(text: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(text) if text else today
    except ValueError:
        return today
    return day if plausible_year(day) else today


def _citizen_rows(citizens: list[Citizen], user: Any) -> list[dict[str, Any]]:
    notes = {n.citizen_id: n for n in HomeNotes.objects.filter(citizen__in=citizens)}
    return [
        {"citizen": c, "notes": notes.get(c.pk), "show_address": may_see_address(user, c)} for c in citizens
    ]


def map_link(lat: float | None, lon: float | None) -> str | None:
    """A ``geo:`` link (RFC 5870): a phone opens it in its map app."""
    if lat is None or lon is None:
        return None
    return f"geo:{lat:.6f},{lon:.6f}?q={lat:.6f},{lon:.6f}"


@role_required(*STAFF_ROLES)
def today(request: HttpRequest) -> HttpResponse:
    """My visits of the day in route order, with what matters at the door."""
    user = staff_user(request)
    day = _day(request.GET.get("dag"), timezone.localdate())
    consultant = Consultant.objects.filter(user=user).first()
    context: dict[str, Any] = {
        "day": day,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "is_today": day == timezone.localdate(),
        "consultant": consultant,
    }
    if consultant is not None:
        route = day_route(consultant, day)
        context["route"] = route
        context["stops"] = [
            {
                "stop": stop,
                "citizens": _citizen_rows(stop.citizens, user),
                "map": map_link(stop.dwelling.lat, stop.dwelling.lon) if stop.dwelling else None,
            }
            for stop in route.stops
        ]
    return render(request, "visits/today.html", context)


def _visit_citizens(visit: Visit) -> list[Citizen]:
    return list(
        Citizen.objects.filter(offers__visits=visit).select_related("dwelling").distinct().order_by("name")
    )


@role_required(*STAFF_ROLES)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("consultant"), pk=pk)
    user = staff_user(request)
    standard = current_standard()
    citizens = _visit_citizens(visit)
    rule = journal_rule(standard)
    steps = list(standard.closed_door.steps) if standard.closed_door else []
    now = timezone.localtime()
    people = []
    for row in _citizen_rows(citizens, user):
        citizen = row["citizen"]
        row["consent"] = consent_in_force(citizen, Consent.Kind.DOCUMENTATION)
        row["pass_on"] = consent_in_force(citizen, Consent.Kind.PASS_ON)
        row["journal"] = read_journal(citizen, user, "besøg")[:5]
        row["notes_form"] = HomeNotesForm(instance=row["notes"], prefix=f"c{citizen.pk}")
        people.append(row)
    return render(
        request,
        "visits/detail.html",
        {
            "visit": visit,
            "people": people,
            "offers": visit.offers.all(),
            "standard": standard,
            "steps": steps,
            "held_form": HeldForm(initial={"minutes": int((visit.end - visit.start).total_seconds() // 60)}),
            "closed_form": ClosedDoorForm(
                steps=steps, initial={"note_left_at": now.strftime("%Y-%m-%dT%H:%M")}
            ),
            "declined_form": DeclinedForm(),
            "cancelled_form": CancelledForm(),
            "interpreter_form": InterpreterForm(initial={"interpreter": visit.interpreter}),
            "note_form": NoteForm(rule=rule),
            "consent_form": ConsentForm(initial={"given_on": timezone.localdate()}),
            "rule": rule,
            "begun": timezone.localdate(visit.start) <= timezone.localdate(),
            "letters": visit.letters.order_by("-created_at"),
            "history": visit.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@role_required(*STAFF_ROLES)
@require_POST
def visit_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit, pk=pk)
    user = staff_user(request)
    standard = current_standard()
    kind = request.POST.get("outcome")
    try:
        if kind == "held":
            form: Any = HeldForm(request.POST)
            if not form.is_valid():
                raise outcome.OutcomeError(form_errors(form))
            done = outcome.record_held(
                visit,
                minutes=form.cleaned_data["minutes"],
                another_visit=form.cleaned_data["another_visit"],
                next_start=form.cleaned_data["next_start"],
                user=user,
            )
            message = _("Besøget er registreret som gennemført.")
            if done.offers:
                message += " " + _("Endnu et besøg er oprettet som tilbud.")
        elif kind == "closed_door":
            steps = list(standard.closed_door.steps) if standard.closed_door else []
            form = ClosedDoorForm(request.POST, steps=steps)
            if not form.is_valid():
                raise outcome.OutcomeError(form_errors(form))
            done = outcome.record_closed_door(
                visit,
                steps_done=form.cleaned_data["steps"],
                note_left_at=form.cleaned_data["note_left_at"],
                standard=standard,
                user=user,
                signed_by=user.get_full_name() or user.get_username(),
            )
            message = _("Lukket dør er registreret, og sedlen er skrevet.")
            if done.journal is not None:
                message += " " + _("Journalen er noteret: proceduren er fulgt.")
        elif kind == "declined":
            form = DeclinedForm(request.POST)
            if not form.is_valid():
                raise outcome.OutcomeError(form_errors(form))
            done = outcome.record_declined(visit, note=form.cleaned_data["note"], user=user)
            message = _("Borgeren har afslået besøget ved døren.")
        elif kind == "cancelled":
            form = CancelledForm(request.POST)
            if not form.is_valid():
                raise outcome.OutcomeError(form_errors(form))
            done = outcome.record_cancelled(
                visit,
                by=form.cleaned_data["by"],
                told=form.cleaned_data["told"],
                reason=form.cleaned_data["reason"],
                new_start=form.cleaned_data["new_start"],
                standard=standard,
                user=user,
            )
            message = _("Besøget er aflyst.")
            if done.new_visit is not None:
                message += " " + _("Det nye besøg er planlagt.")
            if done.letters:
                message += " " + _("Brevet til borgeren er lagt i udbakken.")
        else:
            raise outcome.OutcomeError(_("Vælg et udfald."))
    except outcome.OutcomeError as error:
        messages.error(request, _("Udfaldet blev ikke gemt: %(why)s") % {"why": error})
        return redirect("visit-detail", pk=visit.pk)
    messages.success(request, message)
    for warning in done.warnings:
        messages.warning(request, warning)
    if kind == "closed_door" and done.letters:
        messages.info(request, _("Sedlen kan udskrives fra brevlisten nedenfor."))
    return redirect("visit-detail", pk=visit.pk)


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
        visit._change_reason = _("Tolk ændret")  # type: ignore[attr-defined]
        visit.save(update_fields=["interpreter"])
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


def citizen_workspace(request: HttpRequest, citizen: Citizen) -> dict[str, Any]:
    """What the citizen page shows of the consultant's work: visits, home notes, consent and journal."""
    user = staff_user(request)
    standard = current_standard()
    notes = HomeNotes.objects.filter(citizen=citizen).first()
    person = {
        "citizen": citizen,
        "notes": notes,
        "show_address": may_see_address(user, citizen),
        "consent": consent_in_force(citizen, Consent.Kind.DOCUMENTATION),
        "pass_on": consent_in_force(citizen, Consent.Kind.PASS_ON),
        "journal": read_journal(citizen, user, "borger"),
        "notes_form": HomeNotesForm(instance=notes, prefix=f"c{citizen.pk}"),
    }
    return {
        "person": person,
        "show_address": person["show_address"],
        "visits": Visit.objects.filter(offers__citizen=citizen)
        .select_related("consultant")
        .distinct()
        .order_by("-start"),
        "note_form": NoteForm(rule=journal_rule(standard)),
        "consent_form": ConsentForm(initial={"given_on": timezone.localdate()}),
    }
