"""In the browser: the leader opens the statistics, narrows them to a group, and downloads the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.stats.world import year_2027_facts


@pytest.fixture
def year_2027(make_user: Any) -> dict[str, Any]:
    return year_2027_facts(make_user)


def test_leader_reads_the_year_and_takes_the_report_to_the_committee(
    page: Page, log_in: Callable[..., Any], year_2027: dict[str, Any]
) -> None:
    log_in("leader")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Statistik").click()
    page.get_by_role("combobox", name="År").select_option("2027")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistik 2027")

    coverage = page.locator("section#kvalitetsmaal")
    expect(coverage.get_by_role("img", name="Dækning mod kvalitetsmålet")).to_be_visible()
    expect(coverage.get_by_role("table")).to_contain_text("Målgruppe 1")
    groups = page.locator("section#maalgrupper")
    expect(groups.get_by_role("img")).to_be_visible()

    page.get_by_role("combobox", name="Målgruppe").select_option("age80")
    page.get_by_role("button", name="Vis").click()
    expect(groups.get_by_role("table").locator("tbody tr")).to_have_count(1)
    expect(groups.get_by_role("table")).to_contain_text("Målgruppe 3")

    with page.expect_download() as download:
        page.get_by_role("link", name="Rapport til udvalget (PDF)").click()
    assert download.value.suggested_filename == "fhb-rapport-2027.pdf"
    with page.expect_download() as csv_download:
        groups.get_by_role("link", name="Hent som CSV").click()
    assert csv_download.value.suggested_filename == "fhb-maalgrupper-2027.csv"
