"""The day's map and the phone booking in the browser: towns, every stop legible, the start place; free
times spread over the week and narrowed by the caller's wishes (screenshots under test-output/browser/)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.planning.world import CALLER, EAST, NORTH, WEST, at, offer, visit, world


def test_the_day_map_and_free_times_for_a_caller(page: Page, log_in: Callable[..., Any]) -> None:
    karen, _lise = world()
    for who, hour in ((WEST, 9), (EAST, 10), (NORTH, 13)):
        visit(who, at(2, 3, hour), karen)
    # A second visit in the same street as the first: its dot would sit on top of the first's.
    visit(WEST, at(2, 3, 14), karen, minutes=30)
    log_in("leader")
    page.goto(f"/planlaegning/dag/{karen.user_id}/2027-03-02/")
    expect(page.locator("svg .town", has_text="Hjørring")).to_be_visible()
    expect(page.locator("svg .stop")).to_have_count(4)
    expect(page.locator("svg .leader")).to_have_count(2)
    expect(page.locator("svg .base rect")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("svg .stop").first).to_be_visible()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/planlaegning/tider/{offer(CALLER).pk}/")
    assert page.locator("li.slot").count() >= 10
    page.get_by_label("Tid på dagen").select_option("eftermiddag")
    page.get_by_role("button", name="Find tider").click()
    expect(page.locator("li.slot").first).to_be_visible()
    page.locator("li.slot button").first.click()
    expect(page.get_by_text("Besøget er booket")).to_be_visible()
