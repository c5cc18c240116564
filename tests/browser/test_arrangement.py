"""Issue 20 in the browser: a collective arrangement as the offer (Køge's file). A 75-year-old has her
invitation to the fællesarrangement; on the phone she chooses a date: the consultant signs her up from the
offer on her page (a double click signs her up once, a full date is not offered); another citizen asks for
an individual visit instead, and the answer reads so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.events import actions as event_actions
from fhb.events.models import Event, Registration
from fhb.letters.actions import send_run_letters
from fhb.offers.actions import start_run
from fhb.offers.models import Offer
from fhb.standards.current import standard_named
from tests.citizens.builders import citizens_csv, events_csv, person
from tests.letters.world import sender_settings
from tests.standard_files import standard_file_in_force

KOEGE = Path(__file__).parents[1] / "data" / "standards" / "koege" / "koege.toml"
CPH = ZoneInfo("Europe/Copenhagen")
NAME = "Fællesarrangement om et godt seniorliv"


@pytest.fixture(autouse=True)
def koege_in_force(settings: Any) -> Iterator[None]:
    yield from standard_file_in_force(settings, KOEGE)


def koege_world() -> tuple[dict[str, Any], dict[str, Any], dict[str, Event]]:
    """Next plan year: a woman turning 75 and a man of 70 living alone, their invitations sent today, three
    dates (the first full)."""
    today = timezone.localdate()
    year = today.year + 1
    yy = f"{year - 75}"[2:]
    bodil = person(f"0505{yy}4322", "Bodil Bjæverskov", "adr-1")
    asger = person(f"0303{f'{year - 70}'[2:]}1231", "Asger Herfølge", "adr-2")
    taken = person(f"0606{f'{year - 80}'[2:]}1235", "Carl Tureby", "adr-3")
    import_extract(
        ImportFile("citizens.csv", citizens_csv([bodil, asger, taken])),
        ImportFile("events.csv", events_csv([])),
        force=True,
    )
    sender_settings()
    standard = standard_named(str(KOEGE))
    run = start_run(year, "yearly", on=dt.date(year, 1, 1), standard=standard)

    def event(month: int, day: int, place: str, capacity: int | None) -> Event:
        start = dt.datetime(year, month, day, 10, tzinfo=CPH)
        return Event.objects.create(
            activity="faellesarrangement",
            name=NAME,
            place=place,
            start=start,
            end=start + dt.timedelta(hours=2),
            capacity=capacity,
        )

    dates = {
        "full": event(2, 10, "Forsamlingshuset, Tureby", 1),
        "koege": event(3, 3, "Medborgerhuset, Køge", 40),
        "borup": event(3, 17, "Biblioteket, Borup", None),
    }
    event_actions.register(
        dates["full"],
        Citizen.objects.get(cpr=taken["cpr"]),
        standard=standard,
        registered_on=today,
        channel="phone",
    )
    send_run_letters(run, today=today, standard=standard)
    return bodil, asger, dates


def test_a_consultant_signs_a_citizen_up_and_records_a_visit_instead(
    page: Page, log_in: Callable[..., Any]
) -> None:
    log_in("consultant", "konsulent")
    bodil, asger, dates = koege_world()

    page.goto(f"/borgere/{bodil['cpr']}/")
    expect(page.get_by_text("Tilbuddet er et fællesarrangement: " + NAME)).to_be_visible()
    choices = page.get_by_label("Tilmeld til")
    expect(choices.locator("option")).to_have_count(2)  # the full date is not offered
    expect(choices).to_contain_text("Medborgerhuset, Køge (40 ledige pladser)")
    choices.select_option(label=choices.locator("option").nth(1).inner_text())
    page.get_by_role("button", name="Tilmeld", exact=True).dblclick()
    expect(page.get_by_text(f"{bodil['name']} er tilmeldt Biblioteket, Borup")).to_be_visible()
    expect(page.get_by_text("Tilmeldt: Biblioteket, Borup")).to_be_visible()
    assert Registration.objects.filter(citizen__cpr=bodil["cpr"]).count() == 1, "a double click signs up once"
    assert Registration.objects.get(citizen__cpr=bodil["cpr"]).event == dates["borup"]

    page.goto(f"/borgere/{asger['cpr']}/")
    answers = page.get_by_label("Svar", exact=True)
    expect(answers.locator("option", has_text="Et andet tidspunkt")).to_have_count(0)
    answers.select_option(label="Ønsker et individuelt besøg i stedet")
    page.get_by_role("button", name="Registrér svar").click()
    expect(page.get_by_text("Svaret er registreret.")).to_be_visible()
    expect(page.get_by_text("svar: Ja tak")).to_be_visible()
    offer = Offer.objects.get(citizen__cpr=asger["cpr"])
    assert offer.reply == Offer.Reply.YES


def test_the_leader_creates_a_date_and_the_waiting_invitations_can_go(
    page: Page, log_in: Callable[..., Any]
) -> None:
    log_in("leader", "leder")
    today = timezone.localdate()
    year = today.year + 1
    citizen = person(f"0505{f'{year - 75}'[2:]}4322", "Bodil Bjæverskov", "adr-1")
    import_extract(
        ImportFile("citizens.csv", citizens_csv([citizen])),
        ImportFile("events.csv", events_csv([])),
        force=True,
    )
    sender_settings()
    standard = standard_named(str(KOEGE))
    run = start_run(year, "yearly", on=dt.date(year, 1, 1), standard=standard)
    waiting = send_run_letters(run, today=today, standard=standard)
    assert waiting.summary["queued"] == 0, "no date yet: the invitation waits"

    page.get_by_role("link", name="Arrangementer").first.click()
    expect(page.get_by_role("heading", name=NAME, level=2)).to_be_visible()
    page.get_by_role("link", name="Opret arrangement").click()
    expect(page.get_by_label("Aktivitet")).to_contain_text(NAME)
    page.get_by_label("Sted").fill("Medborgerhuset, Køge")
    page.get_by_label("Dato").fill(f"{year}-03-03")
    page.get_by_label("Pladser").fill("40")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Arrangementet er oprettet.")).to_be_visible()

    sent = send_run_letters(run, today=today, standard=standard)
    assert sent.summary["queued"] == 1
    assert Event.objects.get().place == "Medborgerhuset, Køge"
