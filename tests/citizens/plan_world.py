"""A small municipality with work planned, and the next extract, which leaves three citizens out.

Stored: the couple Åse and Bent, Clara, Dan, and at address adr-5 Petra (name and address protection) and
her housemate Hans. Open work (plan year 2027): Dan has an open offer with a planned visit on 5 March, a
planned visit on 20 February that nobody recorded, a cancelled one, and an exemption; Petra has an open
offer; Bent and Åse share a planned visit on 8 March, each by an offer of their own.

The next extract (:data:`NEXT`): Bent has died, Clara moved, Eva is new; Dan, Petra and Hans are gone:
3 of 6, 50 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.offers.models import Offer
from fhb.visits.models import Visit
from tests.citizens.builders import citizens_csv, person

ASE = person("0101501234", "Åse Testesen", "adr-1", civil_status="G", spouse_cpr="0202481235")
BENT = person("0202481235", "Bent Testesen", "adr-1", civil_status="G", spouse_cpr="0101501234")
CLARA = person("0303441236", "Clara Prøvesen", "adr-2")
DAN = person("0404371237", "Dan Eksempelsen", "adr-3")
PETRA = person("0505451239", "Petra Skjult", "adr-5", street="Hemmelig Allé 7", address_protected="1")
HANS = person("0606451231", "Hans Husfælle", "adr-5", street="Hemmelig Allé 7")
PEOPLE = [ASE, BENT, CLARA, DAN, PETRA, HANS]

NEXT = [
    ASE,
    {**BENT, "civil_status": "D", "death_date": "2027-02-25"},
    {**CLARA, "address_id": "adr-9", "street": "Nyvej 9"},
    person("0707601232", "Eva Nysen", "adr-4"),
]

#: The day the preview is made: visits from this day on are at stake.
TODAY = date(2027, 3, 1)
ZONE = ZoneInfo("Europe/Copenhagen")


@dataclass
class World:
    dan_offer: Offer
    dan_exempt: Offer
    petra_offer: Offer
    bent_offer: Offer
    ase_offer: Offer
    dan_visit: Visit
    dan_past_visit: Visit
    dan_cancelled_visit: Visit
    couple_visit: Visit


def load(people: list[dict[str, Any]], **kwargs: Any) -> Any:
    return import_extract(ImportFile("citizens.csv", citizens_csv(people)), **kwargs)


def offer(cpr: str, group: str, decision: str = Offer.Decision.OFFER) -> Offer:
    return Offer.objects.create(
        citizen=Citizen.objects.get(cpr=cpr),
        year=2027,
        group=group,
        decision=decision,
        letter=Offer.Letter.WITH_TIME if decision == Offer.Decision.OFFER else "",
        due_from=date(2027, 1, 1),
        due_to=date(2027, 12, 31),
        reason="Målgruppe",
        rule_id=group,
    )


def visit(day: date, *offers: Offer, status: str = Visit.Status.PLANNED) -> Visit:
    start = datetime(day.year, day.month, day.day, 10, tzinfo=ZONE)
    planned = Visit.objects.create(start=start, end=start + timedelta(hours=1), status=status)
    planned.offers.add(*offers)
    return planned


def build() -> World:
    load(PEOPLE)
    dan_offer = offer(DAN["cpr"], "age82plus")
    ase_offer, bent_offer = offer(ASE["cpr"], "age80"), offer(BENT["cpr"], "age82plus")
    return World(
        dan_offer=dan_offer,
        dan_exempt=offer(DAN["cpr"], "risk", Offer.Decision.EXEMPT),
        petra_offer=offer(PETRA["cpr"], "age80"),
        bent_offer=bent_offer,
        ase_offer=ase_offer,
        dan_visit=visit(date(2027, 3, 5), dan_offer),
        dan_past_visit=visit(date(2027, 2, 20), dan_offer),
        dan_cancelled_visit=visit(date(2027, 3, 6), dan_offer, status=Visit.Status.CANCELLED),
        couple_visit=visit(date(2027, 3, 8), ase_offer, bent_offer),
    )
