"""The consultant's day: today's visits in route order with what matters at the door, and a visit's page
with the forms that record how it went (:mod:`fhb.pages.visit_outcomes`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.citizens.protection import address_protected
from fhb.journal.forms import ConsentForm, NoteForm
from fhb.journal.models import Consent
from fhb.journal.reads import ADDRESS, VISIT_PAGE, log_look_up
from fhb.journal.service import consent_in_force, journal_rule, read_journal
from fhb.outcomes.actions import more_visits_allowed
from fhb.planning.days import day_route
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.ui.forms import plausible_year
from fhb.visits.forms import (
    CancelledForm,
    ClosedDoorForm,
    DeclinedForm,
    HeldForm,
    HomeNotesForm,
    InterpreterForm,
)
from fhb.visits.models import HomeNotes, Visit
from fhb.visits.protection import may_see_address
from fhb.visits.rules import may
from fhb.visits.views import interpreter_refusal


def _day(text: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(text) if text else today
    except ValueError:
        return today
    return day if plausible_year(day) else today


def _citizen_rows(citizens: list[Citizen], user: User, visit: Visit, where: str) -> list[dict[str, Any]]:
    """Each citizen of ``visit`` with her notes for the door and whether this page shows her address to
    ``user``; a protected address shown is logged (``where``: the page)."""
    notes = {n.citizen_id: n for n in HomeNotes.objects.filter(citizen__in=citizens)}
    rows = []
    for citizen in citizens:
        show = may_see_address(user, citizen, visit)
        if show and address_protected(citizen):
            log_look_up(citizen, user, f"{ADDRESS}, {where}")
        rows.append({"citizen": citizen, "notes": notes.get(citizen.pk), "show_address": show})
    return rows


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
        context["stops"] = []
        for stop in route.stops:
            rows = _citizen_rows(stop.citizens, user, stop.visit, "I dag")
            shown = all(row["show_address"] for row in rows)
            link = map_link(stop.dwelling.lat, stop.dwelling.lon) if stop.dwelling and shown else None
            context["stops"].append({"stop": stop, "citizens": rows, "map": link})
    return render(request, "pages/day.html", context)


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
    for row in _citizen_rows(citizens, user, visit, "besøg"):
        citizen = row["citizen"]
        row["consent"] = consent_in_force(citizen, Consent.Kind.DOCUMENTATION)
        row["pass_on"] = consent_in_force(citizen, Consent.Kind.PASS_ON)
        row["journal"] = read_journal(citizen, user, VISIT_PAGE)[:5]
        row["notes_form"] = HomeNotesForm(instance=row["notes"], prefix=f"c{citizen.pk}")
        people.append(row)
    return render(
        request,
        "pages/visit.html",
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
            "interpreter_refusal": interpreter_refusal(visit, standard, timezone.now()),
            "more_visits": more_visits_allowed(visit, standard),
            "note_form": NoteForm(rule=rule),
            "consent_form": ConsentForm(initial={"given_on": timezone.localdate()}),
            "rule": rule,
            "begun": visit.start <= timezone.now(),
            "may_record": may(user, "record_outcome", visit),
            "on_behalf": visit.consultant_id != user.pk,
            "letters": visit.letters.order_by("-created_at"),
            "history": visit.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )
