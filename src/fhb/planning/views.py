"""Planning pages: run the planner, see a consultant's week and day, move a visit, book a free time, and
the consultant's calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import Role
from fhb.citizens.protection import address_protected
from fhb.core.geography import outline_of, postcode_centres
from fhb.core.route_map import route_map
from fhb.jobs.views import start_from_page
from fhb.letters.compose import NotReady
from fhb.local_time import naive_local
from fhb.offers.models import Offer
from fhb.planning.actions import book_slot, move_visit
from fhb.planning.booking import clock, daydate, find_slots, slot_weeks
from fhb.planning.days import DayRoute, calendar_week, day_route, iso_week, week_of
from fhb.planning.feed import visit_feed
from fhb.planning.forms import BookSlotForm, MoveVisitForm, PlanRunForm, SlotWishForm, next_monday
from fhb.planning.locks import BookingError
from fhb.planning.models import Consultant, PlanRun
from fhb.standards.current import current_standard
from fhb.visits.models import Visit

LEADERS = (Role.LEADER, Role.ADMIN)


@role_required(*LEADERS)
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    run = PlanRun.objects.first()
    items = run.summary.get("not_placed", []) if run else []
    return render(
        request,
        "planning/overview.html",
        {
            "run": run,
            "warnings": [i for i in items if i.get("warning")],
            "waiting": [i for i in items if not i.get("warning")],
            "driving_pct": round(float(run.summary.get("driving_share", 0)) * 100) if run else 0,
            "runs": PlanRun.objects.select_related("user")[:10],
            "form": PlanRunForm(initial={"first": next_monday(today), "weeks": 4}),
            "consultants": Consultant.objects.select_related("user"),
            "this_week": iso_week(today),
        },
    )


@role_required(*LEADERS)
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    form = PlanRunForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Planen blev ikke lagt: ") + errors)
        return redirect("plan-overview")
    first, weeks = form.cleaned_data["first"], form.cleaned_data["weeks"]
    title = _("Plan for %(weeks)s uge(r) fra %(first)s") % {"weeks": weeks, "first": daydate(first)}
    return start_from_page(
        request, "plan_run", title, {"first": first.isoformat(), "weeks": weeks}, back="plan-overview"
    )


@role_required(*STAFF_ROLES)
def week(request: HttpRequest, user_id: int) -> HttpResponse:
    # user__id, not user_id: an id beyond the database's integers then finds no one (404), where the
    # foreign key column made SQLite raise OverflowError (500).
    consultant = get_object_or_404(Consultant.objects.select_related("user"), user__id=user_id)
    monday = week_of(request.GET.get("uge"), timezone.localdate())
    user = staff_user(request)
    own = user.pk == consultant.user_id
    return render(
        request,
        "planning/week.html",
        {
            "consultant": consultant,
            "days": calendar_week(consultant, monday),
            "week": iso_week(monday),
            "week_number": monday.isocalendar()[1],
            "monday": monday,
            "previous": iso_week(monday - dt.timedelta(days=7)),
            "next": iso_week(monday + dt.timedelta(days=7)),
            "consultants": Consultant.objects.filter(active=True).select_related("user"),
            "own": own,
            "may_reset": own or user.has_role(*LEADERS),
            "feed_url": request.build_absolute_uri(reverse("consultant-ical", args=[consultant.ical_token]))
            if own
            else "",
        },
    )


@role_required(*STAFF_ROLES)
def day(request: HttpRequest, user_id: int, day: dt.date) -> HttpResponse:
    consultant = get_object_or_404(Consultant.objects.select_related("user"), user__id=user_id)
    route = day_route(consultant, day)
    # A protected address is not on this page in any form: its stop is left off the map (coordinates are
    # the address) and its row says "Adressebeskyttet" (docs/operations.md, "Protection").
    hidden = {s.visit.pk for s in route.stops if any(address_protected(c) for c in s.citizens)}
    # The view, and so the towns and tiles shown, is taken from the stops drawn: it says nothing of them.
    stops = [(s.number, s.point) for s in route.stops if s.point is not None and s.visit.pk not in hidden]
    try:
        rings = outline_of(f"{current_standard().municipality.code:04d}").rings
    except KeyError:
        rings = []  # a municipality without an outline in the package data: draw the route alone
    drawing = route_map(
        rings, consultant.base, stops, centres=postcode_centres(), tiles=settings.FHB_MAP_TILES
    )
    return render(
        request,
        "planning/day.html",
        {
            "consultant": consultant,
            "route": route,
            "rows": _timeline(route),
            "map": drawing if stops or rings else None,
            "week": iso_week(day),
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "hidden": hidden,
        },
    )


def _timeline(route: DayRoute) -> list[dict[str, Any]]:
    """The day as rows in time order: leave, visits, back, and the lunch break where it falls."""
    if not route.stops:
        return []
    first, last = route.stops[0].visit, route.stops[-1].visit
    rows: list[dict[str, Any]] = [
        {"kind": "leave", "at": route.leave, "order": (route.leave or first.start, 0)},
        *(
            {"kind": "visit", "at": s.visit.start, "stop": s, "order": (s.visit.start, 1)}
            for s in route.stops
        ),
        {
            "kind": "back",
            "at": route.back,
            "drive_min": route.back_drive_min,
            "order": (route.back or last.end, 2),
        },
    ]
    if route.lunch is not None:
        rows.append(
            {"kind": "lunch", "at": route.lunch[0], "end": route.lunch[1], "order": (route.lunch[0], 3)}
        )
    return sorted(rows, key=lambda r: r["order"])


@role_required(*STAFF_ROLES)
def move(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("consultant"), pk=pk)
    start = naive_local(visit.start)
    form = MoveVisitForm(
        request.POST or None,
        initial={"day": start.date(), "time": start.time(), "consultant": visit.consultant_id},
    )
    if request.method == "POST" and form.is_valid():
        consultant = form.cleaned_data["consultant"]
        try:
            letters = move_visit(
                visit,
                consultant,
                form.start(),
                today=timezone.localdate(),
                standard=current_standard(),
                user=staff_user(request),
                reason=form.cleaned_data["reason"],
            )
        except BookingError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        except NotReady as error:
            form.add_error(None, _("Brevet om det nye tidspunkt kan ikke skrives: %(why)s") % {"why": error})
        else:
            moved_to = naive_local(visit.start)
            text = _("Besøget er flyttet til %(day)s kl. %(time)s hos %(name)s.") % {
                "day": daydate(moved_to),
                "time": clock(moved_to),
                "name": consultant,
            }
            if letters:
                text += " " + _("Brev om nyt tidspunkt er lagt i udbakken.")
            messages.success(request, text)
            return redirect("plan-day", user_id=consultant.user_id, day=moved_to.date())
    return render(
        request,
        "planning/move.html",
        {
            "visit": visit,
            "start_day": naive_local(visit.start).date(),
            "form": form,
            "citizens": [o.citizen for o in visit.offers.select_related("citizen__dwelling")],
            "promised": visit.promised,
            "planned": visit.status == Visit.Status.PLANNED,
        },
    )


@require_safe
def ical(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the token: the token is the secret (the address a phone subscribes to)."""
    consultant = get_object_or_404(Consultant, ical_token=token, active=True)
    body = visit_feed(consultant, today=timezone.localdate(), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="forebyggende-hjemmebesoeg.ics"'
    return response


@role_required(*STAFF_ROLES)
@require_POST
def ical_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """Give the consultant's feed a new address: herself, or a leader (a lost phone, a leaked address)."""
    consultant = get_object_or_404(Consultant, user__id=user_id)
    user = staff_user(request)
    if user.pk != consultant.user_id and not user.has_role(*LEADERS):
        raise PermissionDenied
    consultant.new_ical_token()
    messages.success(
        request,
        _("Kalenderen har fået en ny adresse. Den gamle virker ikke længere; abonnér igen med den nye."),
    )
    return redirect(reverse("plan-week", args=[consultant.user_id]))


@role_required(*STAFF_ROLES)
def offer_slots(request: HttpRequest, offer_pk: int) -> HttpResponse:
    """Free times for a citizen on the phone, narrowed by week, day, time of day and consultant."""
    offer = get_object_or_404(Offer.objects.select_related("citizen__dwelling"), pk=offer_pk)
    today = timezone.localdate()
    form = SlotWishForm(request.GET or None, weeks=slot_weeks(offer, today))
    return render(
        request,
        "planning/offer_slots.html",
        {
            "offer": offer,
            "form": form,
            "search": find_slots(offer, today=today, standard=current_standard(), wish=form.wish()),
            "query": request.GET.urlencode(),
        },
    )


def _back_to_slots(request: HttpRequest, offer: Offer) -> HttpResponse:
    """The free-times page again, with the caller's wish as it was."""
    query = request.GET.urlencode()
    return redirect(reverse("offer-slots", args=[offer.pk]) + (f"?{query}" if query else ""))


@role_required(*STAFF_ROLES)
@require_POST
def offer_slot_book(request: HttpRequest, offer_pk: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("citizen__dwelling"), pk=offer_pk)
    form = BookSlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tiden blev ikke booket: vælg en af de viste tider."))
        return _back_to_slots(request, offer)
    consultant = form.cleaned_data["consultant"]
    try:
        visit = book_slot(
            offer,
            consultant,
            form.cleaned_data["start"],
            today=timezone.localdate(),
            standard=current_standard(),
        )
    except BookingError as error:
        messages.error(request, _("Tiden blev ikke booket: %(why)s") % {"why": error})
        return _back_to_slots(request, offer)
    start = naive_local(visit.start)
    messages.success(
        request,
        _("Besøget er booket %(day)s kl. %(time)s hos %(name)s.")
        % {"day": daydate(start), "time": clock(start), "name": consultant},
    )
    return redirect("citizen-detail", cpr=offer.citizen.cpr)
