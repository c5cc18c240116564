"""Tables as CSV for Danish Excel and as XLSX; download names; Danish number format; the Table itself."""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhb.stats.export import SHEET_NAME_MAX, safe_filename, sheet_names, table_csv, tables_xlsx
from fhb.stats.numbers import format_cell
from fhb.stats.tables import Table
from fhb.ui.numbers import format_number, format_plain_number

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

GROUPS = Table(
    key="groups",
    title="Tilbud og besøg pr. målgruppe",
    columns=("Målgruppe", "Tilbud", "Besøg", "Dækning (%)"),
    rows=(
        ("Enlige 80+ år", 1234, 987, 80.0),
        ("Nyligt enlige; enker", 56, None, 66.66666666666667),
        ('Særlig "risiko"\nlinje to', 0, 0, 0.5),
    ),
    note="Tilbud sendt i året; besøg holdt i året.",
)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


# --- Numbers -----------------------------------------------------------------------------------------------


def test_format_number_writes_danish_numbers() -> None:
    assert format_number(1234567) == "1.234.567"
    assert format_number(1234.56, 1) == "1.234,6"
    assert format_number(-1234.5, 1) == "-1.234,5"
    assert format_number(2.5) == "3", "half rounds up, as people round"
    assert format_number(0.125, 2) == "0,13"
    assert format_number(-0.4) == "0", "never -0"
    assert format_number(1234.5, 1, grouping=False) == "1234,5"
    assert format_number(math.nan) == "–"


def test_format_plain_number_keeps_every_digit_without_exponent() -> None:
    assert format_plain_number(1e-5) == "0,00001"
    assert format_plain_number(66.66666666666667) == "66,66666666666667"
    assert format_plain_number(12345678) == "12345678"
    assert format_plain_number(math.inf) == ""


def test_format_cell_prints_counts_without_and_shares_with_one_decimal() -> None:
    assert [format_cell(c) for c in (1234, 80.0, None, "tekst")] == ["1.234", "80,0", "", "tekst"]


@settings(max_examples=300, deadline=None)
@given(value=st.floats(-1e12, 1e12, allow_nan=False), decimals=st.integers(0, 4))
def test_format_number_reads_back_as_the_rounded_value(value: float, decimals: int) -> None:
    text = format_number(value, decimals)
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d+)?", text), f"{value} -> {text!r} is a Danish number"
    assert len(text.partition(",")[2]) == decimals, f"{text!r} has {decimals} decimals"
    back = Decimal(text.replace(".", "").replace(",", "."))
    assert abs(back - Decimal(repr(value))) <= Decimal(1).scaleb(-decimals) / 2, f"{value} -> {text}"


# --- The table ---------------------------------------------------------------------------------------------


def test_table_column_gives_the_cells_of_a_column() -> None:
    assert GROUPS.column("Tilbud") == [1234, 56, 0]
    with pytest.raises(KeyError, match="Ukendt"):
        GROUPS.column("Ukendt")


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match="row 1 has 1 cells"):
        Table("x", "X", ("a", "b"), (("kun en",),))


def test_a_column_is_numeric_when_all_its_cells_are_numbers_or_empty() -> None:
    assert [GROUPS.is_numeric(i) for i in range(4)] == [False, True, True, True]


# --- CSV ---------------------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_semicolons_and_decimal_commas() -> None:
    rows = read_csv(table_csv(GROUPS))
    assert rows[0] == list(GROUPS.columns), "the header row is the columns; no title, no note"
    assert rows[1] == ["Enlige 80+ år", "1234", "987", "80,0"], "no thousands separator, decimal comma"
    assert rows[2] == ["Nyligt enlige; enker", "56", "", "66,66666666666667"], "; is quoted, None is empty"
    assert rows[3][0] == 'Særlig "risiko"\nlinje to', "quotes and line breaks survive"
    assert len(rows) == 1 + len(GROUPS.rows)


def test_csv_text_that_excel_would_run_as_a_formula_is_defused() -> None:
    table = Table("x", "X", ("Navn",), (("=HYPERLINK(1)",), ("@SUM(A1)",), ("-1",), ("Anna",)))
    assert [row[0] for row in read_csv(table_csv(table))[1:]] == ["'=HYPERLINK(1)", "'@SUM(A1)", "-1", "Anna"]


cells = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\x00"), max_size=20).filter(
        lambda t: not t.startswith(("=", "+", "-", "@", "\t"))
    ),
)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(cells, cells, cells), max_size=6))
def test_csv_round_trips_every_cell(rows: list[tuple[object, object, object]]) -> None:
    table = Table("t", "T", ("a", "b", "c"), tuple(rows))  # type: ignore[arg-type]
    back = read_csv(table_csv(table))[1:]
    assert len(back) == len(rows)
    for row, read in zip(rows, back, strict=True):
        for cell, text in zip(row, read, strict=True):
            if cell is None:
                assert text == ""
            elif isinstance(cell, int):
                assert int(text) == cell
            elif isinstance(cell, float):
                assert float(text.replace(",", ".")) == cell, f"{cell!r} written as {text!r}"
            else:
                assert text == cell


# --- XLSX --------------------------------------------------------------------------------------------------


class Workbook:
    """An XLSX read with zipfile: sheet names in order, and each sheet's cells by reference ("B5")."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        assert self.zip.testzip() is None, "the workbook is a sound zip"
        book = self.xml("xl/workbook.xml")
        rels = self.xml("xl/_rels/workbook.xml.rels")
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        self.sheets: dict[str, str] = {}
        for sheet in book.iter(MAIN + "sheet"):
            self.sheets[sheet.get("name", "")] = "xl/" + str(targets[sheet.get(REL + "id")]).removeprefix(
                "/xl/"
            )
        strings = self.xml("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in self.zip.namelist() else None
        self.strings = (
            ["".join(si.itertext()) for si in strings.iter(MAIN + "si")] if strings is not None else []
        )
        styles = self.xml("xl/styles.xml")
        fonts = list(styles.iter(MAIN + "font"))
        formats = styles.find(MAIN + "cellXfs")
        assert formats is not None, "styles.xml has cell formats"
        self.bold_styles = {
            index
            for index, xf in enumerate(formats)
            if fonts[int(xf.get("fontId", "0"))].find(MAIN + "b") is not None
        }

    def xml(self, name: str) -> ET.Element:
        return ET.fromstring(self.zip.read(name))

    def cells(self, sheet: str) -> dict[str, ET.Element]:
        return {c.get("r", ""): c for c in self.xml(self.sheets[sheet]).iter(MAIN + "c")}

    def value(self, cell: ET.Element) -> str | float:
        v = cell.find(MAIN + "v")
        assert v is not None and v.text is not None, f"{cell.get('r')} has a value"
        if cell.get("t") == "s":
            return self.strings[int(v.text)]
        assert cell.get("t") in (None, "n"), f"{cell.get('r')} is a number cell, not {cell.get('t')}"
        return float(v.text)

    def is_bold(self, cell: ET.Element) -> bool:
        return int(cell.get("s", "0")) in self.bold_styles


def test_xlsx_has_one_sheet_per_table_with_title_note_header_and_numeric_cells() -> None:
    book = Workbook(tables_xlsx([GROUPS], title="Årsrapport 2026"))
    assert list(book.sheets) == ["Tilbud og besøg pr. målgruppe"]
    cells = book.cells("Tilbud og besøg pr. målgruppe")
    assert book.value(cells["A1"]) == GROUPS.title and book.is_bold(cells["A1"]), "row 1: the title in bold"
    assert book.value(cells["A2"]) == GROUPS.note, "the note below the title"
    assert [book.value(cells[f"{c}4"]) for c in "ABCD"] == list(GROUPS.columns), "the header row"
    assert all(book.is_bold(cells[f"{c}4"]) for c in "ABCD"), "the header row is bold"
    assert book.value(cells["A5"]) == "Enlige 80+ år"
    for ref, number in (("B5", 1234), ("C5", 987), ("D5", 80.0), ("D6", 66.66666666666667), ("B7", 0)):
        assert cells[ref].get("t") in (None, "n"), f"{ref} holds a number, not text"
        assert book.value(cells[ref]) == number, f"{ref} is {number}"
    assert "C6" not in cells or cells["C6"].find(MAIN + "v") is None, "None is an empty cell"


def test_xlsx_freezes_the_header_and_fits_the_columns() -> None:
    book = Workbook(tables_xlsx([GROUPS], title="x"))
    sheet = book.xml(book.sheets["Tilbud og besøg pr. målgruppe"])
    pane = sheet.find(f".//{MAIN}pane")
    assert pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "4", "rows 1-4 frozen"
    widths = [
        float(col.get("width", "0"))
        for col in sheet.iter(MAIN + "col")
        for _ in range(int(col.get("min", "0")), int(col.get("max", "0")) + 1)
    ]
    assert len(widths) == 4, f"every column has its width: {widths}"
    assert widths[0] > widths[3] > widths[1], f"fitted to the longest text (8 at least): {widths}"


def test_xlsx_never_turns_text_into_a_formula() -> None:
    table = Table("x", "Formler", ("Navn",), (("=1+1",),))
    book = Workbook(tables_xlsx([table], title="x"))
    cell = book.cells("Formler")["A5"]
    assert cell.find(MAIN + "f") is None and book.value(cell) == "=1+1", "stored as the text it is"


def test_xlsx_sheet_names_are_sanitised_and_unique() -> None:
    long = "Besøg pr. konsulent og måned i hele året 2026"
    tables = [
        Table("a", "Besøg [2026]: a/b?*\\c", ("x",), ((1,),)),
        Table("b", long, ("x",), ((1,),)),
        Table("c", long, ("x",), ((1,),)),
        Table("d", "BESØG PR. KONSULENT OG MÅNED I HELE ÅRET 2026", ("x",), ((1,),)),
        Table("e", "", ("x",), ((1,),)),
    ]
    names = list(Workbook(tables_xlsx(tables, title="x")).sheets)
    assert len(names) == 5 and len({n.casefold() for n in names}) == 5, f"unique regardless of case: {names}"
    assert all(len(name) <= SHEET_NAME_MAX for name in names), f"at most 31 characters: {names}"
    assert not any(set(name) & set("[]:*?/\\") for name in names), f"no forbidden characters: {names}"
    assert names[0] == "Besøg 2026 a b c"
    assert names[2].endswith(" (2)") and names[3].endswith(" (3)")
    assert names[4] == "e", "a table without a title is named by its key"


@settings(max_examples=100, deadline=None)
@given(titles=st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_sheet_names_are_always_valid(titles: list[str]) -> None:
    names = sheet_names(titles)
    assert len(names) == len(titles)
    assert len({n.casefold() for n in names}) == len(names), f"unique: {names}"
    for name in names:
        assert 1 <= len(name) <= SHEET_NAME_MAX and not set(name) & set("[]:*?/\\"), repr(name)
        assert not name.startswith("'") and not name.endswith("'"), repr(name)


def test_xlsx_carries_the_workbook_title() -> None:
    book = Workbook(tables_xlsx([GROUPS], title="Forebyggende hjemmebesøg 2026"))
    assert "Forebyggende hjemmebesøg 2026" in book.zip.read("docProps/core.xml").decode()


# --- File names --------------------------------------------------------------------------------------------


def test_safe_filename_spells_out_danish_letters() -> None:
    assert safe_filename("Besøg pr. målgruppe 2026") == "besoeg-pr-maalgruppe-2026"
    assert safe_filename("Ærø Å Café") == "aeroe-aa-cafe"
    assert safe_filename("../../etc/passwd") == "etc-passwd"
    assert safe_filename("§§§") == "fhb"


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_safe_filename_is_always_a_plain_ascii_name(text: str) -> None:
    name = safe_filename(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), repr(name)
    assert len(name) <= 100
