"""In the browser: an administrator uploads an extract, reads what it would change, and confirms or
cancels; a two-row test export after the full extract cannot slip through and takes no visit with it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from fhb.citizens.models import Citizen
from fhb.visits.models import Visit
from tests.citizens.builders import citizens_csv
from tests.conftest import run_queued_jobs
from tests.planning.world import CALLER, EAST, NORTH, WEST, at, visit, world


def upload(page: Page, tmp_path: Path, rows: list[dict[str, Any]], name: str) -> None:
    extract = tmp_path / name
    extract.write_bytes(citizens_csv(rows))
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Indlæsning").click()
    page.get_by_label("Borgerfil (citizens.csv)").set_input_files(extract)
    page.get_by_role("button", name="Vis hvad filerne ændrer").click()
    expect(page.get_by_text("I kø")).to_be_visible()  # the page answered at once; the worker does the rest
    run_queued_jobs()
    page.get_by_role("link", name="Se resultatet").click()  # the job's page updates itself (htmx)


def test_a_two_row_extract_demands_the_typed_count_and_cancel_keeps_every_visit(
    page: Page, log_in: Callable[..., Any], tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path / "var"
    world()
    visits = [visit(EAST, at(1, 3, 9), None), visit(NORTH, at(1, 3, 11), None)]
    before = sorted(Visit.objects.values_list("pk", "start", "status"))
    log_in("admin")

    upload(page, tmp_path, [EAST, WEST], "test-eksport.csv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forhåndsvisning: test-eksport.csv")
    expect(page.get_by_text("Intet er gemt endnu.")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Skriv tallet 2 for at bekræfte")
    page.get_by_role("button", name="Indlæs").click()  # without the number: refused by the form
    expect(page.get_by_text("som det står ovenfor")).to_be_visible()
    page.get_by_role("button", name="Annullér").click()

    expect(page.get_by_text("Indlæsningen er annulleret; intet er gemt.")).to_be_visible()
    assert sorted(Visit.objects.values_list("pk", "start", "status")) == before and len(visits) == 2
    assert Citizen.objects.filter(in_extract=True).count() == 4


def test_a_normal_extract_is_confirmed_and_applied(
    page: Page, log_in: Callable[..., Any], tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path / "var"
    world()
    log_in("admin")
    moved = {**NORTH, "street": "Nyvej 9", "address_id": "adr-9"}

    upload(page, tmp_path, [EAST, WEST, moved, CALLER], "citizens.csv")
    expect(page.get_by_role("cell", name="Flyttet")).to_be_visible()
    page.get_by_role("button", name="Indlæs").click()
    run_queued_jobs()
    expect(page.get_by_text("Indlæsningen er gemt: 4 borgere")).to_be_visible()
    page.get_by_role("link", name="Se resultatet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indlæsning")
    assert Citizen.objects.get(cpr=NORTH["cpr"]).dwelling.street == "Nyvej 9"
