"""A small municipality with a yearly run, sender settings and planned visits, for outbox tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.letters.models import SenderSettings
from fhb.offers.actions import start_run
from fhb.offers.models import EligibilityRun, Offer
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.citizens.builders import citizens_csv, events_csv, person

CPH = ZoneInfo("Europe/Copenhagen")

# Plan year 2027 (Hjørring): a man living alone turning 70, a couple turning 80 and 85, a woman turning 75
# (seniormesse), and a woman turning 80 who is exempt from Digital Post and address-protected.
ALONE70 = person("0303571231", "Aksel Ålund", "adr-1")
WIFE80 = person("0404472342", "Birte Øster", "adr-2", civil_status="G", spouse_cpr="0505421233")
HUSBAND85 = person("0505421233", "Carl Øster", "adr-2", civil_status="G", spouse_cpr="0404472342")
TURNS75 = person("0606522344", "Dorte Femoghalvfjerds", "adr-3")
PAPER80 = person(
    "0707471236", "Ella Papir", "adr-4", street="Skjult Vej 4", digital_post_exempt="1", address_protected="1"
)
PEOPLE = [ALONE70, WIFE80, HUSBAND85, TURNS75, PAPER80]


def load(
    people: list[dict[str, Any]] = PEOPLE, events: tuple[dict[str, Any], ...] = (), force: bool = False
) -> None:
    """``force``: past the brake (FHB_IMPORT_MAX_GONE_PERCENT), for an extract that leaves someone out."""
    import_extract(
        ImportFile("citizens.csv", citizens_csv(people)),
        ImportFile("events.csv", events_csv(events)),
        force=force,
    )


def sender_settings() -> SenderSettings:
    return SenderSettings.objects.create(
        cvr="11223344",
        unit="Forebyggende hjemmebesøg, Sundhedscentret",
        street="Eksempelvej 1",
        postcode="9800",
        city="Hjørring",
        phone="72 00 00 00",
        phone_hours="mandag-fredag kl. 8.00-9.00",
        email="forebyg@example.dk",
        signature="De forebyggende medarbejdere",
    )


def world() -> EligibilityRun:
    load()
    sender_settings()
    return start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())


def offer(cpr: str, group: str) -> Offer:
    return Offer.objects.get(citizen__cpr=cpr, group=group, status=Offer.Status.ACTIVE)


def plan(target: Offer, start: datetime, minutes: int = 60, **values: Any) -> Visit:
    visit = Visit.objects.create(start=start, end=start.replace(hour=start.hour + minutes // 60), **values)
    visit.offers.add(target)
    return visit


def at(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=CPH)
