"""Staff pages for events: the list, an event's page with its sign-ups, registering and cancelling a
sign-up, attendance, and the club visits.

Leaders and administrators create and edit events; everyone working with citizens (consultants too)
signs citizens up, records attendance and logs club visits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import Role
from fhb.citizens.models import Citizen
from fhb.citizens.search import search_citizens
from fhb.core.standard.schema import QualityStandard
from fhb.events import actions as event_actions
from fhb.events import services
from fhb.events.forms import (
    CitizenSearchForm,
    ClubVisitFilterForm,
    ClubVisitForm,
    EventForm,
    RegistrationForm,
)
from fhb.events.models import ClubVisit, Event, Registration
from fhb.letters.invitations import invited_citizen_ids, waiting_for_invitation
from fhb.standards.current import current_standard
from fhb.stats.event_figures import club_visit_figures, seniormesse_figures, upcoming_event_figures
from fhb.ui.forms import form_errors

#: How many citizens a search for a sign-up shows.
SEARCH_LIMIT = 30

LEADERS = (Role.LEADER, Role.ADMIN)


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _is_leader(request: HttpRequest) -> bool:
    return staff_user(request).has_role(*LEADERS)


# --- Events -------------------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def event_list(request: HttpRequest) -> HttpResponse:
    """The year's events, upcoming and past, with their figures; a summary of the club visits."""
    standard = current_standard()
    today = timezone.localdate()
    year = _year(request, today.year)
    # Upcoming: every event from today on (next spring's fair too); held: the year's events before today.
    upcoming = upcoming_event_figures(today)
    past = [f for f in seniormesse_figures(year) if f["date"] < today]
    years = sorted({d.year for d in Event.objects.dates("start", "year")} | {today.year, today.year + 1})
    club = services.club_visit_activity(standard)
    return render(
        request,
        "events/event_list.html",
        {
            "year": year,
            "years": years,
            "upcoming": upcoming,
            "past": past,
            "fairs": services.event_activities(standard),
            "activities_title": ", ".join(a.name for a in services.event_activities(standard))
            or _("Arrangementer"),
            "club_activity": club,
            "club_figures": club_visit_figures(year) if club is not None else None,
            "may_create": _is_leader(request),
        },
    )


def _activity_choices(standard: QualityStandard, current: str = "") -> list[tuple[str, str]]:
    choices = [(a.id, a.name) for a in services.event_activities(standard)]
    if current and current not in {c[0] for c in choices}:
        choices.append((current, current))
    return choices


def _save_event(event: Event, data: dict[str, Any]) -> None:
    start = timezone.make_aware(dt.datetime.combine(data["day"], data["start_time"]))
    event.activity = data["activity"]
    event.name = data["name"]
    event.place = data["place"]
    event.start = start
    event.end = start + dt.timedelta(minutes=data["duration_min"])
    event.capacity = data["capacity"]
    event.note = data["note"]
    event.save()


@role_required(*LEADERS)
def event_new(request: HttpRequest) -> HttpResponse:
    standard = current_standard()
    fairs = services.event_activities(standard)
    first = fairs[0] if fairs else None
    form = EventForm(
        request.POST or None,
        activities=_activity_choices(standard),
        initial={
            "activity": first.id if first else "",
            "name": first.name if first else "",
            "duration_min": services.activity_duration(first),
        },
    )
    if request.method == "POST" and fairs and form.is_valid():
        event = Event()
        _save_event(event, form.cleaned_data)
        messages.success(request, _("Arrangementet er oprettet."))
        return redirect("event-detail", pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": None, "fairs": fairs, "standard_name": standard.municipality.name},
    )


@role_required(*LEADERS)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    standard = current_standard()
    start = timezone.localtime(event.start)
    form = EventForm(
        request.POST or None,
        activities=_activity_choices(standard, event.activity),
        initial={
            "activity": event.activity,
            "name": event.name,
            "place": event.place,
            "day": start.date(),
            "start_time": start.time(),
            "duration_min": int((event.end - event.start).total_seconds() // 60),
            "capacity": event.capacity,
            "note": event.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        before = (event.start, event.end, event.place)
        invited = len(invited_citizen_ids(event))
        _save_event(event, form.cleaned_data)
        messages.success(request, _("Arrangementet er gemt."))
        if invited and before != (event.start, event.end, event.place):
            messages.warning(
                request,
                _(
                    "%(n)s borgere har fået en invitation med det tidligere tidspunkt eller sted. "
                    "Invitationerne sendes ikke igen; orientér borgerne på anden vis."
                )
                % {"n": invited},
            )
        if event.capacity is not None and event.registrations.count() > event.capacity:
            messages.warning(request, _("Der er flere tilmeldte end pladser."))
        return redirect("event-detail", pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": event, "fairs": True, "standard_name": standard.municipality.name},
    )


@role_required(*STAFF_ROLES)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    invited = invited_citizen_ids(event)
    registrations = list(event.registrations.select_related("citizen", "user").order_by("citizen__name"))
    today = timezone.localdate()
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "day": services.event_day(event),
            "duration_min": int((event.end - event.start).total_seconds() // 60),
            "invited": len(invited),
            "waiting": waiting_for_invitation(event, current_standard()),
            "registrations": [(r, r.citizen_id in invited) for r in registrations],
            "registered": len(registrations),
            "registered_invited": sum(1 for r in registrations if r.citizen_id in invited),
            "attended": sum(1 for r in registrations if r.attended),
            "recorded": sum(1 for r in registrations if r.attended is not None),
            "free": services.free_places(event),
            "attendance_open": today >= services.event_day(event),
            "search_form": CitizenSearchForm(),
            "may_edit": _is_leader(request),
        },
    )


def _search(
    event: Event, query: str, invited: set[int], standard: QualityStandard
) -> list[tuple[Citizen, bool, str]]:
    """Citizens matching ``query`` who may sign up (the activity's age or over on the day), the invited
    first: (citizen, invited, why not)."""
    if not query.strip():
        return []
    latest_birth = services.years_before(services.event_day(event), services.min_age_years(event, standard))
    found = search_citizens(
        query, Citizen.objects.filter(anonymised=False, birth_date__lte=latest_birth)
    ).select_related("dwelling")
    first = list(found.filter(pk__in=invited).order_by("name", "pk")[:SEARCH_LIMIT])
    rest = list(found.exclude(pk__in=invited).order_by("name", "pk")[: SEARCH_LIMIT - len(first)])
    return [(c, c.pk in invited, services.may_sign_up(c, event, standard)) for c in first + rest]


@role_required(*STAFF_ROLES)
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a citizen (the invited first) and sign the citizen up."""
    event = get_object_or_404(Event, pk=pk)
    standard = current_standard()
    today = timezone.localdate()
    leader = _is_leader(request)
    search_form = CitizenSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    form = RegistrationForm(request.POST or None, initial={"registered_on": today})
    if not leader:
        del form.fields["over_capacity"]
    if request.method == "POST":
        if form.is_valid():
            citizen = get_object_or_404(Citizen, pk=form.cleaned_data["citizen"])
            data = form.cleaned_data
            try:
                event_actions.register(
                    event,
                    citizen,
                    standard=standard,
                    registered_on=data["registered_on"],
                    channel=data["channel"],
                    note=data["note"],
                    user=staff_user(request),
                    over_capacity=leader and data.get("over_capacity", False),
                )
            except services.RegistrationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("%(name)s er tilmeldt.") % {"name": citizen.name})
                return redirect("event-detail", pk=event.pk)
        else:
            messages.error(request, _("Tilmeldingen blev ikke gemt: ") + form_errors(form))
    invited = invited_citizen_ids(event) if query else set()
    registered = set(event.registrations.values_list("citizen_id", flat=True))
    return render(
        request,
        "events/event_register.html",
        {
            "event": event,
            "search_form": search_form,
            "query": query,
            "results": _search(event, query, invited, standard),
            "registered": registered,
            "form": form,
            "free": services.free_places(event),
            "min_age": services.min_age_years(event, standard),
        },
    )


@role_required(*STAFF_ROLES)
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(Registration.objects.select_related("citizen"), pk=pk)
    event_pk = registration.event_id
    name = registration.citizen.name
    try:
        event_actions.cancel(registration)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s er afmeldt.") % {"name": name})
    return redirect("event-detail", pk=event_pk)


@role_required(*STAFF_ROLES)
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick who came, for every sign-up at once; from the event's day."""
    event = get_object_or_404(Event, pk=pk)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            ids = [int(v) for v in request.POST.getlist("attended")]
            came = event_actions.record_attendance(event, ids, today=today)
        except ValueError:
            messages.error(request, _("Fremmødet blev ikke gemt: ugyldige tilmeldinger."))
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            total = event.registrations.count()
            messages.success(
                request, _("Fremmødet er gemt: %(came)s af %(total)s mødte.") % {"came": came, "total": total}
            )
            return redirect("event-detail", pk=event.pk)
    return render(
        request,
        "events/event_attendance.html",
        {
            "event": event,
            "day": services.event_day(event),
            "open": today >= services.event_day(event),
            "registrations": event.registrations.select_related("citizen").order_by("citizen__name"),
        },
    )


# --- Club visits --------------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def club_visit_list(request: HttpRequest) -> HttpResponse:
    standard = current_standard()
    today = timezone.localdate()
    form = ClubVisitFilterForm(request.GET or None)
    year, consultant = today.year, None
    if form.is_valid():
        year = form.cleaned_data["year"] or today.year
        consultant = form.cleaned_data["consultant"]
    visits = ClubVisit.objects.filter(date__year=year).select_related("consultant")
    if consultant is not None:
        visits = visits.filter(consultant=consultant)
    return render(
        request,
        "events/club_visit_list.html",
        {
            "form": form,
            "year": year,
            "visits": visits,
            "figures": club_visit_figures(year, consultant.pk if consultant else None),
            "activity": services.club_visit_activity(standard),
            "standard_name": standard.municipality.name,
        },
    )


def _club_visit_form(request: HttpRequest, visit: ClubVisit | None) -> HttpResponse:
    standard = current_standard()
    activity = services.club_visit_activity(standard)
    initial = {"date": timezone.localdate(), "consultant": staff_user(request).pk} if visit is None else None
    form = ClubVisitForm(request.POST or None, instance=visit, initial=initial)
    allowed = activity is not None or visit is not None
    if request.method == "POST" and allowed and form.is_valid():
        form.save()
        messages.success(request, _("Klubbesøget er gemt."))
        return redirect(f"{reverse('club-visit-list')}?year={form.instance.date.year}")
    return render(
        request,
        "events/club_visit_form.html",
        {
            "form": form,
            "visit": visit,
            "activity": activity,
            "allowed": allowed,
            "standard_name": standard.municipality.name,
        },
    )


@role_required(*STAFF_ROLES)
def club_visit_new(request: HttpRequest) -> HttpResponse:
    return _club_visit_form(request, None)


@role_required(*STAFF_ROLES)
def club_visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _club_visit_form(request, get_object_or_404(ClubVisit, pk=pk))
