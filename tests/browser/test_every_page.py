"""Every page each role may see, in the browser at a laptop's 1366 px and a phone's 390 px.

For each role one browser context walks every HTML page (GET) that tests/web/test_access.py says the role
may open, in the world that test builds (a run, a request, a visit, a dispatch, an event, a club visit, a
job) with a visit today on the consultant's day. On every page:

- axe-core (``axe-playwright-python``, which ships it; nothing is fetched) finds no violation of impact
  "serious" or "critical";
- at 390 px the document is no wider than the screen: nothing scrolls sideways (a wide table scrolls inside
  its own box). The issue asks it of every page a consultant uses; the leader's pages manage it too;
- the visible text holds no internal name, UUID, ISO date or bare CPR number (tests/visible_text.py, as
  tests/web/test_plain_danish.py reads it).

The screenshots are under test-output/browser/test_every_page_is_accessible_and_fits_a_phone-<role>/:
``NN-<address>.png`` at 1366 px, then ``NN-<address>-390px.png`` at 390 px.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.offers.actions import start_run
from fhb.offers.models import Offer
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.browser.conftest import OUTPUT_DIR, PHONE, VIEWPORT
from tests.citizens.builders import BASE, citizens_csv
from tests.visible_text import problems_in, shipped_group_ids, visible_text
from tests.web.test_access import EXPECTED, POST_ONLY, case_work, url_for
from tests.web.test_plain_danish import MACHINE_TEXT

#: Pages that answer with a file, not HTML (letters, downloads, the calendar feed), and the doors in and
#: out: no page to look at.
NOT_PAGES = {
    "letter-pdf",
    "letter-memo",
    "stats-csv",
    "stats-xlsx",
    "stats-report",
    "citizen-export",
    "consultant-ical",
    "health",
    "login",
    "logout",
}
#: Roles who have a day of visits in citizens' homes (the admin holds every role).
ON_THE_ROAD = {"consultant", "dementia_coordinator", "admin"}
#: The impacts a page must not have (axe-core: minor, moderate, serious, critical).
BLOCKING_IMPACTS = {"serious", "critical"}


def pages_of(role: str) -> list[str]:
    """The addresses of every HTML page the role may open (GET), in test_access.py's order."""
    return [
        url_for(name)
        for name, allowed in EXPECTED.items()
        if allowed is not None
        and (role == "admin" or role in allowed)
        and name not in POST_ONLY
        and name not in NOT_PAGES
    ]


def world() -> None:
    """test_access.py's world: the population, the yearly run 2027 and a case of everything."""
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    case_work()


def visit_today(user: Any) -> list[str]:
    """A visit today on the user's own day, begun (so its outcome forms show); the day and the visit."""
    Consultant.objects.create(user=user, base_name="Sundhedscentret", base_lat=57.4643, base_lon=9.9822)
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(0, 5)))
    visit = Visit.objects.create(start=start, end=start + timedelta(hours=1), consultant=user)
    target = Offer.objects.filter(visits__isnull=True).last()
    assert target is not None, "the world has an offer without a visit"
    visit.offers.add(target)
    return [reverse("today"), reverse("visit-detail", args=[visit.pk])]


class Findings:
    """What the walk found, page by page, said in the assertion messages."""

    def __init__(self) -> None:
        self.axe: list[str] = []
        self.too_wide: list[str] = []
        self.text: list[str] = []
        self.not_shown: list[str] = []

    def report(self) -> str:
        """Everything wrong, by kind; empty when nothing is."""
        kinds = [
            ("pages the role should see but that do not answer 200", self.not_shown),
            ("axe-core: serious or critical violations", self.axe),
            ("pages that scroll sideways at 390 px", self.too_wide),
            ("internal names, UUIDs, ISO dates or bare CPR numbers in the visible text", self.text),
        ]
        return "\n".join(f"{title}:\n  " + "\n  ".join(lines) for title, lines in kinds if lines)


def look_at(page: Page, address: str, width: ViewportSize, found: Findings) -> None:
    page.set_viewport_size(width)
    response = page.goto(address)
    if response is None or response.status != 200:
        found.not_shown.append(f"{address}: {response.status if response else 'no answer'}")
        return
    expect(page.locator("main")).to_be_visible()  # also lets the screenshot be taken before we look
    results = Axe().run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            nodes = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
            found.axe.append(
                f"{address} @{width['width']}px: {violation['id']} ({violation['impact']}) at {nodes}"
            )
    if width == PHONE:
        wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1]:
            found.too_wide.append(f"{address}: {wide[0]} px wide on a {wide[1]} px screen")
    if width == VIEWPORT:  # the same text at both widths
        # The forecast's editor of a standard shows the standard's file (ids, ISO dates) on purpose.
        text = visible_text(MACHINE_TEXT.sub("", page.content()))
        problems = problems_in(text, group_ids=shipped_group_ids())
        if problems:
            found.text.append(f"{address}: {problems}")


@pytest.mark.parametrize("role", ["consultant", "dementia_coordinator", "leader", "admin"])
def test_every_page_is_accessible_and_fits_a_phone(page: Page, log_in: Callable[..., Any], role: str) -> None:
    world()
    addresses = pages_of(role)  # before today's visit: url_for expects the world's one visit
    user = log_in(role)
    if role in ON_THE_ROAD:
        addresses += visit_today(user)
    found = Findings()
    for address in addresses:
        look_at(page, address, VIEWPORT, found)
    for address in addresses:
        look_at(page, address, PHONE, found)
    page.set_viewport_size(VIEWPORT)

    assert not found.report(), f"{role}:\n{found.report()}"


def test_the_menu_folds_under_a_button_on_a_phone(page: Page, log_in: Callable[..., Any]) -> None:
    log_in("leader")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    button = page.locator("summary", has_text="Menu")
    expect(menu.get_by_role("link", name="Statistik")).to_be_visible()
    expect(button).to_be_hidden()

    page.set_viewport_size(PHONE)
    page.goto("/borgere/")
    expect(menu.get_by_role("link", name="Statistik")).to_be_hidden()
    button.click()
    expect(menu.get_by_role("link", name="Statistik")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the open menu fits"
    page.screenshot(path=OUTPUT_DIR / "test_the_menu_folds_under_a_button_on_a_phone" / "menu-open-390px.png")
    menu.get_by_role("link", name="Statistik").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statistik")
