"""Solomon VRPTW instances: the parser, the float route checker, and solving through the routing core."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhb.core.planning.solomon import (
    Customer,
    SolomonError,
    SolomonInstance,
    parse_solomon,
    route_violations,
    solve_solomon,
    to_routing_problem,
    total_distance,
)

SOLOMON = Path(__file__).resolve().parents[4] / "shared" / "data" / "solomon"

needs_shared = pytest.mark.skipif(not SOLOMON.is_dir(), reason="shared/data/solomon not present")

#: The head of R101: the depot and the first 12 customers (also used by tests/commands/test_vrptw.py).
SMALL = (Path(__file__).parent / "data" / "r101_head.txt").read_text(encoding="utf-8")


def tiny(rows: str, *, capacity: int = 100) -> SolomonInstance:
    """An instance from customer rows only (depot first)."""
    return parse_solomon(f"T\nVEHICLE\nNUMBER CAPACITY\n5 {capacity}\nCUSTOMER\n{rows}")


# --- parsing real files ---------------------------------------------------------------------------------


@needs_shared
def test_every_shipped_instance_parses_with_101_rows_named_as_its_file() -> None:
    paths = sorted(SOLOMON.glob("*.txt"))
    assert len(paths) == 56, f"expected the 56 Solomon instances, found {len(paths)}"
    for path in paths:
        instance = parse_solomon(path.read_text(encoding="utf-8"), source=str(path))
        assert instance.name == path.stem, f"{path.name}: name {instance.name!r}"
        assert [c.number for c in instance.customers] == list(range(101)), path.name
        assert instance.depot.demand == 0, path.name


@needs_shared
def test_r101_values_are_read_as_written() -> None:
    instance = parse_solomon((SOLOMON / "R101.txt").read_text(encoding="utf-8"))
    assert (instance.name, instance.vehicles, instance.capacity) == ("R101", 25, 200)
    assert instance.depot == Customer(0, 35.0, 35.0, 0, 0.0, 230.0, 0.0)
    assert instance.customers[1] == Customer(1, 41.0, 49.0, 10, 161.0, 171.0, 10.0)
    assert instance.customers[100] == Customer(100, 18.0, 18.0, 17, 185.0, 195.0, 10.0)


def test_windows_line_endings_blank_lines_and_tabs_change_nothing() -> None:
    plain = parse_solomon(SMALL)
    messy = "\r\n\r\n" + SMALL.replace("\n", "\r\n\r\n  ").replace("   ", "\t ")
    assert parse_solomon(messy) == plain
    assert len(plain.customers) == 13


def test_the_column_headers_are_optional() -> None:
    without = "\n".join(line for line in SMALL.splitlines() if not line.startswith(("NUMBER", "CUST NO.")))
    assert parse_solomon(without) == parse_solomon(SMALL)


# --- parse errors ---------------------------------------------------------------------------------------

HEAD = "T\nVEHICLE\nNUMBER CAPACITY\n5 100\nCUSTOMER\nCUST NO. X Y DEMAND READY DUE SERVICE\n"
DEPOT = "0 0 0 0 0 100 0\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "<text>: the text ends where the instance name was expected"),
        ("\n  \r\n", "<text>: the text ends where the instance name was expected"),
        ("VEHICLE\n5 100\n", "<text>, line 1: expected the instance name before the VEHICLE section"),
        ("T\n\nCUSTOMER\n0 0 0 0 0 1 0\n", "<text>, line 3: expected the VEHICLE section, found 'CUSTOMER'"),
        ("T\nVEHICLE\n", "<text>: the text ends where the vehicles' NUMBER and CAPACITY was expected"),
        ("T\nVEHICLE\n5\n", "<text>, line 3: expected 2 columns (NUMBER CAPACITY), found 1"),
        ("T\nVEHICLE\nfive 100\n", "<text>, line 3: NUMBER: 'five' is not a whole number"),
        ("T\nVEHICLE\n5 0\n", "<text>, line 3: CAPACITY: must be positive, found 0"),
        ("T\nVEHICLE\n0 10\n", "<text>, line 3: NUMBER: the fleet must have at least one vehicle"),
        ("T\nVEHICLE\n5 100\n", "<text>: the text ends where the CUSTOMER section was expected"),
        ("T\nVEHICLE\n5 100\n0 0 0 0 0 1 0\n", "<text>, line 4: expected the CUSTOMER section"),
        (HEAD, "<text>: the CUSTOMER section has no rows"),
        (HEAD + DEPOT, "<text>: no customers: the CUSTOMER section has only the depot"),
        (HEAD + DEPOT + "1 1 1 1 0 10\n", "<text>, line 8: expected 7 columns for a customer, found 6"),
        (HEAD + DEPOT + "1 1 1 1 0 10 1 1\n", "<text>, line 8: expected 7 columns for a customer, found 8"),
        (HEAD + DEPOT + "1 1 y 1 0 10 1\n", "<text>, line 8: YCOORD.: 'y' is not a number"),
        (HEAD + DEPOT + "1 1 1 1.5 0 10 1\n", "<text>, line 8: DEMAND: '1.5' is not a whole number"),
        (HEAD + DEPOT + "1 1 1 nan 0 10 1\n", "<text>, line 8: DEMAND: 'nan' is not a whole number"),
        (HEAD + DEPOT + "1 inf 1 1 0 10 1\n", "<text>, line 8: XCOORD.: 'inf' is not a number"),
        (HEAD + DEPOT + "1 1e99 1 1 0 10 1\n", "<text>, line 8: XCOORD.: 1e99 is out of range"),
        (HEAD + DEPOT + "1 1 1 1 20 10 1\n", "<text>, line 8: DUE DATE (10) is before READY TIME (20)"),
        (HEAD + DEPOT + "1 1 1 -1 0 10 1\n", "<text>, line 8: DEMAND: must not be negative, found -1"),
        (
            HEAD + DEPOT + "1 1 1 101 0 10 1\n",
            "<text>, line 8: DEMAND: 101 is more than a vehicle's capacity",
        ),
        (HEAD + DEPOT + "1 1 1 1 0 10 -1\n", "<text>, line 8: SERVICE TIME: must not be negative"),
        (HEAD + DEPOT + "2 1 1 1 0 10 1\n", "<text>, line 8: CUST NO.: expected customer 1, found 2"),
        (
            HEAD + DEPOT + "1 1 1 1 0 10 1\n\n1 1 1 1 0 10 1\n",
            "<text>, line 10: CUST NO.: expected customer 2, found 1",
        ),
        (HEAD + "1 1 1 1 0 10 1\n", "<text>, line 7: CUST NO.: expected customer 0, found 1"),
        (HEAD + "0 0 0 5 0 100 0\n", "<text>, line 7: the depot (customer 0) must have DEMAND 0"),
    ],
    ids=lambda value: value.replace("\n", "|")[-40:] if isinstance(value, str) else None,
)
def test_malformed_input_raises_solomon_error_naming_the_line(text: str, expected: str) -> None:
    with pytest.raises(SolomonError) as caught:
        parse_solomon(text)
    assert str(caught.value).startswith(expected), f"message was: {caught.value}"


def test_the_source_is_named_in_the_message() -> None:
    with pytest.raises(SolomonError, match=r"^data/x\.txt, line 3: "):
        parse_solomon("T\nVEHICLE\n5\n", source="data/x.txt")


def test_solomon_error_is_a_value_error() -> None:
    assert issubclass(SolomonError, ValueError)


# --- property tests of the parser -----------------------------------------------------------------------

_coordinate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
_time = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@st.composite
def instances(draw: st.DrawFn) -> SolomonInstance:
    capacity = draw(st.integers(1, 10_000))
    n = draw(st.integers(1, 8))
    customers = []
    for number in range(n + 1):
        ready = draw(_time)
        due = ready + draw(_time)
        depot = number == 0
        customers.append(
            Customer(
                number=number,
                x=draw(_coordinate),
                y=draw(_coordinate),
                demand=0 if depot else draw(st.integers(0, capacity)),
                ready=ready,
                due=due,
                service=0.0 if depot else draw(_time),
            )
        )
    words = st.text("abcdefghijklmnopqrstuvwxyzABC0123456789_-.", min_size=1, max_size=8)
    name = " ".join(draw(st.lists(words, min_size=1, max_size=3)))
    if name.split()[0].upper() in ("VEHICLE", "CUSTOMER"):
        name = "I " + name
    return SolomonInstance(name, draw(st.integers(1, 500)), capacity, tuple(customers))


def format_solomon(instance: SolomonInstance, *, newline: str, gap: str, headers: bool, blank: str) -> str:
    """Solomon's text format, floats written exactly (repr)."""
    lines = [instance.name, blank, "VEHICLE"]
    lines += ["NUMBER     CAPACITY"] if headers else []
    lines += [f"  {instance.vehicles}{gap}{instance.capacity}", blank, "CUSTOMER"]
    lines += (
        ["CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME"] if headers else []
    )
    for c in instance.customers:
        cells = (c.number, repr(c.x), repr(c.y), c.demand, repr(c.ready), repr(c.due), repr(c.service))
        lines.append(gap + gap.join(map(str, cells)) + gap)
    return newline.join(lines) + newline


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    instance=instances(),
    newline=st.sampled_from(["\n", "\r\n"]),
    gap=st.sampled_from([" ", "\t", "   ", " \t "]),
    headers=st.booleans(),
    blank=st.sampled_from(["", " ", "\t"]),
)
def test_well_formed_instances_round_trip(
    instance: SolomonInstance, newline: str, gap: str, headers: bool, blank: str
) -> None:
    text = format_solomon(instance, newline=newline, gap=gap, headers=headers, blank=blank)
    assert parse_solomon(text) == instance


_mutation = st.tuples(
    st.sampled_from(["delete", "insert", "replace", "drop-line", "repeat-line", "swap-lines", "cut"]),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.characters(codec="utf-8"),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances(), mutations=st.lists(_mutation, min_size=1, max_size=4))
def test_corrupted_text_raises_solomon_error_or_parses(
    instance: SolomonInstance, mutations: list[tuple[str, int, int, str]]
) -> None:
    text = format_solomon(instance, newline="\n", gap=" ", headers=True, blank="")
    for kind, i, j, char in mutations:
        lines = text.split("\n")
        a, b = i % (len(text) + 1), j % len(lines)
        if kind == "delete":
            text = text[:a] + text[a + 1 :]
        elif kind == "insert":
            text = text[:a] + char + text[a:]
        elif kind == "replace":
            text = text[:a] + char + text[a + 1 :]
        elif kind == "drop-line":
            text = "\n".join(lines[:b] + lines[b + 1 :])
        elif kind == "repeat-line":
            text = "\n".join(lines[: b + 1] + lines[b:])
        elif kind == "swap-lines":
            c = (b + 1) % len(lines)
            lines[b], lines[c] = lines[c], lines[b]
            text = "\n".join(lines)
        else:
            text = text[:a]
    try:
        parsed = parse_solomon(text, source="corrupt.txt")
    except SolomonError as error:
        assert str(error).startswith("corrupt.txt"), f"message does not name the source: {error}"
    else:
        assert [c.number for c in parsed.customers] == list(range(len(parsed.customers)))


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_arbitrary_text_raises_solomon_error_or_parses(text: str) -> None:
    with contextlib.suppress(SolomonError):
        parse_solomon(text)


# --- the routing problem and the checker ----------------------------------------------------------------


def test_routing_problem_scales_by_1000_rounding_cost_to_nearest_and_time_up() -> None:
    instance = tiny("0 0 0 0 0 100 0\n1 1 1 5 2 8 3\n2 3 4 5 0 50 1\n")
    problem = to_routing_problem(instance)
    assert problem.cost[0, 1] == 1414 and problem.duration[0, 1] == 1415, "sqrt 2 = 1.41421..."
    assert problem.cost[0, 2] == problem.duration[0, 2] == 5000, "an exact distance stays exact"
    assert (problem.stops[0].tw_early, problem.stops[0].tw_late, problem.stops[0].service) == (
        2000,
        8000,
        3000,
    )
    assert [s.location for s in problem.stops] == [1, 2]
    (vehicle,) = problem.vehicles
    assert (vehicle.count, vehicle.capacity, vehicle.tw_late) == (2, 100, 100_000)


# Customer 1 at (3, 4), 5 from the depot; customer 2 at (6, 8), 5 further.
LINE = "0 0 0 0 0 40 0\n1 3 4 10 0 5 1\n2 6 8 10 0 20 1\n"


def test_a_feasible_route_has_no_violations() -> None:
    instance = tiny(LINE)
    assert route_violations(instance, [[1, 2]]) == []
    assert total_distance(instance, [[1, 2]]) == 20.0
    assert route_violations(instance, [[1], [2]]) == []


def test_arriving_exactly_at_the_due_date_is_on_time() -> None:
    assert route_violations(tiny("0 0 0 0 0 40 0\n1 3 4 10 0 5 1\n"), [[1]]) == []


def test_waiting_for_the_ready_time_can_make_a_later_customer_late() -> None:
    instance = tiny("0 0 0 0 0 100 0\n1 3 4 10 30 40 1\n2 6 8 10 0 20 1\n")
    assert route_violations(instance, [[1, 2]]) == [
        "route 1: service at customer 2 starts at 36.0, after its due date 20"
    ]


def test_each_kind_of_violation_is_reported() -> None:
    instance = tiny(LINE, capacity=15)
    assert route_violations(instance, [[2, 1]]) == [
        "route 1: load 20 exceeds the capacity 15",
        "route 1: service at customer 1 starts at 16.0, after its due date 5",
    ]
    assert route_violations(instance, [[1], [1, 7, 0]]) == [
        "route 2: customer 1 was already visited on route 1",
        "route 2: 7 is not a customer (1..2)",
        "route 2: 0 is not a customer (1..2)",
        "1 customer(s) not visited: 2",
    ]
    late_home = tiny("0 0 0 0 0 12 0\n1 3 4 10 0 5 5\n")
    assert route_violations(late_home, [[1]]) == ["route 1: back at the depot at 15.0, after its due date 12"]


@pytest.mark.filterwarnings("ignore::pyvrp.exceptions.PenaltyBoundWarning")
def test_a_window_the_scaled_times_cannot_meet_is_reported_infeasible_not_hidden_by_rounding() -> None:
    # sqrt 2 = 1.414213... is more than the due date 1.4142: rounding the travel time to the nearest
    # thousandth (1.414) would let the solver call it on time.
    instance = tiny("0 0 0 0 0 100 0\n1 1 1 1 0 1.4142 0\n")
    result = solve_solomon(instance, seconds=0.05)
    assert result.routes == ((1,),)
    assert not result.feasible
    assert route_violations(instance, result.routes) == [
        f"route 1: service at customer 1 starts at {math.sqrt(2)!r}, after its due date 1.4142"
    ]


# --- solving --------------------------------------------------------------------------------------------


def test_solving_a_small_instance_visits_everyone_and_reports_the_float_distance() -> None:
    instance = parse_solomon(SMALL)
    result = solve_solomon(instance, seconds=0.3)
    assert result.feasible, route_violations(instance, result.routes)
    assert sorted(c for route in result.routes for c in route) == list(range(1, 13))
    assert result.vehicles == len(result.routes)
    assert result.distance == total_distance(instance, result.routes)
    assert route_violations(instance, result.routes) == []


@needs_shared
def test_c101_in_two_seconds_is_feasible_and_within_5_percent_of_the_best_known_828_94() -> None:
    instance = parse_solomon((SOLOMON / "C101.txt").read_text(encoding="utf-8"))
    result = solve_solomon(instance, seconds=2)
    assert route_violations(instance, result.routes) == []
    assert result.feasible
    assert result.distance <= 828.94 * 1.05, f"distance {result.distance}"
