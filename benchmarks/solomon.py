"""Benchmark: the routing core (PyVRP) on the 56 Solomon VRPTW instances, against best-known distances.

Target: a mean gap of at most 1 % over the 56 instances at 30 s each.

Compared convention: ``shared/data/solomon/bks.csv``, the distance-only best-known solutions (total
euclidean distance, real-valued, unrounded, as many vehicles as it takes). Our distance is recomputed in
floats from the routes (:func:`fhb.core.planning.solomon.total_distance`), and every solution is checked
with :func:`~fhb.core.planning.solomon.route_violations`; an infeasible one counts as a failure.

Each instance is solved in its own worker process (two workers, spawned: the machine has two cores; PyVRP
is single-threaded). One line per instance (name, distance, vehicles, BKS distance and vehicles, gap %),
then the mean and maximum gap, the mean per family (C1, C2, R1, R2, RC1, RC2) and the wall time; the last
line is the verdict::

    solomon: mean gap 0.42 % (target ≤ 1 %) PASS

Usage: ``python benchmarks/solomon.py [--seconds 30] [--seed 0] [--workers 2] [INSTANCE ...]``; the
seconds can also come from ``FHB_BENCH_SOLOMON_SECONDS`` (for a quick try). Exit status 0 when the target is
met and every solution is feasible, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

SOLOMON = Path(__file__).resolve().parents[2] / "shared" / "data" / "solomon"
TARGET_GAP_PERCENT = 1.0
FAMILIES = ("C1", "C2", "R1", "R2", "RC1", "RC2")


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    distance: float
    vehicles: int
    feasible: bool
    wall_s: float


def solve_one(path: Path, seconds: float, seed: int) -> Outcome:
    """Parse and solve one instance (in a worker process)."""
    from fhb.core.planning.solomon import parse_solomon, solve_solomon

    instance = parse_solomon(path.read_text(encoding="utf-8"), source=str(path))
    start = time.perf_counter()
    result = solve_solomon(instance, seconds=seconds, seed=seed)
    wall = time.perf_counter() - start
    return Outcome(instance.name, result.distance, result.vehicles, result.feasible, wall)


def family(name: str) -> str:
    """``RC105`` -> ``RC1``."""
    match = re.fullmatch(r"([A-Z]+)(\d)\d\d", name)
    return match.group(1) + match.group(2) if match else name


def read_bks(path: Path) -> dict[str, tuple[int, float]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return {
            row["instance"]: (int(row["vehicles"]), float(row["distance"])) for row in csv.DictReader(stream)
        }


def default_seconds() -> float:
    return float(os.environ.get("FHB_BENCH_SOLOMON_SECONDS", "30"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=default_seconds(), help="per instance (30)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("instances", nargs="*", metavar="INSTANCE", help="e.g. R101 (default: all 56)")
    args = parser.parse_args()

    bks = read_bks(SOLOMON / "bks.csv")
    names = args.instances or sorted(bks)
    paths = [SOLOMON / f"{name}.txt" for name in names]
    print(
        f"Solomon VRPTW: {len(paths)} instances, {args.seconds:g} s each, {args.workers} workers, "
        f"seed {args.seed}",
        flush=True,
    )
    print(f"{'instance':<8} {'distance':>10} {'veh':>4} {'BKS':>9} {'veh':>4} {'gap %':>7}", flush=True)
    start = time.perf_counter()
    outcomes: dict[str, Outcome] = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=args.workers, mp_context=context) as pool:
        futures = [pool.submit(solve_one, path, args.seconds, args.seed) for path in paths]
        for future in futures:  # in instance order: each line once its instance is done
            outcome = future.result()
            outcomes[outcome.name] = outcome
            bks_vehicles, bks_distance = bks[outcome.name]
            gap = 100 * (outcome.distance - bks_distance) / bks_distance
            flag = "" if outcome.feasible else "  INFEASIBLE"
            print(
                f"{outcome.name:<8} {outcome.distance:>10.2f} {outcome.vehicles:>4} {bks_distance:>9.2f} "
                f"{bks_vehicles:>4} {gap:>7.2f}{flag}",
                flush=True,
            )
    wall = time.perf_counter() - start

    gaps = {name: 100 * (o.distance - bks[name][1]) / bks[name][1] for name, o in outcomes.items()}
    for fam in FAMILIES:
        members = [g for name, g in gaps.items() if family(name) == fam]
        if members:
            print(f"family {fam:<4} mean gap {sum(members) / len(members):.2f} % ({len(members)} instances)")
    mean = sum(gaps.values()) / len(gaps)
    worst = max(gaps, key=lambda name: gaps[name])
    infeasible = sorted(name for name, o in outcomes.items() if not o.feasible)
    print(f"mean gap {mean:.2f} %, max gap {gaps[worst]:.2f} % ({worst})")
    print(f"total time {wall:.0f} s ({wall / 60:.1f} min)")
    if infeasible:
        print(f"infeasible: {', '.join(infeasible)}")
    ok = mean <= TARGET_GAP_PERCENT and not infeasible
    print(f"solomon: mean gap {mean:.2f} % (target ≤ {TARGET_GAP_PERCENT:g} %) {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
