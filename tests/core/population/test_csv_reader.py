"""The parser of citizens.csv and events.csv (shared/contract/README.md). Synthetic, made-up people only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhb.core.population.columns import CITIZEN_COLUMNS, CITIZEN_REQUIRED_COLUMNS
from fhb.core.population.csv_reader import read_population
from fhb.core.population.inputs import (
    parse_citizens_bytes,
    parse_citizens_text,
    parse_events_bytes,
    parse_events_text,
    parse_population_bytes,
    read_citizens,
    read_events,
)
from fhb.core.population.model import (
    CIVIL_STATUS_CODES,
    EVENT_KINDS,
    Citizen,
    Event,
    InputProblem,
    InvalidInput,
    Population,
)

DATA = Path(__file__).parent / "data"
ALL_COLUMNS = CITIZEN_COLUMNS

# Made-up people; CPR numbers follow the century rules (7th digit 0-3: born 19xx).
ANNA = "0101401234"
BENT = "0202381235"
CARL = "1512453877"


def citizen_row(**cells: str) -> dict[str, str]:
    row = {
        "cpr": ANNA,
        "name": "Anna Testesen",
        "address_id": "adr-1",
        "street": "Prøvevej 1",
        "postcode": "9800",
        "city": "Hjørring",
    }
    row.update(cells)
    return row


def render(rows: list[dict[str, str]], columns: tuple[str, ...] | None = None, sep: str = ",") -> str:
    columns = columns or tuple(dict.fromkeys(k for row in rows for k in row)) or CITIZEN_REQUIRED_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def problems_of(parse: Callable[[], Any]) -> list[InputProblem]:
    with pytest.raises(InvalidInput) as caught:
        parse()
    assert caught.value.problems, "InvalidInput without problems"
    return caught.value.problems


def the_problem(problems: list[InputProblem], row: int, column: str) -> InputProblem:
    found = [p for p in problems if p.row == row and p.column == column]
    assert found, f"no problem at row {row}, column {column!r} in {problems}"
    return found[0]


def assert_names(problem: InputProblem, file: str, row: int, column: str, why: str) -> None:
    """The message names file, row, column and the reason (in Danish)."""
    assert (problem.file, problem.row, problem.column) == (file, row, column)
    assert why in problem.why
    message = str(problem)
    assert message.startswith(file)
    if row:
        assert f"række {row}" in message
    if column:
        assert f"kolonne {column}" in message
    assert why in message


def citizen_problem(rows: list[dict[str, str]], row: int, column: str, why: str, **kw: Any) -> InputProblem:
    problems = problems_of(lambda: parse_citizens_text(render(rows, **kw), "borgere.csv"))
    problem = the_problem(problems, row, column)
    assert_names(problem, "borgere.csv", row, column, why)
    return problem


def event_problem(text: str, row: int, column: str, why: str, known: set[str] | None = None) -> InputProblem:
    problems = problems_of(lambda: parse_events_text(text, "hændelser.csv", known))
    problem = the_problem(problems, row, column)
    assert_names(problem, "hændelser.csv", row, column, why)
    return problem


# --------------------------------------------------------------------------------------------------
# Valid input
# --------------------------------------------------------------------------------------------------


def test_parses_all_columns() -> None:
    text = render(
        [
            citizen_row(
                cpr="010140-1234",
                lat="57.4563",
                lon="9.9812",
                civil_status="G",
                civil_status_date="1965-06-12",
                spouse_cpr="020238-1235",
                digital_post_exempt="1",
                address_protected="0",
            ),
            citizen_row(cpr=BENT, name="Bent Testesen", spouse_cpr=ANNA, death_date="2025-01-15"),
        ],
        columns=ALL_COLUMNS,
    )
    citizens, warnings = parse_citizens_text(text)
    assert warnings == []
    assert citizens[0] == Citizen(
        cpr=ANNA,
        name="Anna Testesen",
        birth_date=date(1940, 1, 1),
        sex="F",
        address_id="adr-1",
        street="Prøvevej 1",
        postcode="9800",
        city="Hjørring",
        lat=57.4563,
        lon=9.9812,
        civil_status="G",
        civil_status_date=date(1965, 6, 12),
        spouse_cpr=BENT,
        death_date=None,
        digital_post_exempt=True,
        address_protected=False,
    )
    bent = citizens[1]
    assert (bent.cpr, bent.sex, bent.birth_date, bent.death_date) == (
        BENT,
        "M",
        date(1938, 2, 2),
        date(2025, 1, 15),
    )
    assert (bent.lat, bent.civil_status, bent.digital_post_exempt) == (None, None, False)


def test_only_required_columns() -> None:
    citizens, _ = parse_citizens_text(render([citizen_row()]))
    assert citizens == [
        Citizen(ANNA, "Anna Testesen", date(1940, 1, 1), "F", "adr-1", "Prøvevej 1", "9800", "Hjørring")
    ]


def test_bom_semicolon_crlf_file_from_danish_excel() -> None:
    citizens, warnings = read_citizens(DATA / "citizens_excel_bom_semicolon.csv")
    assert [c.cpr for c in citizens] == ["0101401234", "0202381235", "1512459876", "3001303551"]
    assert citizens[0].name == "Åse Prøvesen"
    assert citizens[0].street == "Testvej 1, 1. th."  # a quoted comma in a ; file
    assert citizens[2].name == 'Karen "Kaja" Æblegaard'
    assert citizens[3].address_protected and citizens[1].digital_post_exempt
    assert warnings == []


def test_comma_and_semicolon_give_equal_results() -> None:
    with_commas = read_citizens(DATA / "citizens_comma.csv")
    with_semicolons = read_citizens(DATA / "citizens_excel_bom_semicolon.csv")
    assert with_commas == with_semicolons
    as_bytes = parse_citizens_bytes((DATA / "citizens_excel_bom_semicolon.csv").read_bytes())
    assert as_bytes == with_commas


def test_whitespace_order_unknown_columns_and_empty_lines() -> None:
    text = (
        " City ; extra ;cpr ; name;street;postcode;address_id\n"
        " Hjørring ; ignored ;  010140-1234 ;  Anna Testesen  ;Prøvevej 1;9800; adr-1 \n"
        "\n"
        ";;;;;;\n"
    )
    citizens, warnings = parse_citizens_text(text)
    assert citizens == parse_citizens_text(render([citizen_row()]))[0]
    assert warnings == []


def test_cr_only_line_ends_and_quoted_newline_keep_line_numbers() -> None:
    rows = [citizen_row(street="Prøvevej 1\nBaghuset"), citizen_row(cpr="0101401", name="X")]
    problems = problems_of(lambda: parse_citizens_text(render(rows).replace("\r\n", "\r")))
    # the first data row spans lines 2-3, so the second starts on line 4
    assert_names(the_problem(problems, 4, "cpr"), "citizens.csv", 4, "cpr", "10 cifre")


def test_decimal_comma_in_coordinates() -> None:
    citizens, _ = parse_citizens_text(render([citizen_row(lat="57,45", lon="9,5")], sep=";"))
    assert (citizens[0].lat, citizens[0].lon) == (57.45, 9.5)


def test_lowercase_codes_are_accepted() -> None:
    citizens, _ = parse_citizens_text(render([citizen_row(civil_status="g")]))
    assert citizens[0].civil_status == "G"
    events = parse_events_text("cpr,kind,start\n0101401234,Dementia,2024-01-01\n")
    assert events[0].kind == "dementia"


def test_widowed_citizen_gets_no_derived_event() -> None:
    citizens = render([citizen_row(civil_status="E", civil_status_date="2024-11-03")])
    population = parse_population_bytes(citizens.encode(), b"cpr,kind,start\n")
    assert population.events == ()
    assert population.citizens[0].civil_status == "E"


def test_events_file() -> None:
    known = {"0101401234", "1512459876", "3001303551"}
    events = read_events(DATA / "events.csv", known)
    assert events == [
        Event("0101401234", "personal_care", date(2024, 1, 1), None, "Morgenhjælp"),
        Event("1512459876", "bereavement", date(2024, 11, 3)),
        Event("3001303551", "hospital_admission", date(2024, 12, 1), date(2024, 12, 10), "Indlagt, kort"),
    ]
    assert read_events(DATA / "events.csv") == events  # without known_cprs: no cross check
    assert parse_events_bytes((DATA / "events.csv").read_bytes()) == events


def test_read_population() -> None:
    population = read_population(DATA / "citizens_comma.csv", DATA / "events.csv")
    assert len(population.citizens) == 4
    assert len(population.events) == 3
    assert population.warnings == ()
    assert read_population(DATA / "citizens_comma.csv").events == ()


# --------------------------------------------------------------------------------------------------
# Bad files
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("parse", [parse_citizens_bytes, parse_events_bytes])
@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n\r\n"])
def test_empty_file(data: bytes, parse: Callable[[bytes, str], Any]) -> None:
    problems = problems_of(lambda: parse(data, "tom.csv"))
    assert len(problems) == 1
    assert_names(problems[0], "tom.csv", 0, "", "Filen er tom")


def test_blank_first_line() -> None:
    problem = problems_of(lambda: parse_citizens_text("\n" + render([citizen_row()])))[0]
    assert_names(problem, "citizens.csv", 1, "", "Første række er tom")


def test_citizens_file_with_only_a_header() -> None:
    problem = problems_of(lambda: parse_citizens_text(render([])))[0]
    assert_names(problem, "citizens.csv", 0, "", "ingen borgere")
    assert parse_events_text("cpr,kind,start,end,note\r\n") == []  # no facts is fine


def test_not_utf8_latin1_file() -> None:
    path = DATA / "citizens_latin1.csv"
    problems = problems_of(lambda: read_citizens(path))
    assert len(problems) == 1
    data = path.read_bytes()
    offset = data.index("Å".encode("latin-1"))
    assert_names(problems[0], str(path), 2, "", "ikke gyldig UTF-8")
    assert f"byte nr. {offset}" in problems[0].why
    assert "'Å'" in problems[0].why  # names the character it would be in Latin-1
    assert "CSV UTF-8" in problems[0].why
    # the same from bytes (an upload) and inside a population
    assert problems_of(lambda: parse_citizens_bytes(data, str(path))) == problems
    assert problems_of(lambda: parse_population_bytes(data, citizens_filename=str(path))) == problems


def test_not_utf8_on_a_later_line_of_events() -> None:
    data = (
        "cpr,kind,start,end,note\n0101401234,dementia,2024-01-01,,ok\n0101401234,dementia,2024-01-01,,Søren\n"
    )
    problem = problems_of(lambda: parse_events_bytes(data.encode("cp1252"), "e.csv"))[0]
    assert_names(problem, "e.csv", 3, "", "ikke gyldig UTF-8")


def test_nul_characters_and_utf16(tmp_path: Path) -> None:
    text = render([citizen_row(), citizen_row(cpr=BENT, name="Bent\x00")])
    problem = problems_of(lambda: parse_citizens_text(text))[0]
    assert_names(problem, "citizens.csv", 3, "", "NUL-tegn")
    path = tmp_path / "unicode.csv"
    path.write_bytes(render([citizen_row(street="Vej 1", city="By")]).encode("utf-16-le"))  # ASCII only
    problems = problems_of(lambda: read_citizens(path))
    assert_names(problems[0], str(path), 1, "", "UTF-16")
    path.write_bytes(b"\xff\xfe" + render([citizen_row()]).encode("utf-16-le"))  # Excel's "Unicode text"
    problems = problems_of(lambda: read_citizens(path))
    assert_names(problems[0], str(path), 1, "", "UTF-16")
    assert len(problems) == 1


def test_missing_required_columns() -> None:
    text = "cpr;name;postcode\n0101401234;Anna;9800\n"
    problems = problems_of(lambda: parse_citizens_text(text, "borgere.csv"))
    assert len(problems) == 1
    assert_names(problems[0], "borgere.csv", 1, "address_id, street, city", "Påkrævede kolonner mangler")
    assert "Overskriften har: cpr, name, postcode" in problems[0].why
    problem = problems_of(lambda: parse_events_text("cpr,start\n"))[0]
    assert_names(problem, "events.csv", 1, "kind", "Påkrævet kolonne mangler: kind")


def test_duplicate_column() -> None:
    text = "cpr,name,address_id,street,postcode,city,name\n"
    problem = problems_of(lambda: parse_citizens_text(text))[0]
    assert_names(problem, "citizens.csv", 1, "name", "flere gange")


@pytest.mark.parametrize(
    ("cpr", "why"),
    [
        ("01014012", "10 cifre, men har 8"),
        ("010140123456", "10 cifre, men har 12"),
        ("0101x01234", "kun indeholde cifre"),
        ("0101-401234", "Bindestregen"),
    ],
)
def test_malformed_cpr(cpr: str, why: str) -> None:
    problem = citizen_problem([citizen_row(), citizen_row(cpr=cpr)], 3, "cpr", why)
    assert problem.value == cpr


def test_impossible_cpr_date() -> None:
    citizen_problem([citizen_row(cpr="300290-1234")], 2, "cpr", "30.02.1990 findes ikke")


def test_duplicate_cpr_names_the_first_line() -> None:
    rows = [citizen_row(), citizen_row(cpr=BENT), citizen_row(cpr="010140-1234", name="Anden Anna")]
    citizen_problem(rows, 4, "cpr", "første gang i række 2")


@pytest.mark.parametrize("column", CITIZEN_REQUIRED_COLUMNS)
def test_required_cell_empty(column: str) -> None:
    why = "CPR-nummer skal udfyldes" if column == "cpr" else f"Feltet {column} skal udfyldes"
    citizen_problem([citizen_row(**{column: "  "})], 2, column, why)


@pytest.mark.parametrize("column", ["civil_status_date", "death_date"])
@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2027-02-30", "findes ikke i kalenderen"),
        ("2024-13-01", "findes ikke i kalenderen"),
        ("01-02-2024", "ÅÅÅÅ-MM-DD"),
        ("20240201", "ÅÅÅÅ-MM-DD"),
        ("2024-2-1", "ÅÅÅÅ-MM-DD"),
        ("2024-W01-1", "ÅÅÅÅ-MM-DD"),
        ("2024-0a-01", "med cifre"),
    ],
)
def test_bad_dates(column: str, value: str, why: str) -> None:
    problem = citizen_problem([citizen_row(**{column: value})], 2, column, why)
    assert problem.value == value


@pytest.mark.parametrize(
    ("column", "value", "why"),
    [
        ("lat", "nord", "Skal være et tal mellem -90 og 90"),
        ("lat", "90.5", "uden for området -90 til 90"),
        ("lat", "nan", "uden for området"),
        ("lon", "-180.01", "uden for området -180 til 180"),
        ("lon", "1_0", "Skal være et tal"),
        ("lon", "12.3.4", "Skal være et tal"),
    ],
)
def test_bad_coordinates(column: str, value: str, why: str) -> None:
    citizen_problem([citizen_row(**{column: value})], 2, column, why)


def test_bad_civil_status_lists_the_codes() -> None:
    problem = citizen_problem([citizen_row(civil_status="X")], 2, "civil_status", "Ukendt civilstand")
    for code, meaning in CIVIL_STATUS_CODES.items():
        assert f"{code} ({meaning})" in problem.why


@pytest.mark.parametrize("column", ["digital_post_exempt", "address_protected"])
@pytest.mark.parametrize("value", ["2", "ja", "true", "01"])
def test_bad_flags(column: str, value: str) -> None:
    citizen_problem([citizen_row(**{column: value})], 2, column, "Skal være tom, 0 eller 1")


@pytest.mark.parametrize(("cells", "count"), [([ANNA, "Anna"], 2), ([*citizen_row().values(), "x"], 7)])
def test_row_with_wrong_number_of_cells(cells: list[str], count: int) -> None:
    text = render([citizen_row(cpr=BENT)]) + ",".join(cells) + "\r\n"
    problems = problems_of(lambda: parse_citizens_text(text, "borgere.csv"))
    assert_names(the_problem(problems, 3, ""), "borgere.csv", 3, "", f"Rækken har {count} felter")
    assert "overskriften har 6" in problems[0].why


def test_spouse_warnings_and_errors() -> None:
    rows = [
        citizen_row(spouse_cpr="020238-1235"),  # Bent is not in the file: a warning
        citizen_row(cpr=CARL, spouse_cpr=CARL),  # married to himself: a warning
    ]
    citizens, warnings = parse_citizens_text(render(rows))
    assert citizens[0].spouse_cpr == BENT
    assert [(w.row, w.column, w.value) for w in warnings] == [
        (2, "spouse_cpr", "020238-1235"),
        (3, "spouse_cpr", CARL),
    ]
    assert "findes ikke i filen" in warnings[0].why
    assert "eget" in warnings[1].why
    population = parse_population_bytes(render(rows).encode())
    assert population.warnings == tuple(warnings)

    citizen_problem([citizen_row(spouse_cpr="12345")], 2, "spouse_cpr", "Ægtefællens CPR-nummer")
    citizen_problem([citizen_row(spouse_cpr="3002901234")], 2, "spouse_cpr", "findes ikke")


def test_every_problem_is_collected() -> None:
    rows = [
        citizen_row(cpr="123", lat="x", civil_status="Q"),
        citizen_row(cpr=BENT, name="", death_date="2024-02-30"),
    ]
    problems = problems_of(lambda: parse_citizens_text(render(rows)))
    assert [(p.row, p.column) for p in problems] == [
        (2, "cpr"),
        (2, "lat"),
        (2, "civil_status"),
        (3, "name"),
        (3, "death_date"),
    ]


def test_problem_cap_of_100() -> None:
    rows = [citizen_row(cpr=f"0101{i:02d}", lat="x") for i in range(60)]  # 120 problems
    with pytest.raises(InvalidInput) as caught:
        parse_citizens_text(render(rows))
    assert len(caught.value.problems) == 100
    assert caught.value.truncated
    assert "flere fejl udeladt" in str(caught.value)
    assert caught.value.problems[0].row == 2
    with pytest.raises(InvalidInput) as caught:
        parse_citizens_text(render(rows[:50]))
    assert len(caught.value.problems) == 100
    assert not caught.value.truncated


# --------------------------------------------------------------------------------------------------
# events.csv
# --------------------------------------------------------------------------------------------------

EVENTS_HEADER = "cpr,kind,start,end,note\n"


def test_unknown_event_kind_lists_the_valid_kinds() -> None:
    problem = event_problem(EVENTS_HEADER + f"{ANNA},gardening,2024-01-01,,\n", 2, "kind", "Ukendt slags")
    assert problem.value == "gardening"
    for kind in EVENT_KINDS:
        assert kind in problem.why


def test_event_kind_empty() -> None:
    event_problem(EVENTS_HEADER + f"{ANNA},,2024-01-01,,\n", 2, "kind", "Feltet kind skal udfyldes")


def test_event_end_before_start() -> None:
    text = (
        EVENTS_HEADER
        + f"{ANNA},personal_care,2024-05-01,2024-05-01,\n{ANNA},personal_care,2024-05-01,2024-04-30,\n"
    )
    event_problem(text, 3, "end", "Slutdatoen ligger før startdatoen (2024-05-01)")


def test_event_dates() -> None:
    text = EVENTS_HEADER + f"{ANNA},dementia,,,\n{ANNA},dementia,2024-02-30,2024-1-1,\n"
    problems = problems_of(lambda: parse_events_text(text, "hændelser.csv"))
    assert_names(the_problem(problems, 2, "start"), "hændelser.csv", 2, "start", "skal udfyldes")
    assert_names(the_problem(problems, 3, "start"), "hændelser.csv", 3, "start", "findes ikke")
    assert_names(the_problem(problems, 3, "end"), "hændelser.csv", 3, "end", "ÅÅÅÅ-MM-DD")


def test_event_cpr_checks() -> None:
    text = (
        EVENTS_HEADER
        + "0101401,dementia,2024-01-01,,\n3002901234,dementia,2024-01-01,,\n,dementia,2024-01-01,,\n"
    )
    problems = problems_of(lambda: parse_events_text(text, "hændelser.csv"))
    assert_names(the_problem(problems, 2, "cpr"), "hændelser.csv", 2, "cpr", "10 cifre")
    assert_names(the_problem(problems, 3, "cpr"), "hændelser.csv", 3, "cpr", "30.02.1990 findes ikke")
    assert_names(the_problem(problems, 4, "cpr"), "hændelser.csv", 4, "cpr", "skal udfyldes")


def test_event_for_unknown_citizen() -> None:
    text = EVENTS_HEADER + f"{ANNA},dementia,2024-01-01,,\n{BENT},dementia,2024-01-01,,\n"
    event_problem(text, 3, "cpr", "findes ikke i citizens.csv", known={ANNA})
    assert len(parse_events_text(text)) == 2  # without known_cprs there is nothing to check against


def test_event_row_with_wrong_number_of_cells() -> None:
    text = EVENTS_HEADER + f"{ANNA},dementia,2024-01-01\n{ANNA},dementia,2024-01-01,,note,extra\n"
    problems = problems_of(lambda: parse_events_text(text, "hændelser.csv"))
    assert_names(the_problem(problems, 2, ""), "hændelser.csv", 2, "", "Rækken har 3 felter")
    assert_names(the_problem(problems, 3, ""), "hændelser.csv", 3, "", "Rækken har 6 felter")


def test_population_reports_both_files(tmp_path: Path) -> None:
    citizens = tmp_path / "borgere.csv"
    events = tmp_path / "hændelser.csv"
    citizens.write_text(render([citizen_row(), citizen_row(cpr=BENT, lat="x")]), encoding="utf-8")
    events.write_text(EVENTS_HEADER + f"{CARL},dementia,2024-01-01,,\n{ANNA},teatime,2024-01-01,,\n", "utf-8")
    problems = problems_of(lambda: read_population(citizens, events))
    assert [(p.file, p.row, p.column) for p in problems] == [
        (str(citizens), 3, "lat"),
        (str(events), 3, "kind"),  # the unknown CPR is only checked against a valid citizens.csv
    ]
    citizens.write_text(render([citizen_row(), citizen_row(cpr=BENT)]), encoding="utf-8")
    problems = problems_of(lambda: read_population(citizens, events))
    assert [(p.file, p.row, p.column) for p in problems] == [
        (str(events), 2, "cpr"),
        (str(events), 3, "kind"),
    ]
    assert f"findes ikke i {citizens}" in problems[0].why


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "findes-ikke.csv"
    problem = problems_of(lambda: read_citizens(path))[0]
    assert_names(problem, str(path), 0, "", "Filen kan ikke læses")
    problem = problems_of(lambda: read_population(DATA / "citizens_comma.csv", path))[0]
    assert_names(problem, str(path), 0, "", "Filen kan ikke læses")


def test_read_population_events_latin1(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_bytes((EVENTS_HEADER + f"{ANNA},dementia,2024-01-01,,Bør ses\n").encode("latin-1"))
    problem = problems_of(lambda: read_population(DATA / "citizens_comma.csv", events))[0]
    assert_names(problem, str(events), 2, "", "ikke gyldig UTF-8")


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

_CELL_ALPHABET = st.sampled_from(list(',;"\r\n \t-._0123456789aEGUæØ\ufeff\x00'))
_cell = st.one_of(
    st.text(_CELL_ALPHABET, max_size=12),
    st.sampled_from(
        ["0101401234", "010140-1234", "3002901234", "2024-02-29", "2027-02-30", "1", "G", "57,5"]
    ),
    st.sampled_from(list(EVENT_KINDS)),
)


@st.composite
def csvish_bytes(draw: st.DrawFn, columns: tuple[str, ...]) -> bytes:
    sep = draw(st.sampled_from([",", ";"]))
    header = list(draw(st.permutations(columns)))
    if draw(st.booleans()):
        header = header[: draw(st.integers(1, len(header)))]
    lines = [sep.join(header)]
    for _ in range(draw(st.integers(0, 4))):
        lines.append(sep.join(draw(st.lists(_cell, min_size=0, max_size=len(header) + 1))))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at:]
    return data


def _population_or_invalid(parse: Callable[[], Any]) -> Any:
    try:
        result = parse()
    except InvalidInput as error:
        assert 1 <= len(error.problems) <= 100
        assert all(isinstance(p, InputProblem) for p in error.problems)
        str(error)
        return None
    return result


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.binary(max_size=400), csvish_bytes((*ALL_COLUMNS, "extra"))),
    st.one_of(st.none(), st.binary(max_size=200), csvish_bytes(("cpr", "kind", "start", "end", "note"))),
)
def test_arbitrary_bytes_give_a_population_or_invalid_input(citizens: bytes, events: bytes | None) -> None:
    result = _population_or_invalid(lambda: parse_population_bytes(citizens, events))
    assert result is None or isinstance(result, Population)
    _population_or_invalid(lambda: parse_citizens_bytes(citizens))
    if events is not None:
        _population_or_invalid(lambda: parse_events_bytes(events, known_cprs={ANNA}))


_text = st.text(st.sampled_from(list("abcxyzÆØÅæøå ,;\"'-./1")), min_size=1, max_size=15).filter(
    lambda s: s.strip() == s and s != ""
)
_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def valid_citizens(draw: st.DrawFn) -> list[Citizen]:
    births = draw(
        st.lists(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), min_size=1, max_size=8)
    )
    cprs: list[str] = []
    for n, born in enumerate(births):
        serial = draw(st.integers(0, 3)) * 1000 + n * 10 + draw(st.integers(0, 9))  # 7th digit 0-3: 19xx
        cprs.append(born.strftime("%d%m%y") + f"{serial:04d}")
    result = []
    for cpr, born in zip(cprs, births, strict=True):
        result.append(
            Citizen(
                cpr=cpr,
                name=draw(_text),
                birth_date=born,
                sex="M" if int(cpr[-1]) % 2 else "F",
                address_id=draw(_text),
                street=draw(_text),
                postcode=draw(st.from_regex(r"\A[0-9]{4}\Z")),
                city=draw(_text),
                lat=draw(st.none() | st.floats(-90, 90, allow_nan=False)),
                lon=draw(st.none() | st.floats(-180, 180, allow_nan=False)),
                civil_status=draw(st.none() | st.sampled_from(list(CIVIL_STATUS_CODES))),
                civil_status_date=draw(st.none() | _dates),
                spouse_cpr=draw(st.none() | st.sampled_from(cprs)),
                death_date=draw(st.none() | _dates),
                digital_post_exempt=draw(st.booleans()),
                address_protected=draw(st.booleans()),
            )
        )
    return result


def _cell_of(value: object, hyphen: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return f"{text[:6]}-{text[6:]}" if hyphen and len(text) == 10 and text.isdigit() else text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    valid_citizens(),
    st.sampled_from([",", ";"]),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.booleans(),
    st.permutations(ALL_COLUMNS),
)
def test_round_trip(
    citizens: list[Citizen], sep: str, newline: str, bom: bool, hyphen: bool, columns: list[str]
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator=newline)
    writer.writerow(columns)
    for citizen in citizens:
        writer.writerow(
            [_cell_of(getattr(citizen, c), hyphen and c in ("cpr", "spouse_cpr")) for c in columns]
        )
    data = ("\ufeff" if bom else "") + out.getvalue()
    parsed, warnings = parse_citizens_bytes(data.encode("utf-8"))
    assert parsed == citizens
    assert [w.row for w in warnings] == [i + 2 for i, c in enumerate(citizens) if c.spouse_cpr == c.cpr]
