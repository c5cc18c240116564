"""The printable committee report: sections of text, charts and tables rendered to an A4 PDF with Typst.

The report's data goes to ``templates/stats/report.typ`` as one JSON string (``sys.inputs.report``), already
worded and number-formatted in Danish; the template only ever places its strings as text, so a heading or
a label with ``#``, ``$``, ``*``, ``_``, ``"`` or ``\\`` prints as written. Charts travel inside the JSON as
SVG strings (:func:`fhb.ui.charts.svg`) and are drawn with Typst's ``image``: no file is written.

Only the fonts embedded in Typst are used and the PDF's timestamp is the report's ``generated`` time, so
the same report gives the same bytes on every machine. Typst holds the GIL while it renders (about 0.1 s
for a report of a few pages).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typst

from fhb.core.letters.texts import format_short_date, format_time
from fhb.stats.numbers import format_cell
from fhb.stats.tables import Table
from fhb.ui.charts import Chart, svg

if TYPE_CHECKING:
    from typst import PDFStandard

TEMPLATE = Path(__file__).resolve().parent / "templates" / "stats" / "report.typ"
"""The report's Typst template, shipped as package data."""


@dataclass(frozen=True, slots=True)
class Section:
    """One part of the report: a heading, its text, then its charts and its tables."""

    heading: str
    text: str = ""
    """Plain text (no markup); a blank line starts a new paragraph."""
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """The committee report as data, in Danish."""

    title: str
    """E.g. ``"Forebyggende hjemmebesøg – årsrapport 2026"``."""
    municipality: str
    """E.g. ``"Hjørring Kommune"``; printed above the title and in the footer."""
    subtitle: str
    """The filters applied, e.g. ``"Alle målgrupper, alle konsulenter"``."""
    generated: datetime
    """When the figures were made, printed as ``23. november 2026 kl. 19.45``; also the PDF's timestamp."""
    sections: tuple[Section, ...]


class ReportRenderError(Exception):
    """Typst could not render the report (a broken template or a chart it cannot read)."""


def format_generated(moment: datetime) -> str:
    """The Danish date and time: ``23. november 2026 kl. 19.45``."""
    return f"{format_short_date(moment)} kl. {format_time(moment)}"


def report_data(report: Report) -> dict[str, Any]:
    """Everything the template prints, as JSON-ready values already worded and formatted in Danish."""
    return {
        "title": report.title,
        "municipality": report.municipality,
        "subtitle": report.subtitle,
        "generated": format_generated(report.generated),
        "sections": [
            {
                "heading": section.heading,
                "paragraphs": paragraphs(section.text),
                "charts": [{"title": c.title, "svg": svg(c, show_title=False)} for c in section.charts],
                "tables": [_table_data(table) for table in section.tables],
            }
            for section in report.sections
        ],
    }


def _table_data(table: Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "columns": list(table.columns),
        "numeric": [table.is_numeric(index) for index in range(len(table.columns))],
        "rows": [[format_cell(cell) for cell in row] for row in table.rows],
        "note": table.note,
    }


def paragraphs(text: str) -> list[str]:
    """``text`` cut into paragraphs at blank lines, each with its line breaks and runs of spaces made one."""
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def report_pdf(report: Report, *, pdf_standards: Sequence[PDFStandard] = ()) -> bytes:
    """The report as A4 PDF bytes; raises :class:`ReportRenderError` when Typst fails.

    ``pdf_standards`` asks Typst for e.g. ``("a-2b",)`` (PDF/A, for the archive).
    """
    # Typst wants a fixed offset (a zoneinfo zone is not one): the same instant, in UTC.
    generated = report.generated if report.generated.tzinfo else report.generated.replace(tzinfo=UTC)
    moment = generated.astimezone(UTC).replace(microsecond=0)
    try:
        pdf = _compiler().compile(
            format="pdf",
            sys_inputs={"report": json.dumps(report_data(report), ensure_ascii=False)},
            timestamp=moment,
            pdf_standards=list(pdf_standards),
        )
    except typst.TypstError as error:
        raise ReportRenderError(error.diagnostic.strip() or error.message) from error
    except RuntimeError as error:
        raise ReportRenderError(str(error)) from error
    if not isinstance(pdf, bytes):
        raise ReportRenderError("Typst returned no single PDF document")
    return pdf


_local = threading.local()


def _compiler() -> typst.Compiler:
    """This thread's Typst compiler for the template (a compiler is not thread-safe; reusing one is fast)."""
    compiler: typst.Compiler | None = getattr(_local, "compiler", None)
    if compiler is None:
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
        compiler = typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=fonts)
        _local.compiler = compiler
    return compiler
