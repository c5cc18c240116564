"""The events' workflows, one durable transaction each: sign a citizen up (within the capacity), cancel a
sign-up, and record who came. The rules they apply are in :mod:`fhb.events.services`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.core.standard.schema import QualityStandard
from fhb.events.models import Event, Registration
from fhb.events.services import RegistrationError, event_day, may_sign_up


def register(
    event: Event,
    citizen: Citizen,
    *,
    standard: QualityStandard,
    registered_on: dt.date,
    channel: str,
    note: str = "",
    user: User | None = None,
    over_capacity: bool = False,
) -> Registration:
    """Sign ``citizen`` up for ``event``. Refused when the citizen is under the activity's age on the day
    (:func:`fhb.events.services.min_age_years`; or dead,
    anonymised), already signed up, or when every place is taken and ``over_capacity`` is not set (a
    leader's decision, checked by the view)."""
    why = may_sign_up(citizen, event, standard)
    if why:
        raise RegistrationError(why)
    with transaction.atomic(durable=True):
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
                    user=user,
                )
        except IntegrityError as error:
            raise RegistrationError(_("Borgeren er allerede tilmeldt.")) from error


@transaction.atomic(durable=True)
def cancel(registration: Registration) -> None:
    """Cancel a sign-up (the row goes; its history keeps that it was there). Not once the citizen is
    registered as having come."""
    if registration.attended:
        raise RegistrationError(_("Borgeren er registreret som mødt; ret fremmødet i stedet for at afmelde."))
    registration.delete()


@transaction.atomic(durable=True)
def cancel_upcoming(citizen: Citizen, activity: str, year: int, *, today: dt.date) -> list[Event]:
    """Cancel the citizen's sign-ups for the dates of ``activity`` in ``year`` that lie after ``today``
    (she declined the arrangement: her places go to others). Returns the events she was signed up for."""
    ahead = Registration.objects.filter(
        citizen=citizen, event__activity=activity, event__start__year=year, event__start__date__gt=today
    )
    rows = list(ahead.select_for_update().select_related("event"))
    for row in rows:
        row.delete()
    return [row.event for row in rows]


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
    with transaction.atomic(durable=True):
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
