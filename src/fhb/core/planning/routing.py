"""The routing core: a vehicle routing problem with time windows as plain data, solved by PyVRP.

Everything here is in integer units chosen by the caller (fhb's planner uses seconds for time and for
cost; the Solomon reader uses the literature's distances scaled by 1,000). The core knows nothing of
consultants or citizens: :mod:`fhb.core.planning.planner` turns consultant-days into vehicles and visits
into stops, and :mod:`fhb.core.planning.solomon` does the same for the benchmark instances.

Modelling choices worth knowing:

- A *vehicle* is one route (one consultant-day, or one Solomon truck type with ``count`` copies). Its time
  window bounds the departure from its start and the return to its end.
- A *stop* with a ``prize`` is optional: the solver leaves it out when visiting it costs more than the
  prize, or when it cannot fit. Without a prize it is required; a required stop that cannot fit makes the
  solution infeasible, which :func:`solve_routing` reports rather than hides.
- ``extra_cost`` matrices (one per profile) add cost on top of the base ``cost`` matrix for the vehicles of
  that profile: fhb uses them to prefer the consultant who visited a citizen before.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from pyvrp import Client, Depot, Location, ProblemData, VehicleType, solve
from pyvrp.stop import MaxRuntime

Matrix = NDArray[np.int64]


class RoutingError(ValueError):
    """The problem is inconsistent (bad index, window, matrix shape)."""


@dataclass(frozen=True, slots=True)
class Stop:
    """A place to visit once: service of ``service`` units starting inside ``[tw_early, tw_late]``."""

    location: int
    service: int = 0
    tw_early: int = 0
    tw_late: int | None = None
    demand: int = 0
    prize: int | None = None
    """None: the stop is required. Otherwise the stop is optional and worth this much when visited."""


@dataclass(frozen=True, slots=True)
class Vehicle:
    """``count`` identical routes from ``start`` to ``end`` inside ``[tw_early, tw_late]``."""

    start: int
    end: int
    tw_early: int = 0
    tw_late: int | None = None
    capacity: int = 0
    count: int = 1
    max_duration: int | None = None
    """Longest route (departure to return), e.g. a working day less its lunch break."""
    profile: int = 0
    """Which cost matrix the vehicle drives on: 0 is ``cost``, k > 0 is ``cost + extra_cost[k-1]``."""


@dataclass(frozen=True, slots=True)
class RoutingProblem:
    """Locations are indices into the square matrices; ``cost`` is minimised, ``duration`` is time."""

    cost: Matrix
    duration: Matrix
    stops: Sequence[Stop]
    vehicles: Sequence[Vehicle]
    extra_cost: Sequence[Matrix] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Visit:
    """A stop on a route: which stop, and when its service starts."""

    stop: int
    start: int


@dataclass(frozen=True, slots=True)
class Route:
    vehicle: int
    """Index into ``RoutingProblem.vehicles``."""
    visits: tuple[Visit, ...]
    departure: int
    arrival: int
    cost: int
    """Cost of the route on the base ``cost`` matrix (without ``extra_cost``)."""


@dataclass(frozen=True, slots=True)
class RoutingSolution:
    routes: tuple[Route, ...]
    unvisited: tuple[int, ...]
    """Stops (indices) left out: optional ones the solver dropped, or required ones it could not fit."""
    feasible: bool
    cost: int
    """Total base cost of all routes."""


_UNBOUNDED = np.iinfo(np.int64).max


def _check(problem: RoutingProblem) -> int:
    n = int(problem.cost.shape[0])
    if problem.cost.shape != (n, n) or problem.duration.shape != (n, n):
        raise RoutingError(
            f"cost and duration must be square matrices of one size (got {problem.cost.shape}"
            f" and {problem.duration.shape})"
        )
    for k, extra in enumerate(problem.extra_cost):
        if extra.shape != (n, n):
            raise RoutingError(f"extra_cost[{k}] has shape {extra.shape}, expected {(n, n)}")
    if not problem.vehicles:
        raise RoutingError("no vehicles")
    for i, stop in enumerate(problem.stops):
        if not 0 <= stop.location < n:
            raise RoutingError(f"stop {i}: location {stop.location} is not in the matrix (size {n})")
        if stop.tw_late is not None and stop.tw_late < stop.tw_early:
            raise RoutingError(f"stop {i}: window ends ({stop.tw_late}) before it begins ({stop.tw_early})")
    for i, vehicle in enumerate(problem.vehicles):
        for end in (vehicle.start, vehicle.end):
            if not 0 <= end < n:
                raise RoutingError(f"vehicle {i}: location {end} is not in the matrix (size {n})")
        if vehicle.profile > len(problem.extra_cost):
            raise RoutingError(f"vehicle {i}: profile {vehicle.profile} has no extra_cost matrix")
        if vehicle.count < 1:
            raise RoutingError(f"vehicle {i}: count must be at least 1")
    return n


def _data(problem: RoutingProblem) -> tuple[ProblemData, list[int]]:
    """PyVRP's data. Depots are the vehicles' distinct end points; returns the depot location list too."""
    n = _check(problem)
    depot_locations = sorted({v.start for v in problem.vehicles} | {v.end for v in problem.vehicles})
    depot_index = {loc: i for i, loc in enumerate(depot_locations)}
    locations = [Location(x=0, y=0) for _ in range(n)]
    depots = [Depot(location=loc) for loc in depot_locations]
    with_capacity = any(s.demand for s in problem.stops) or any(v.capacity for v in problem.vehicles)
    clients = [
        Client(
            location=s.location,
            delivery=[s.demand] if with_capacity else [],
            service_duration=s.service,
            tw_early=s.tw_early,
            tw_late=_UNBOUNDED if s.tw_late is None else s.tw_late,
            prize=s.prize or 0,
            required=s.prize is None,
        )
        for s in problem.stops
    ]
    vehicle_types = [
        VehicleType(
            num_available=v.count,
            capacity=[v.capacity] if with_capacity else [],
            start_depot=depot_index[v.start],
            end_depot=depot_index[v.end],
            tw_early=v.tw_early,
            tw_late=_UNBOUNDED if v.tw_late is None else v.tw_late,
            shift_duration=_UNBOUNDED if v.max_duration is None else v.max_duration,
            profile=v.profile,
        )
        for v in problem.vehicles
    ]
    costs = [problem.cost, *(problem.cost + extra for extra in problem.extra_cost)]
    durations = [problem.duration] * len(costs)
    data = ProblemData(locations, clients, depots, vehicle_types, costs, durations)  # type: ignore[arg-type]
    return data, depot_locations


def solve_routing(problem: RoutingProblem, *, seconds: float, seed: int = 0) -> RoutingSolution:
    """Solve with PyVRP's iterated local search for ``seconds`` of wall time (deterministic per seed,
    up to how many iterations fit in the time)."""
    if not problem.stops:
        return RoutingSolution(routes=(), unvisited=(), feasible=True, cost=0)
    data, _ = _data(problem)
    result = solve(data, MaxRuntime(seconds), seed=seed, display=False, collect_stats=False)
    best = result.best
    routes: list[Route] = []
    visited: set[int] = set()
    for route in best.routes():
        vehicle = route.vehicle_type()
        visits = tuple(Visit(stop=a.idx, start=a.start_time) for a in route.schedule() if a.is_client())
        visited.update(v.stop for v in visits)
        locs = [
            problem.vehicles[vehicle].start,
            *(problem.stops[v.stop].location for v in visits),
            problem.vehicles[vehicle].end,
        ]
        cost = int(sum(problem.cost[a, b] for a, b in itertools.pairwise(locs)))
        routes.append(
            Route(
                vehicle=vehicle,
                visits=visits,
                departure=route.start_time(),
                arrival=route.end_time(),
                cost=cost,
            )
        )
    unvisited = tuple(i for i in range(len(problem.stops)) if i not in visited)
    return RoutingSolution(
        routes=tuple(routes),
        unvisited=unvisited,
        feasible=best.is_feasible(),
        cost=sum(r.cost for r in routes),
    )
