"""The committee report: an A4 PDF with title, Danish date, charts, tables and footer; any text is safe."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path

import pypdf
from hypothesis import given, settings
from hypothesis import strategies as st

import fhb
from fhb.stats.report import TEMPLATE, Report, Section, format_generated, paragraphs, report_data, report_pdf
from fhb.stats.tables import Table
from fhb.ui.charts import Chart, Series

NASTY = 'Besøg #pr. $gruppe$ *fed* _kursiv_ "citat" \\ @ref <tag> // [x]'

GROUPS = Table(
    key="groups",
    title=NASTY,
    columns=("Målgruppe", "Tilbud", "Dækning (%)"),
    rows=(("Enlige 80+ år", 1234, 80.25), ("Nyligt enlige #2", 56, None)),
    note="Tilbud sendt i året; *ikke* markup.",
)
MONTHS = Table(
    key="months",
    title="Besøg pr. måned",
    columns=("Måned", "Besøg"),
    rows=tuple((f"Måned {i}", 1000 + i) for i in range(1, 81)),
)
BARS = Chart(
    "bars", "Tilbud pr. målgruppe", ("Enlige 80+ år", "Nyligt enlige #2"), (Series("Tilbud", (1234, 56)),)
)
COVERAGE = Chart(
    "coverage", "Dækning", ("Enlige 80+ år",), (Series("Dækning", (80.25,)),), unit="%", goal=100.0
)
REPORT = Report(
    title="Forebyggende hjemmebesøg – årsrapport 2026",
    municipality="Hjørring Kommune",
    subtitle="Alle målgrupper, alle konsulenter",
    generated=datetime(2026, 11, 23, 19, 45),
    sections=(
        Section(
            "Tilbud og dækning", "Første afsnit med #hash.\n\nAndet afsnit.", (BARS, COVERAGE), (GROUPS,)
        ),
        Section("Besøg over året", "", (), (MONTHS,)),
    ),
)


def pages_text(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-"), "a PDF"
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """The text without whitespace: PDF extraction spaces and breaks lines its own way."""
    return "".join(text.split())


def test_the_report_prints_title_date_tables_and_page_footer() -> None:
    pages = pages_text(report_pdf(REPORT))
    first, everything = pages[0], "\n".join(pages)
    assert "Forebyggende hjemmebesøg – årsrapport 2026" in first, "the title on page 1"
    assert "Hjørring Kommune" in first and "Alle målgrupper, alle konsulenter" in first
    assert "23. november 2026 kl. 19.45" in first, "the Danish date and time"
    assert flat(NASTY) in flat(everything), "the table's title with #$*_\"\\ prints as written"
    assert "1.234" in everything and "80,3" in everything, "numbers in Danish format (a share to one decimal)"
    assert "Tilbud sendt i året; *ikke* markup." in everything, "the note under the table"
    assert "Første afsnit med #hash." in everything and "Andet afsnit." in everything
    assert len(pages) >= 2, "80 months do not fit on one page with the rest"
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} af {len(pages)}" in text, f"page {number} has the footer"


def test_the_table_header_repeats_on_every_page_it_spans() -> None:
    pages = pages_text(report_pdf(REPORT))
    spanned = [text for text in pages if re.search(r"^Måned \d+ ", text, re.MULTILINE)]
    assert len(spanned) >= 2, "the 80 months run over more than one page"
    for text in spanned:
        assert "Måned Besøg" in text.splitlines(), "each page of the table starts with its header row"
    assert "Måned 80 1.080" in pages[-1], "the table ends on the last page"


def test_charts_go_to_typst_as_svg_data_and_tables_as_formatted_text() -> None:
    data = report_data(REPORT)
    chart = data["sections"][0]["charts"][0]
    assert chart["title"] == "Tilbud pr. målgruppe" and chart["svg"].startswith("<svg "), "the SVG as text"
    table = data["sections"][0]["tables"][0]
    assert table["rows"] == [["Enlige 80+ år", "1.234", "80,3"], ["Nyligt enlige #2", "56", ""]]
    assert table["numeric"] == [False, True, True], "numbers are right-aligned"
    json.dumps(data)  # all of it is JSON


def test_the_same_report_gives_the_same_bytes() -> None:
    assert report_pdf(REPORT) == report_pdf(REPORT), "timestamp and fonts are fixed"


def test_format_generated_is_the_danish_date_and_time() -> None:
    assert format_generated(datetime(2026, 11, 23, 19, 45)) == "23. november 2026 kl. 19.45"
    assert format_generated(datetime(2027, 3, 9, 8, 5)) == "9. marts 2027 kl. 8.05"


def test_paragraphs_are_cut_at_blank_lines() -> None:
    assert paragraphs("En\nto  tre.\n\n  \nFire.\n") == ["En to tre.", "Fire."]
    assert paragraphs("") == []


def test_the_template_is_package_data() -> None:
    assert TEMPLATE.is_file()
    relative = TEMPLATE.relative_to(Path(fhb.__file__).resolve().parent).as_posix()
    assert fnmatch(relative, "*/templates/*"), f"{relative} is matched by pyproject's '**/templates/**/*'"


markup = st.text(
    alphabet=st.sampled_from(list("abcdeæøåÆØÅ 0123456789#$*_\"\\'`[]{}()<>@=/-+~^%&;:,.!?|")), max_size=30
)


@settings(max_examples=12, deadline=None)
@given(heading=markup, text=markup, label=markup, cell=markup)
def test_any_characters_in_the_data_print_as_written(heading: str, text: str, label: str, cell: str) -> None:
    table = Table("t", label or "x", (label or "x", "Antal"), ((cell, 1),), note=text)
    chart = Chart("bars", label, (label,), (Series(heading, (3.0,)),))
    report = Report(
        heading, label, text, datetime(2026, 1, 2, 3, 4), (Section(heading, text, (chart,), (table,)),)
    )
    everything = flat("\n".join(pages_text(report_pdf(report))))
    for value in (heading, text, cell):
        assert flat(value) in everything, f"{value!r} is printed as written"


def test_the_presentation_layer_imports_no_django() -> None:
    modules = "fhb.stats.tables, fhb.stats.numbers, fhb.ui.charts, fhb.ui.numbers, fhb.stats.export"
    modules += ", fhb.stats.report"
    code = f"import sys, {modules}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", f"pure Python, usable without Django: {result.stdout}"
