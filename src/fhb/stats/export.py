"""Tables as downloads: CSV for Danish Excel, an XLSX workbook with one sheet per table, safe file names.

The CSV is what Danish Excel opens with a double click: UTF-8 with a byte order mark, ``;`` between cells and
a decimal comma. The XLSX stores numbers as numbers (Excel shows them in the reader's locale) and text as
text, never as a formula.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Sequence

import xlsxwriter

from fhb.stats.numbers import format_cell
from fhb.stats.tables import Cell, Table, is_number
from fhb.ui.numbers import format_plain_number

SHEET_NAME_MAX = 31
"""Excel's limit on the length of a sheet name, in characters."""

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def table_csv(table: Table) -> bytes:
    """The table as CSV bytes: header row of the columns, then the rows; no title or note.

    Numbers are written in full with a decimal comma and no thousands separator (``1234,5``), empty cells
    as nothing. Text that Excel would read as a formula (starting with ``=``, ``+``, ``-``, ``@``) gets a
    leading apostrophe, so a downloaded file never runs anything.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_text(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if is_number(cell):
        assert not isinstance(cell, str)
        return format_plain_number(cell)
    return _csv_text(str(cell))


def _csv_text(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _is_number_text(text):
        return "'" + text
    return text


def _is_number_text(text: str) -> bool:
    return re.fullmatch(r"[+-]?\d+([.,]\d+)?", text) is not None


def tables_xlsx(tables: Sequence[Table], *, title: str) -> bytes:
    """The tables as an XLSX workbook, one sheet per table, named after the table's title.

    Each sheet has the table's title in bold in row 1, its note in row 2, the bold column headings in row 4
    (frozen, so they stay in view) and the rows below; counts and shares are numeric cells shown with
    thousands separators (and one decimal for a share). ``title`` is the workbook's document title.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    workbook.set_properties({"title": title})
    heading = workbook.add_format({"bold": True, "font_size": 13})
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    header_right = workbook.add_format(
        {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top", "align": "right"}
    )
    count = workbook.add_format({"num_format": "#,##0"})
    share = workbook.add_format({"num_format": "#,##0.0"})
    names = sheet_names([table.title or table.key for table in tables])
    for table, name in zip(tables, names, strict=True):
        sheet = workbook.add_worksheet(name)
        sheet.write_string(0, 0, table.title, heading)
        if table.note:
            sheet.write_string(1, 0, table.note)
        header_row = 3
        for index, column in enumerate(table.columns):
            sheet.write_string(header_row, index, column, header_right if table.is_numeric(index) else header)
        for number, row in enumerate(table.rows, start=header_row + 1):
            for index, cell in enumerate(row):
                if cell is None or (isinstance(cell, float) and not math.isfinite(cell)):
                    continue
                if is_number(cell):
                    assert not isinstance(cell, str)
                    sheet.write_number(number, index, cell, count if isinstance(cell, int) else share)
                else:
                    sheet.write_string(number, index, str(cell))
        for index in range(len(table.columns)):
            sheet.set_column(index, index, _column_width(table, index))
        sheet.freeze_panes(header_row + 1, 0)
    workbook.close()
    return buffer.getvalue()


def _column_width(table: Table, index: int) -> float:
    """Excel's width (characters of the default font) that fits the column's heading and cells, 8 to 60."""
    texts = [table.columns[index], *(format_cell(row[index]) for row in table.rows)]
    return float(min(60, max(8, *(len(text) + 2 for text in texts))))


def sheet_names(titles: Sequence[str]) -> list[str]:
    """A valid, unique Excel sheet name for each title, in order.

    Excel allows at most 31 characters, none of ``[ ] : * ? / \\``, no apostrophe first or last, and
    compares names without regard to case; "History" is reserved. A repeated name gets " (2)", " (3)"...
    and an empty one is called "Ark".
    """
    used: set[str] = set()
    names = []
    for title in titles:
        base = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split()).strip("'").strip() or "Ark"
        if base.casefold() == "history":
            base = "Ark History"
        base = base[:SHEET_NAME_MAX].rstrip("' ") or "Ark"
        name, number = base, 1
        while name.casefold() in used:
            number += 1
            suffix = f" ({number})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip("' ") + suffix
        used.add(name.casefold())
        names.append(name)
    return names


def safe_filename(text: str, *, default: str = "fhb") -> str:
    """``text`` as an ASCII download name of lower case letters and digits joined by ``-``.

    Danish letters are spelled out (æ -> ae, ø -> oe, å -> aa), other accents dropped (é -> e), any run of
    other characters becomes one ``-``; at most 100 characters, ``default`` when nothing is left. Give it
    the name without the extension: ``safe_filename("Besøg pr. målgruppe 2026") + ".csv"`` is
    ``besoeg-pr-maalgruppe-2026.csv``.
    """
    spelled = unicodedata.normalize("NFKD", text.translate(_DANISH))
    ascii_text = spelled.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:100].rstrip("-") or default
