"""Events as work: who was invited, signing citizens up within the capacity, attendance, and what the
standard offers (a seniormesse, club visits).

**Who was invited to an event.** The invitation is a letter: ``fhb.letters.compose.offer_letter`` writes a
letter of kind ``invitation`` for an offer whose target group invites to an activity
(``TargetGroup.invitation``), naming the first event of that activity in the offer's plan year that starts
on or after the offer's ``due_from`` (``invitation_event``); ``fhb.letters.sending`` leaves the offer
waiting, without a letter, while there is no such event. So the citizens invited to an event are the
recipients of the letters that

1. are of kind ``invitation`` and not cancelled (queued, rendered, failed and due a retry, or delivered),
2. hang on an offer of the event's plan year (the year of the event's local start), and
3. name this event: the event in the letter's stored content (what the letter says, fixed when it was
   queued) starts when this event starts. A letter whose content names no stored event (the event was
   moved after the letters went out, or the citizen was anonymised and the content emptied) is counted for
   the event ``invitation_event`` would pick for its offer now: the first event of the year on or after the
   offer's ``due_from``.

The link goes through the stored letters and offers, not through the current standard, so the figures of a
past year do not change when the standard or a citizen's data change later. Rule 3's fallback looks at
every event of the year whatever its activity: club talks are :class:`~fhb.events.models.ClubVisit` rows,
so today only the seniormesse has events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.citizens.models import Citizen
from fhb.core.letters.model import LetterKind
from fhb.core.standard.schema import Activity, QualityStandard
from fhb.events.models import Event, Registration
from fhb.letters.models import Letter
from fhb.offers.models import Offer

#: Who may sign up for an event: the law's audience, "65 år og derover".
MIN_AGE_YEARS = 65
#: The seniormesse's length when the standard states none (Hjørring's text: "varer ca. 3 timer").
DEFAULT_DURATION_MIN = 180


class RegistrationError(Exception):
    """A sign-up or attendance the rules refuse; the message says why, in Danish."""


# --- What the standard offers -------------------------------------------------------------------------------


def senior_fairs(standard: QualityStandard) -> list[Activity]:
    """The standard's senior fairs (``[[activities]]`` of kind ``senior_fair``): Hjørring's seniormesse."""
    return [a for a in standard.activities if a.kind == "senior_fair"]


def club_visit_activity(standard: QualityStandard) -> Activity | None:
    """The standard's club visits (``kind = "club_visit"``), if it describes them: Herning's."""
    return next((a for a in standard.activities if a.kind == "club_visit"), None)


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


def _local_iso(moment: dt.datetime) -> str:
    """How a letter's content stores an event's start: the naive local time in ISO form."""
    return timezone.localtime(moment).replace(tzinfo=None).isoformat()


# --- Invited ------------------------------------------------------------------------------------------------


def invitation_letters(years: Iterable[int]) -> QuerySet[Any]:
    """One row per (invitation letter, offer of ``years``), rules 1 and 2 of the module's docstring."""
    through = Letter.offers.through
    return (
        through.objects.filter(letter__kind=LetterKind.INVITATION.value, offer__year__in=list(years))
        .exclude(letter__status=Letter.Status.CANCELLED)
        .order_by()
    )


def invited_by_event(events: Iterable[Event]) -> dict[int, set[int]]:
    """The ids of the citizens invited to each of ``events`` (event id -> citizen ids)."""
    wanted = {e.pk for e in events}
    years = {event_year(e) for e in events}
    result: dict[int, set[int]] = {pk: set() for pk in wanted}
    if not wanted:
        return result
    of_year: dict[int, list[Event]] = defaultdict(list)
    for event in Event.objects.filter(start__year__in=years).order_by("start", "pk"):
        of_year[event_year(event)].append(event)
    by_start = {(year, _local_iso(e.start)): e for year, evs in of_year.items() for e in reversed(evs)}
    rows = invitation_letters(years).values_list(
        "letter__citizen_id", "letter__content__event__start", "offer__year", "offer__due_from"
    )
    for citizen_id, named_start, year, due_from in rows:
        named = by_start.get((year, named_start)) if isinstance(named_start, str) else None
        if named is None:
            named = next((e for e in of_year[year] if event_day(e) >= due_from), None)
        if named is not None and named.pk in wanted:
            result[named.pk].add(citizen_id)
    return result


def invited_citizen_ids(event: Event) -> set[int]:
    return invited_by_event([event])[event.pk]


def invitation_groups(activity: str, standard: QualityStandard) -> list[str]:
    """The target groups whose letter invites to ``activity``."""
    return [g.id for g in standard.groups if g.invitation == activity]


def waiting_for_invitation(event: Event, standard: QualityStandard) -> int:
    """Open offers of the event's year in a group that invites to its activity, with no letter yet: the
    citizens still to be invited (their letters are sent from the run's page once an event exists)."""
    groups = invitation_groups(event.activity, standard)
    if not groups:
        return 0
    lettered = Letter.objects.filter(offers=OuterRef("pk")).exclude(status=Letter.Status.CANCELLED)
    return (
        Offer.objects.filter(
            year=event_year(event),
            group__in=groups,
            status=Offer.Status.ACTIVE,
            decision=Offer.Decision.OFFER,
            reply=Offer.Reply.NONE,
        )
        .exclude(Exists(lettered))
        .count()
    )


# --- Registrations ------------------------------------------------------------------------------------------


def free_places(event: Event) -> int | None:
    """Places left (never below 0), or None when the event has no capacity."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - event.registrations.count())


def may_sign_up(citizen: Citizen, event: Event) -> str:
    """Why ``citizen`` cannot sign up for ``event`` (in Danish), or "" when the citizen can."""
    day = event_day(event)
    if citizen.anonymised:
        return _("Borgeren er anonymiseret.")
    if citizen.death_date is not None and citizen.death_date <= day:
        return _("Borgeren er død.")
    if citizen.age_on(day) < MIN_AGE_YEARS:
        return _("Borgeren er under %(age)s år på dagen for arrangementet.") % {"age": MIN_AGE_YEARS}
    return ""


def register(
    event: Event,
    citizen: Citizen,
    *,
    registered_on: dt.date,
    channel: str,
    note: str = "",
    user: Any = None,
    over_capacity: bool = False,
) -> Registration:
    """Sign ``citizen`` up for ``event``. Refused when the citizen is under 65 on the day (or dead,
    anonymised), already signed up, or when every place is taken and ``over_capacity`` is not set (a
    leader's decision, checked by the view)."""
    why = may_sign_up(citizen, event)
    if why:
        raise RegistrationError(why)
    with transaction.atomic():
        # Lock the event so two sign-ups for the last place cannot both pass the count.
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if Registration.objects.filter(event=locked, citizen=citizen).exists():
            raise RegistrationError(_("Borgeren er allerede tilmeldt."))
        taken = Registration.objects.filter(event=locked).count()
        if locked.capacity is not None and taken >= locked.capacity and not over_capacity:
            raise RegistrationError(
                _(
                    "Der er ikke flere ledige pladser: alle %(capacity)s pladser er optaget. "
                    "En leder kan tilmelde ud over kapaciteten."
                )
                % {"capacity": locked.capacity}
            )
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    event=locked,
                    citizen=citizen,
                    registered_on=registered_on,
                    channel=channel,
                    note=note,
                    user=user if getattr(user, "pk", None) else None,
                )
        except IntegrityError as error:
            raise RegistrationError(_("Borgeren er allerede tilmeldt.")) from error


def cancel(registration: Registration) -> None:
    """Cancel a sign-up (the row goes; its history keeps that it was there). Not once the citizen is
    registered as having come."""
    if registration.attended:
        raise RegistrationError(_("Borgeren er registreret som mødt; ret fremmødet i stedet for at afmelde."))
    registration.delete()


def record_attendance(event: Event, attended: Iterable[int], *, today: dt.date) -> int:
    """Record who came: the registrations ``attended`` (ids) came, every other sign-up did not.

    Refused before the event's day. Returns how many came. Only rows that change are saved (and get a
    history row).
    """
    day = event_day(event)
    if today < day:
        raise RegistrationError(
            _("Fremmødet kan først registreres på arrangementets dag (%(day)s).") % {"day": f"{day:%d.%m.%Y}"}
        )
    came = set(attended)
    with transaction.atomic():
        rows = list(Registration.objects.select_for_update().filter(event=event))
        unknown = came - {r.pk for r in rows}
        if unknown:
            raise RegistrationError(_("Fremmødet nævner tilmeldinger, der ikke hører til arrangementet."))
        for row in rows:
            value = row.pk in came
            if row.attended is not value:
                row.attended = value
                row.save(update_fields=["attended"])
    return len(came)


def anonymise_registrations(citizen_ids: Iterable[int]) -> int:
    """Empty the free text of the citizens' sign-ups and delete their history, as ``citizens.retention``
    does for the other rows it keeps for statistics. The rows stay (event, date, channel, attendance).
    Returns how many rows were emptied."""
    ids = list(citizen_ids)
    emptied = Registration.objects.filter(citizen__in=ids).exclude(note="").update(note="")
    Registration.history.filter(citizen_id__in=ids).delete()
    return emptied
