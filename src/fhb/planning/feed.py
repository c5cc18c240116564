"""A consultant's visits as an iCalendar feed her phone's calendar can subscribe to.

Data minimisation: a phone's calendar is not a case system. It is synchronised to cloud services, shown on
lock screens and shared with family calendars, so the feed carries only what the day needs: when, and
where to drive. No citizen's name, no CPR number, no notes; the consultant looks those up in fhb. The
address is there because the visit cannot be driven to without it, except a protected address: that is
"Adressebeskyttet" and the town (the consultant finds it on the visit's page and her day in fhb).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from fhb.citizens.protection import public_address
from fhb.local_time import day_bounds
from fhb.planning.models import Consultant
from fhb.visits.models import Visit

DAYS_BACK = 30
DAYS_AHEAD = 180
FEED_STATUSES = (Visit.Status.PLANNED, Visit.Status.HELD, Visit.Status.CLOSED_DOOR)
"""Cancelled and declined visits are left out: the calendar drops them at its next refresh."""


def visit_feed(consultant: Consultant, *, today: dt.date, now: dt.datetime) -> bytes:
    """The consultant's visits from ``DAYS_BACK`` days before ``today`` to ``DAYS_AHEAD`` days after."""
    first = today - dt.timedelta(days=DAYS_BACK)
    last = today + dt.timedelta(days=DAYS_AHEAD)
    since, until = day_bounds(first, last)
    visits = (
        Visit.objects.filter(
            consultant_id=consultant.user_id, status__in=FEED_STATUSES, start__gte=since, start__lt=until
        )
        .prefetch_related("offers__citizen__dwelling")
        .order_by("start")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//fhb//Forebyggende hjemmebesøg//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Forebyggende hjemmebesøg"))
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.pk}@fhb")
        event.add("dtstamp", now)
        event.add("dtstart", timezone.localtime(visit.start))
        event.add("dtend", timezone.localtime(visit.end))
        event.add("summary", _("Forebyggende hjemmebesøg"))
        offers = list(visit.offers.all())
        if offers:
            # A phone calendar is synced to the cloud: a protected address never goes into it.
            event.add("location", public_address(offers[0].citizen))
        event.add("description", _description(visit, len(offers)))
        event.add("status", "TENTATIVE" if visit.proposed else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=first - dt.timedelta(days=1), last_date=last + dt.timedelta(days=2)
    )
    return bytes(calendar.to_ical())


def _description(visit: Visit, citizens: int) -> str:
    # Deliberately no name, CPR number or case detail (see the module docstring).
    lines = [_("Status: %(status)s.") % {"status": visit.get_status_display()}]
    if citizens > 1:
        lines.append(_("Besøg hos ægtepar."))
    if visit.proposed:
        lines.append(_("Foreslået tidspunkt."))
    lines.append(_("Borger og forberedelse: se fhb (besøg nr. %(pk)s).") % {"pk": visit.pk})
    return "\n".join(lines)
