"""The letters' small municipality (plan year 2027, Hjørring) with a seniormesse and its invitations."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from fhb.citizens.models import Citizen, Dwelling
from fhb.events.models import ClubVisit, Event
from fhb.letters.actions import send_run_letters
from fhb.standards.current import current_standard
from tests.letters.world import TURNS75, at, world

TODAY = date(2027, 2, 1)


def seniormesse(
    start: datetime | None = None, *, capacity: int | None = None, name: str = "Seniormesse"
) -> Event:
    start = start or at(20, 4, 10)
    return Event.objects.create(
        activity="seniormesse",
        name=name,
        place="Sundhedscentret",
        start=start,
        end=start + timedelta(hours=3),
        capacity=capacity,
    )


def invited_world(**values: Any) -> Event:
    """The world, a seniormesse on 20 April 2027 and the run's letters sent: Dorte (75) is invited."""
    run = world()
    event = seniormesse(**values)
    send_run_letters(run, today=TODAY, standard=current_standard())
    return event


def dorte() -> Citizen:
    return Citizen.objects.get(cpr=TURNS75["cpr"])


def citizen(cpr: str, name: str, born: date) -> Citizen:
    """A citizen outside the run (so without a letter), stored directly."""
    dwelling, _ = Dwelling.objects.get_or_create(
        address_id=f"adr-{cpr}", defaults={"street": "Testvej 9", "postcode": "9800", "city": "Hjørring"}
    )
    return Citizen.objects.create(cpr=cpr, name=name, birth_date=born, sex="F", dwelling=dwelling)


def local_start(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def club_visit(day: date, attendees: int, kind: str = "senior_club", **values: Any) -> ClubVisit:
    values = {"club": "Ældreklubben", "topic": "Faldforebyggelse", **values}
    return ClubVisit.objects.create(date=day, kind=kind, attendees=attendees, **values)
