"""The statistics page and its exports, as the leader uses them."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

import pypdf
import pytest
from django.utils import timezone

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(client: Any, make_user: Any, year_2027: dict[str, Any]) -> Any:
    make_user("leader")
    assert client.login(username="leader", password=PASSWORD)
    return client


def test_the_page_shows_each_chart_beside_its_table(leader: Any) -> None:
    response = leader.get("/statistik/", {"year": "2027"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 3 and "Dækning mod kvalitetsmålet" in page
    assert "Tilbud og besøg pr. målgruppe" in page and "Henvendelser og svarfrist" in page
    assert 'style="' not in page.split("<main", 1)[1], "no inline style: the CSP forbids it"
    assert "/statistik/eksport/maalgrupper.csv?year=2027" in page


def test_bad_filters_are_shown_as_danish_errors_and_the_rest_still_counts(leader: Any) -> None:
    response = leader.get("/statistik/", {"year": "1850", "group": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Året 1850 har ingen tal" in page and "Målgruppen nope findes ikke" in page


def test_csv_export_is_the_table_for_danish_excel(leader: Any) -> None:
    response = leader.get("/statistik/eksport/maalgrupper.csv", {"year": "2027", "group": "alone70"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:3] == ["Målgruppe", "I målgruppen", "Tilbud givet"]
    assert len(rows) == 1 and rows[0][0].startswith("Målgruppe 1") and rows[0][1:3] == ["1", "1"]
    assert leader.get("/statistik/eksport/findes-ikke.csv").status_code == 404


def test_xlsx_has_a_sheet_per_table(leader: Any) -> None:
    response = leader.get("/statistik/eksport.xlsx", {"year": "2027"})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 10, "eight tables, the standard's own statistics and the seniormesse (Hjørring)"


def test_committee_report_is_a_pdf_with_the_figures(leader: Any) -> None:
    response = leader.get("/statistik/rapport.pdf", {"year": "2027"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "statistik 2027" in text and "Hjørring" in text
    assert "Kvalitetsmål" in text and "Konsulenternes timer" in text and "Anna" in text


def test_figures_are_kept_for_a_while_and_counted_again_on_request(leader: Any, settings: Any) -> None:
    from fhb.offers.models import Offer

    settings.FHB_STATS_CACHE_SECONDS = 300
    first = leader.get("/statistik/", {"year": "2027"}).context["board"]
    Offer.objects.filter(year=2027, group="age80", offered_on=None).update(status="active")
    Offer.objects.filter(year=2027, group="age80").update(offered_on="2027-05-01")
    kept = leader.get("/statistik/", {"year": "2027"}).context["board"]
    assert kept.counted_at == first.counted_at and kept.tables == first.tables
    fresh = leader.get("/statistik/", {"year": "2027", "frisk": "1"}).context["board"]
    assert fresh.counted_at > first.counted_at and fresh.tables != first.tables


def selected(page: str, name: str) -> list[str]:
    """The values of the options selected in the page's select ``name``."""
    menu = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"[^>]*selected', menu)


def test_the_year_menu_shows_the_year_the_page_counts(leader: Any) -> None:
    """Next year has offers (2027), so it heads the menu; the page counts this year by default, and the
    menu must say so, or "Vis" would silently switch to the year the browser shows first."""
    this_year = str(timezone.localdate().year)
    page = leader.get("/statistik/").content.decode()
    assert f"Statistik {this_year}" in page
    assert selected(page, "year") == [this_year], "the menu shows the year the page counts"
    page = leader.get("/statistik/", {"year": "1850", "group": "nope"}).content.decode()
    assert selected(page, "year") == [this_year], "a refused year: the menu shows the year counted instead"
    assert selected(page, "group") == [""], "a refused group: the menu shows all groups, as counted"
    assert selected(leader.get("/statistik/", {"year": "2027"}).content.decode(), "year") == ["2027"]


#: The width a chart is shown at on a 1366 px screen, in CSS pixels: beside its table (half of the main
#: column of 72rem less paddings and the gap), and above it (``stacked``, at most 46rem less the padding).
BESIDE_PX, ABOVE_PX = 533, 720


def test_chart_text_on_the_page_is_as_large_as_the_pages(leader: Any) -> None:
    """Each chart's smallest text, at the width the page shows the chart, is at least 13 px (the tables'
    headings are 13.6 px, the text 16 px); it was about 8 px."""
    page = leader.get("/statistik/", {"year": "2027"}).content.decode()
    sections = re.findall(
        r'<div class="stat-body([^"]*)">\s*<figure class="chart">(<svg.*?</svg>)', page, re.S
    )
    assert len(sections) == 3, "three charts on the page"
    for layout, drawing in sections:
        width = float(re.search(r'viewBox="0 0 ([\d.]+)', drawing).group(1))  # type: ignore[union-attr]
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', drawing)]
        shown_px = min(sizes) * (ABOVE_PX if "stacked" in layout else BESIDE_PX) / width
        assert shown_px >= 13, f"a chart ({layout.strip()}) shows its smallest text at {shown_px:.1f} px"
