"""A consultant's day in the browser: find the citizen, open today's visit, record it, see it on the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from fhb.journal.models import JournalNote
from fhb.letters.models import Letter
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.letters.world import ALONE70, offer, world


def todays_visit(user: Any) -> Visit:
    """Aksel Ålund's visit today, just after midnight so that it has begun whenever the test runs."""
    Consultant.objects.create(user=user, base_name="Sundhedscentret", base_lat=57.4643, base_lon=9.9822)
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(0, 5)))
    visit = Visit.objects.create(start=start, end=start + timedelta(hours=1), consultant=user)
    visit.offers.add(offer(ALONE70["cpr"], "alone70"))
    return visit


def test_consultant_holds_a_visit_with_a_journal_note(page: Page, log_in: Callable[..., Any]) -> None:
    world()
    user = log_in("consultant")
    visit = todays_visit(user)

    page.get_by_role("link", name="Borgere").first.click()
    page.get_by_label("Søg").fill("Ålund")
    page.get_by_role("link", name=ALONE70["name"]).click()
    expect(page.get_by_role("heading", name=ALONE70["name"], level=1)).to_be_visible()

    page.get_by_role("link", name="I dag").first.click()
    expect(page.get_by_role("heading", name="Mine besøg i dag")).to_be_visible()
    page.get_by_role("link", name=ALONE70["name"]).click()

    page.locator("summary", has_text="Registrér samtykke").click()
    page.get_by_role("button", name="Registrér samtykke").click()
    expect(page.get_by_text("Samtykket er registreret.")).to_be_visible()

    page.get_by_label("Trivsel").check()
    page.get_by_label("Ensomhed").check()
    page.get_by_label("Aftaler").fill("Ringer igen efter sommerferien")
    page.get_by_label("Notat", exact=True).fill("Har fået en ny hund og går lange ture.")
    page.get_by_role("button", name="Gem notat").click()
    expect(page.get_by_text("Journalnotatet er gemt.")).to_be_visible()

    page.get_by_label("Faktisk varighed (min)").fill("70")
    page.get_by_role("button", name="Registrér som gennemført").click()
    expect(page.get_by_text("Besøget er registreret som gennemført.")).to_be_visible()

    page.get_by_role("link", name=ALONE70["name"]).first.click()
    expect(page.get_by_text("Har fået en ny hund og går lange ture.")).to_be_visible()
    expect(page.get_by_role("cell", name="Gennemført", exact=True)).to_be_visible()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.HELD and visit.held_minutes == 70
    assert JournalNote.objects.get(citizen__cpr=ALONE70["cpr"]).themes == ["Ensomhed"]


def test_closed_door_queues_the_note_letter(page: Page, log_in: Callable[..., Any]) -> None:
    world()
    user = log_in("consultant")
    visit = todays_visit(user)
    steps = current_standard().closed_door.steps  # type: ignore[union-attr]

    page.goto("/idag/")
    page.get_by_role("link", name=ALONE70["name"]).click()
    page.locator("summary").get_by_text("Lukket dør", exact=True).click()
    for step in steps:
        page.get_by_label(step).check()
    page.get_by_role("button", name="Registrér lukket dør og skriv sedlen").click()
    expect(page.get_by_text("Lukket dør er registreret, og sedlen er skrevet.")).to_be_visible()
    expect(page.get_by_text("Journalen er noteret: proceduren er fulgt.")).to_be_visible()

    note = Letter.objects.get(visit=visit, kind="closed_door")
    assert note.channel == "by_hand" and note.status == Letter.Status.DELIVERED
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CLOSED_DOOR
