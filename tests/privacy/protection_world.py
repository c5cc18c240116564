"""A municipality with a citizen under name and address protection, and everything that could show her
address: a planned visit today by her consultant, letters, a request, a journal note, an event sign-up,
calendars, the route map, the calendar feed, statistics and exports.

Ella Skjult (protected) and her unprotected housemate Frede live at Skjult Vej 47, at coordinates no one
else has, so that a page showing the street, the coordinates or the map's dot for them can be told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.core.geography import outline_of
from fhb.core.letters.model import LetterKind
from fhb.core.route_map import route_map
from fhb.events.models import ClubVisit, Event, Registration
from fhb.journal.models import Consent, JournalNote
from fhb.letters.outbox import render_pending
from fhb.letters.sending import send_visit_letter
from fhb.offers.actions import start_run
from fhb.offers.models import EligibilityRun, Offer, Request
from fhb.planning.days import day_route
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.conftest import PASSWORD
from tests.letters.world import ALONE70, HUSBAND85, TURNS75, WIFE80, load, sender_settings

STREET = "Skjult Vej 47"
LAT, LON = 57.44123, 9.96789
PROTECTED = {
    "cpr": "0707471236",
    "name": "Ella Skjult",
    "address_id": "adr-9",
    "street": STREET,
    "postcode": "9800",
    "city": "Hjørring",
    "lat": str(LAT),
    "lon": str(LON),
    "address_protected": "1",
    "digital_post_exempt": "1",
}
HOUSEMATE = {**PROTECTED, "cpr": "0808461238", "name": "Frede Skjult", "address_protected": ""}
PEOPLE = [ALONE70, WIFE80, HUSBAND85, TURNS75, PROTECTED, HOUSEMATE]

#: The users: the consultant assigned to Ella's visit, a colleague, and the other roles.
USERS = {
    "karen": "consultant",
    "kim": "consultant",
    "demens": "dementia_coordinator",
    "leder": "leader",
    "admin": "admin",
}


@dataclass
class ProtectionWorld:
    ella: Citizen
    frede: Citizen
    visit: Visit
    offer: Offer
    today: dt.date
    users: dict[str, User]

    def forbidden(self) -> list[str]:
        """What must not be on a page where the address may not be shown: the street with its number, the
        coordinates to three decimals, and the dot the day's route map would draw for the visit."""
        return [STREET, f"{LAT:.3f}", f"{LON:.3f}", *self.map_dots()]

    def map_dots(self) -> list[str]:
        """The SVG of the dot the consultant's day map would draw at Ella's home, if it drew it."""
        consultant = Consultant.objects.get(user=self.visit.consultant)
        route = day_route(consultant, self.today)
        points = [(s.number, s.point) for s in route.stops if s.point is not None]
        rings = outline_of(f"{current_standard().municipality.code:04d}").rings
        drawn = route_map(rings, consultant.base, points)
        stop = next(s for s in route.stops if s.visit.pk == self.visit.pk)
        return [
            f'cx="{xy[0]}" cy="{xy[1]}"'
            for s in drawn.stops
            if s.number == stop.number
            for xy in {(s.x, s.y), (s.true_x, s.true_y)}
        ]


def build_protection_world() -> ProtectionWorld:
    load(PEOPLE)
    sender_settings()
    run_2027()
    users = {
        name: User.objects.create_user(username=name, password=PASSWORD, role=role)
        for name, role in USERS.items()
    }
    for name in ("karen", "kim"):
        Consultant.objects.create(user=users[name], base_lat=57.4643, base_lon=9.9822)
    ella = Citizen.objects.get(cpr=PROTECTED["cpr"])
    frede = Citizen.objects.get(cpr=HOUSEMATE["cpr"])
    offer = Offer.objects.filter(citizen=ella, decision=Offer.Decision.OFFER).first()
    assert offer is not None, "the world needs an offer for the protected citizen"
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(13, 0)))
    visit = Visit.objects.create(start=start, end=start + dt.timedelta(hours=1), consultant=users["karen"])
    visit.offers.add(offer)
    other = Offer.objects.filter(citizen__cpr=WIFE80["cpr"], decision=Offer.Decision.OFFER).first()
    if other is not None:
        before = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
        colleague = Visit.objects.create(
            start=before, end=before + dt.timedelta(hours=1), consultant=users["karen"]
        )
        colleague.offers.add(other)
    send_visit_letter(
        LetterKind.NEW_TIME, visit, today=today, standard=current_standard(), user=users["karen"]
    )
    render_pending()
    Request.objects.create(citizen=ella, received=today, came_from="citizen", channel="phone")
    Consent.objects.create(citizen=ella, kind=Consent.Kind.DOCUMENTATION, given_on=today)
    JournalNote.objects.create(citizen=ella, visit=visit, text="Talte om fald.", written_by=users["karen"])
    event = Event.objects.create(
        activity="seniormesse",
        name="Seniormesse",
        place="Sundhedscentret",
        start=start + dt.timedelta(days=30),
        end=start + dt.timedelta(days=30, hours=3),
    )
    Registration.objects.create(event=event, citizen=ella, registered_on=today, channel="phone")
    ClubVisit.objects.create(date=today, club="Ældreklubben", topic="Kost", attendees=12)
    return ProtectionWorld(ella, frede, visit, offer, today, users)


def run_2027() -> EligibilityRun:
    return start_run(2027, "yearly", on=dt.date(2027, 1, 1), standard=current_standard())
