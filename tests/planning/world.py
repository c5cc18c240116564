"""A small Hjørring for planning pages: two consultants based at the health centre, citizens with
coordinates around the town, and the 2027 offers a yearly run gives them."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any

from fhb.accounts.models import User
from fhb.offers.actions import start_run
from fhb.offers.models import Offer
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.citizens.builders import person
from tests.conftest import PASSWORD
from tests.letters.world import CPH, load, sender_settings

HJOERRING = (57.4643, 9.9822)
"""Sundhedscenter Hjørring, where the consultants' days start and end (lat, lon)."""

# Turning 80 in 2027 (Målgruppe 3: a letter with a time, opt-out) at homes around Hjørring, and a man of 85
# (Målgruppe 4: opt-in, no time) who phones to book.
EAST = person("0101471231", "Anna Østergaard", "adr-1", street="Østergade 1", lat="57.4612", lon="10.0105")
WEST = person("0202471232", "Bodil Vestergaard", "adr-2", street="Vestergade 2", lat="57.4701", lon="9.9480")
NORTH = person("0303471233", "Cecilie Nordby", "adr-3", street="Nordvej 3", lat="57.5010", lon="9.9920")
CALLER = person("0404421234", "Dines Ringer", "adr-4", street="Søndergade 4", lat="57.4550", lon="9.9700")
PEOPLE = [EAST, WEST, NORTH, CALLER]


def staff(username: str, role: str = "consultant", first_name: str = "", last_name: str = "") -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, first_name=first_name, last_name=last_name
    )


def consultant(user: User, **values: Any) -> Consultant:
    """A planning consultant working Monday-Friday 8-15.30 from the health centre in Hjørring."""
    values = {"base_name": "Sundhedscentret", "base_lat": HJOERRING[0], "base_lon": HJOERRING[1], **values}
    return Consultant.objects.create(user=user, **values)


def world() -> tuple[Consultant, Consultant]:
    """Citizens, their 2027 offers, sender settings, and two consultants (Karen and Lise)."""
    load(PEOPLE)
    sender_settings()
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    karen = consultant(staff("karen", first_name="Karen", last_name="Konsulent"))
    lise = consultant(staff("lise", first_name="Lise", last_name="Larsen"))
    return karen, lise


def offer(who: dict[str, Any]) -> Offer:
    return Offer.objects.get(citizen__cpr=who["cpr"], year=2027, status=Offer.Status.ACTIVE)


def at(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=CPH)


def visit(
    who: dict[str, Any], start: datetime, by: Consultant | None, minutes: int = 60, **values: Any
) -> Visit:
    """A visit for ``who``'s offer at ``start`` with consultant ``by``."""
    created = Visit.objects.create(
        start=start, end=start + dt.timedelta(minutes=minutes), consultant=by.user if by else None, **values
    )
    created.offers.add(offer(who))
    return created
