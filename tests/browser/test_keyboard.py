"""The consultant's forms by keyboard alone: Tab to move, Space to tick, Enter to open and to send; no clicks.

From the day to the visit, consent, the journal note and the visit's outcome, as someone who cannot use a
mouse (or a phone's screen reader, which moves the same way) does it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from fhb.journal.models import JournalNote
from fhb.visits.models import Visit
from tests.browser.test_day import todays_visit
from tests.letters.world import ALONE70, world

#: More Tab presses than any page of the day needs to reach a field; beyond that the field is unreachable.
MOST_TABS = 120


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus; fails if it never gets it (not reachable by keyboard)."""
    for _ in range(MOST_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()  # fails, saying which element the keyboard never reached


def test_consultant_records_a_visit_and_writes_the_note_by_keyboard(
    page: Page, log_in: Callable[..., Any]
) -> None:
    world()
    user = log_in("consultant")
    visit = todays_visit(user)

    page.goto("/idag/")
    tab_to(page, page.get_by_role("link", name=ALONE70["name"]))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Udfald")).to_be_visible()

    tab_to(page, page.locator("summary", has_text="Registrér samtykke"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Registrér samtykke"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Samtykket er registreret.")).to_be_visible()

    tab_to(page, page.get_by_label("Trivsel"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Ensomhed"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Aftaler"))
    page.keyboard.type("Ringer igen efter sommerferien")
    tab_to(page, page.get_by_label("Notat", exact=True))
    page.keyboard.type("Har fået en ny hund og går lange ture.")
    tab_to(page, page.get_by_role("button", name="Gem notat"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Journalnotatet er gemt.")).to_be_visible()

    tab_to(page, page.get_by_label("Faktisk varighed (min)"))
    page.keyboard.press("Control+A")
    page.keyboard.type("70")
    tab_to(page, page.get_by_role("button", name="Registrér som gennemført"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Besøget er registreret som gennemført.")).to_be_visible()

    visit.refresh_from_db()
    assert visit.status == Visit.Status.HELD and visit.held_minutes == 70, "the outcome sent by keyboard"
    note = JournalNote.objects.get(citizen__cpr=ALONE70["cpr"], text="Har fået en ny hund og går lange ture.")
    assert note.themes == ["Ensomhed"] and note.agreements == "Ringer igen efter sommerferien", (
        "the note's ticks and text sent by keyboard"
    )
