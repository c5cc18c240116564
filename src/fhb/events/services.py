"""Events as work: signing citizens up within the capacity, attendance, and what the standard offers (a
seniormesse, club visits). Who was invited to an event is a question about letters:
:mod:`fhb.letters.invitations`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.citizens.models import Citizen
from fhb.core.standard.schema import Activity, QualityStandard
from fhb.events.models import Event, Registration

#: Who may sign up for an event whose activity states no ``min_age_years``: the law's audience, "65 år og
#: derover".
MIN_AGE_YEARS = 65
#: The seniormesse's length when the standard states none (Hjørring's text: "varer ca. 3 timer").
DEFAULT_DURATION_MIN = 180


class RegistrationError(Exception):
    """A sign-up or attendance the rules refuse; the message says why, in Danish."""


# --- What the standard offers -------------------------------------------------------------------------------


def senior_fairs(standard: QualityStandard) -> list[Activity]:
    """The standard's senior fairs (``[[activities]]`` of kind ``senior_fair``): Hjørring's seniormesse."""
    return [a for a in standard.activities if a.kind == "senior_fair"]


#: The kinds of activity held as events citizens sign up for (a date, a place, places).
EVENT_ACTIVITY_KINDS = ("senior_fair", "information_meeting")


def event_activities(standard: QualityStandard) -> list[Activity]:
    """The standard's activities held as events (``kind`` senior_fair or information_meeting): the ones a
    leader creates dates for. Hjørring's seniormesse, Køge's fællesarrangement."""
    return [a for a in standard.activities if a.kind in EVENT_ACTIVITY_KINDS]


def club_visit_activity(standard: QualityStandard) -> Activity | None:
    """The standard's club visits (``kind = "club_visit"``), if it describes them: Herning's."""
    return next((a for a in standard.activities if a.kind == "club_visit"), None)


def min_age_years(event: Event, standard: QualityStandard) -> int:
    """The age from which a citizen may sign up for ``event``: its activity's ``min_age_years`` in the
    standard, else :data:`MIN_AGE_YEARS`."""
    activity = next((a for a in standard.activities if a.id == event.activity), None)
    if activity is None or activity.min_age_years is None:
        return MIN_AGE_YEARS
    return activity.min_age_years


def activity_duration(activity: Activity | None) -> int:
    return (activity.duration_min if activity is not None else None) or DEFAULT_DURATION_MIN


# --- Dates --------------------------------------------------------------------------------------------------


def event_day(event: Event) -> dt.date:
    """The event's day in local time."""
    return timezone.localtime(event.start).date()


def event_year(event: Event) -> int:
    return event_day(event).year


def years_before(day: dt.date, years: int) -> dt.date:
    """``day`` moved back ``years`` years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# --- Registrations ------------------------------------------------------------------------------------------


def free_places(event: Event) -> int | None:
    """Places left (never below 0), or None when the event has no capacity."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - event.registrations.count())


def may_sign_up(citizen: Citizen, event: Event, standard: QualityStandard) -> str:
    """Why ``citizen`` cannot sign up for ``event`` (in Danish), or "" when the citizen can: under the
    activity's age (:func:`min_age_years`) on the day, dead or anonymised."""
    day = event_day(event)
    min_age = min_age_years(event, standard)
    if citizen.anonymised:
        return _("Borgeren er anonymiseret.")
    if citizen.death_date is not None and citizen.death_date <= day:
        return _("Borgeren er død.")
    if citizen.age_on(day) < min_age:
        return _("Borgeren er under %(age)s år på dagen for arrangementet.") % {"age": min_age}
    return ""


def anonymise_registrations(citizen_ids: Iterable[int]) -> int:
    """Empty the free text of the citizens' sign-ups and delete their history, as ``fhb.privacy.retention``
    does for the other rows it keeps for statistics. The rows stay (event, date, channel, attendance).
    Returns how many rows were emptied."""
    ids = list(citizen_ids)
    emptied = Registration.objects.filter(citizen__in=ids).exclude(note="").update(note="")
    Registration.history.filter(citizen_id__in=ids).delete()
    return emptied
