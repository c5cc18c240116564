"""Solomon's (1987) VRPTW benchmark instances: read them, solve them with the routing core, check routes.

The instances measure :mod:`fhb.core.planning.routing` against published best-known solutions. Units are
the literature's: coordinates in an abstract unit, travel time equal to the euclidean distance between
two points (one unit of distance takes one unit of time), demand and capacity in an abstract load unit.

Conventions (those of the distance-only best-known solutions, e.g. ``shared/data/solomon/bks.csv``):

- Distances are real-valued, unrounded euclidean distances; the objective is total distance, with as
  many vehicles as it takes (the file's vehicle count is not a limit here).
- A vehicle leaves the depot (customer 0) no earlier than its ready time, drives, waits when it arrives
  before a customer's ready time, starts service no later than the customer's due date, serves for the
  service time, and is back at the depot by the depot's due date.

The solver works on integers: :func:`to_routing_problem` multiplies every distance and time by ``scale``
(1,000 by default). Costs are rounded to the nearest integer (the objective is off by at most half a
thousandth per arc); travel times are rounded *up* and due dates down, so that a schedule the solver finds
feasible is also feasible in real numbers. Reported distances are always recomputed with floats from the
routes, never taken from the scaled integers.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fhb.core.planning.routing import RoutingProblem, Stop, Vehicle, solve_routing

#: Largest magnitude of a number in an instance: keeps scaled values far inside 64-bit integers.
MAX_VALUE = 1e9

#: Default tolerance of :func:`route_violations`, in the instance's time unit: float summation noise only,
#: since the scaled problem rounds travel times up (see the module docstring).
TOLERANCE = 1e-6

_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)

#: Columns of a customer row, in order.
CUSTOMER_COLUMNS = ("CUST NO.", "XCOORD.", "YCOORD.", "DEMAND", "READY TIME", "DUE DATE", "SERVICE TIME")


class SolomonError(ValueError):
    """A malformed instance; the message names the source, the line and what is wrong."""


@dataclass(frozen=True, slots=True)
class Customer:
    """One row of the CUSTOMER section; customer 0 is the depot. Times in the instance's time unit."""

    number: int
    x: float
    y: float
    demand: int
    ready: float
    """Earliest start of service."""
    due: float
    """Latest start of service (for the depot: latest return)."""
    service: float
    """Service duration."""


@dataclass(frozen=True, slots=True)
class SolomonInstance:
    name: str
    vehicles: int
    """Fleet size given in the file (informative: the distance-only convention does not limit it)."""
    capacity: int
    customers: tuple[Customer, ...]
    """Customer 0 (the depot) first, then customers 1..n in order: ``customers[k].number == k``."""

    @property
    def depot(self) -> Customer:
        return self.customers[0]


@dataclass(frozen=True, slots=True)
class SolomonResult:
    distance: float
    """Total euclidean distance of the routes, unrounded."""
    vehicles: int
    """Routes used."""
    routes: tuple[tuple[int, ...], ...]
    """Customer numbers in visiting order, one tuple per route (the depot not included)."""
    feasible: bool
    """Every customer visited once, and :func:`route_violations` finds nothing."""


# --- parsing ------------------------------------------------------------------------------------------


class _Lines:
    """The non-blank lines of a text with their 1-based line numbers (``\\n`` ends a line)."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.items = [(i, line.strip()) for i, line in enumerate(text.split("\n"), start=1) if line.strip()]
        self.pos = 0

    def peek(self) -> tuple[int, str] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def take(self, expected: str) -> tuple[int, str]:
        item = self.peek()
        if item is None:
            raise self.error(None, f"the text ends where {expected} was expected")
        self.pos += 1
        return item

    def error(self, line: int | None, message: str) -> SolomonError:
        where = self.source if line is None else f"{self.source}, line {line}"
        return SolomonError(f"{where}: {message}")


def _number(lines: _Lines, line: int, column: str, token: str, *, integer: bool) -> float:
    pattern = _INT if integer else _FLOAT
    if not pattern.fullmatch(token):
        kind = "a whole number" if integer else "a number"
        raise lines.error(line, f"{column}: {token!r} is not {kind}")
    value = float(token)
    if not abs(value) <= MAX_VALUE:
        raise lines.error(line, f"{column}: {token} is out of range (at most {MAX_VALUE:g} in magnitude)")
    return value


def _is_section(text: str, word: str) -> bool:
    return text.split()[0].upper() == word


def parse_solomon(text: str, *, source: str = "<text>") -> SolomonInstance:
    """Read an instance in Solomon's text format.

    The format: a name line; ``VEHICLE``, an optional ``NUMBER CAPACITY`` header, a line with the two
    numbers; ``CUSTOMER``, an optional column header, then one row per customer with the columns of
    :data:`CUSTOMER_COLUMNS`, numbered 0 (the depot), 1, 2, ... Blank lines, extra spaces and tabs and
    Windows line endings are ignored. Raises :class:`SolomonError` naming ``source`` and the line.
    """
    lines = _Lines(text, source)
    line, name = lines.take("the instance name")
    if _is_section(name, "VEHICLE") or _is_section(name, "CUSTOMER"):
        raise lines.error(line, f"expected the instance name before the {name.split()[0]} section")

    line, word = lines.take("the VEHICLE section")
    if not _is_section(word, "VEHICLE") or len(word.split()) != 1:
        raise lines.error(line, f"expected the VEHICLE section, found {word!r}")
    line, row = lines.take("the vehicles' NUMBER and CAPACITY")
    if _is_section(row, "NUMBER"):
        line, row = lines.take("the vehicles' NUMBER and CAPACITY")
    tokens = row.split()
    if len(tokens) != 2:
        raise lines.error(line, f"expected 2 columns (NUMBER CAPACITY), found {len(tokens)}: {row!r}")
    vehicles = int(_number(lines, line, "NUMBER", tokens[0], integer=True))
    capacity = int(_number(lines, line, "CAPACITY", tokens[1], integer=True))
    if vehicles < 1:
        raise lines.error(line, f"NUMBER: the fleet must have at least one vehicle, found {vehicles}")
    if capacity < 1:
        raise lines.error(line, f"CAPACITY: must be positive, found {capacity}")

    line, word = lines.take("the CUSTOMER section")
    if not _is_section(word, "CUSTOMER") or len(word.split()) != 1:
        raise lines.error(line, f"expected the CUSTOMER section, found {word!r}")
    header = lines.peek()
    if header is not None and header[1].split()[0].upper().startswith("CUST"):
        lines.take("the column header")

    customers: list[Customer] = []
    while lines.peek() is not None:
        line, row = lines.take("a customer")
        customers.append(_customer(lines, line, row, len(customers), capacity))
    if not customers:
        raise lines.error(None, "the CUSTOMER section has no rows (expected the depot, customer 0, first)")
    if len(customers) == 1:
        raise lines.error(None, "no customers: the CUSTOMER section has only the depot")
    return SolomonInstance(name=name, vehicles=vehicles, capacity=capacity, customers=tuple(customers))


def _customer(lines: _Lines, line: int, row: str, expected: int, capacity: int) -> Customer:
    tokens = row.split()
    if len(tokens) != len(CUSTOMER_COLUMNS):
        raise lines.error(
            line, f"expected {len(CUSTOMER_COLUMNS)} columns for a customer, found {len(tokens)}: {row!r}"
        )
    number_, x, y, demand_, ready, due, service = (
        _number(lines, line, column, token, integer=column in ("CUST NO.", "DEMAND"))
        for column, token in zip(CUSTOMER_COLUMNS, tokens, strict=True)
    )
    number, demand = int(number_), int(demand_)
    if number != expected:
        raise lines.error(
            line,
            f"CUST NO.: expected customer {expected}, found {number} "
            "(customers are numbered 0, 1, 2, ... without gaps or repeats)",
        )
    if demand < 0:
        raise lines.error(line, f"DEMAND: must not be negative, found {demand}")
    if demand > capacity:
        raise lines.error(line, f"DEMAND: {demand} is more than a vehicle's capacity ({capacity})")
    for column, value in (("READY TIME", ready), ("DUE DATE", due), ("SERVICE TIME", service)):
        if value < 0:
            raise lines.error(line, f"{column}: must not be negative, found {value:g}")
    if due < ready:
        raise lines.error(line, f"DUE DATE ({due:g}) is before READY TIME ({ready:g})")
    if number == 0 and (demand or service):
        raise lines.error(line, "the depot (customer 0) must have DEMAND 0 and SERVICE TIME 0")
    return Customer(number=number, x=x, y=y, demand=demand, ready=ready, due=due, service=service)


# --- solving ------------------------------------------------------------------------------------------


def euclidean(a: Customer, b: Customer) -> float:
    """The real-valued distance (and travel time) from ``a`` to ``b``."""
    return math.hypot(a.x - b.x, a.y - b.y)


def _up(value: float, scale: int) -> int:
    """``value * scale`` rounded up (a float product just above an integer counts as that integer)."""
    return math.ceil(value * scale - 1e-6)


def _down(value: float, scale: int) -> int:
    return math.floor(value * scale + 1e-6)


def to_routing_problem(instance: SolomonInstance, *, scale: int = 1000) -> RoutingProblem:
    """The instance as integers for the routing core: every distance and time multiplied by ``scale``.

    Location k is customer k (0 is the depot). Cost: distances rounded to the nearest integer. Duration:
    distances rounded up; ready times and service times rounded up and due dates rounded down (exact for
    the integer data of Solomon's files). One vehicle type with as many vehicles as customers.
    """
    if scale < 1:
        raise ValueError(f"scale must be a positive integer, got {scale}")
    xs = np.array([c.x for c in instance.customers], dtype=np.float64)
    ys = np.array([c.y for c in instance.customers], dtype=np.float64)
    distance = np.hypot(xs[:, None] - xs[None, :], ys[:, None] - ys[None, :]) * scale
    cost = np.rint(distance).astype(np.int64)
    duration = np.ceil(distance - 1e-6).astype(np.int64)
    stops = [
        Stop(
            location=c.number,
            service=_up(c.service, scale),
            tw_early=_up(c.ready, scale),
            tw_late=_down(c.due, scale),
            demand=c.demand,
        )
        for c in instance.customers[1:]
    ]
    depot = instance.depot
    vehicle = Vehicle(
        start=0,
        end=0,
        tw_early=_up(depot.ready, scale),
        tw_late=_down(depot.due, scale),
        capacity=instance.capacity,
        count=len(stops),
    )
    return RoutingProblem(cost=cost, duration=duration, stops=stops, vehicles=[vehicle])


def route_distance(instance: SolomonInstance, route: Sequence[int]) -> float:
    """Real-valued length of one route: depot, the customers numbered in ``route``, depot."""
    stops = [instance.depot, *(instance.customers[k] for k in route), instance.depot]
    total = 0.0
    for a, b in itertools.pairwise(stops):
        total += euclidean(a, b)
    return total


def total_distance(instance: SolomonInstance, routes: Sequence[Sequence[int]]) -> float:
    """Real-valued total length of ``routes`` (each a sequence of customer numbers)."""
    total = 0.0
    for route in routes:
        total += route_distance(instance, route)
    return total


def route_violations(
    instance: SolomonInstance, routes: Sequence[Sequence[int]], *, tolerance: float = TOLERANCE
) -> list[str]:
    """What is wrong with ``routes`` (customer numbers per route), checked in real numbers; [] when nothing.

    Checks: every customer 1..n visited exactly once (and nothing else); load at most the capacity;
    leaving the depot at its ready time, service starts no later than each due date (waiting for ready
    times) and the vehicle is back by the depot's due date. ``tolerance`` (in the instance's time unit)
    absorbs float summation noise; the default suffices for routes from :func:`solve_solomon`, whose
    scaled travel times are rounded up. The fleet size in the file is not checked (distance-only
    convention).
    """
    problems: list[str] = []
    n = len(instance.customers) - 1
    seen: dict[int, int] = {}
    depot = instance.depot
    for k, route in enumerate(routes, start=1):
        valid = [c for c in route if 1 <= c <= n]
        for c in route:
            if not 1 <= c <= n:
                problems.append(f"route {k}: {c} is not a customer (1..{n})")
            elif c in seen:
                problems.append(f"route {k}: customer {c} was already visited on route {seen[c]}")
            else:
                seen[c] = k
        load = sum(instance.customers[c].demand for c in valid)
        if load > instance.capacity:
            problems.append(f"route {k}: load {load} exceeds the capacity {instance.capacity}")
        time = depot.ready
        here = depot
        for c in valid:
            customer = instance.customers[c]
            start = max(time + euclidean(here, customer), customer.ready)
            if start > customer.due + tolerance:
                problems.append(
                    f"route {k}: service at customer {c} starts at {start!r}, "
                    f"after its due date {customer.due:g}"
                )
            time = start + customer.service
            here = customer
        back = time + euclidean(here, depot)
        if back > depot.due + tolerance:
            problems.append(f"route {k}: back at the depot at {back!r}, after its due date {depot.due:g}")
    missing = [c for c in range(1, n + 1) if c not in seen]
    if missing:
        shown = ", ".join(map(str, missing[:10])) + (", ..." if len(missing) > 10 else "")
        problems.append(f"{len(missing)} customer(s) not visited: {shown}")
    return problems


def solve_solomon(instance: SolomonInstance, *, seconds: float, seed: int = 0) -> SolomonResult:
    """Minimise total distance with the routing core for ``seconds`` of wall time (scale 1,000)."""
    solution = solve_routing(to_routing_problem(instance), seconds=seconds, seed=seed)
    # Stop i of the routing problem is customer i + 1.
    routes = tuple(tuple(v.stop + 1 for v in route.visits) for route in solution.routes if route.visits)
    feasible = solution.feasible and not solution.unvisited and not route_violations(instance, routes)
    return SolomonResult(
        distance=total_distance(instance, routes),
        vehicles=len(routes),
        routes=routes,
        feasible=feasible,
    )
