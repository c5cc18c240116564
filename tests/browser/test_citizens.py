"""In the browser: a consultant logs in, finds a citizen with the citizen list's search and opens her page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from playwright.sync_api import Page, expect

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.offers.actions import start_run
from fhb.standards.current import current_standard
from tests.citizens.builders import BASE, citizens_csv
from tests.conftest import PASSWORD


def test_consultant_finds_a_citizen_by_name_and_sees_her_offers(
    page: Page, log_in: Callable[..., Any]
) -> None:
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    log_in("consultant")

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Borgere").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Borgere")
    expect(page.get_by_text("4 borgere")).to_be_visible()

    # Typing is enough: htmx fetches the results and swaps them in (nothing is submitted), and puts the
    # search in the address bar.
    page.get_by_role("textbox", name="Søg").fill("Clara")
    results = page.locator("#results")
    expect(results.get_by_text("1 borger", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Clara Prøvesen")).to_be_visible()
    expect(results).not_to_contain_text("Testesen")
    expect(page).to_have_url(re.compile(r"/borgere/\?(.*&)?q=Clara"))

    results.get_by_role("link", name="Clara Prøvesen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clara Prøvesen")
    expect(page.get_by_text("030344-1236")).to_be_visible()
    heading = page.get_by_role("heading", name="Tilbud", exact=True, level=2)
    offers = page.locator("section").filter(has=heading)
    offer_2027 = offers.get_by_role("row").filter(has_text="2027")
    expect(offer_2027).to_contain_text("Gældende")
    expect(offer_2027).to_contain_text("fylder 83 i 2027")


def test_wrong_password_shows_the_danish_error(page: Page, make_user: Callable[..., Any]) -> None:
    make_user("consultant", "karen")
    page.goto("/log-ind/")
    page.get_by_label("Brugernavn").fill("karen")
    page.get_by_label("Adgangskode").fill(PASSWORD + "x")
    page.get_by_role("button", name="Log ind").click()

    expect(page.get_by_role("alert")).to_have_text("Brugernavn eller adgangskode er forkert.")
    expect(page).to_have_url(re.compile(r"/log-ind/$"))
    expect(page.get_by_role("button", name="Log ud")).to_have_count(0)
