"""``fhb vrptw FILE --seconds S [--seed N]``: solve one Solomon VRPTW instance with the routing core.

Prints the routes, one per line (``Route #1: 5 3 7``, customer numbers), then as its last line
``distance=<total euclidean distance, unrounded, full float precision> vehicles=<routes used>``. The
conventions are those of :mod:`fhb.core.planning.solomon` (distance-only objective, fleet not limited).
Exit 0 on success; 2 with a message on stderr naming the file (and line) for a missing, unreadable or
malformed file; 1 when the solver finds no feasible solution (the routes and the last line are printed
all the same). Pure: no Django.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fhb.core.planning.solomon import SolomonError, parse_solomon, route_violations, solve_solomon

help = "Solve a Solomon VRPTW instance (benchmark of the routing core); prints routes and the distance."

#: Exit code for bad input (as ``fhb eligibility``).
EXIT_BAD_INPUT = 2


def positive_seconds(text: str) -> float:
    """``--seconds``: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="an instance in Solomon's text format (e.g. R101.txt)")
    parser.add_argument(
        "--seconds", required=True, type=positive_seconds, metavar="S", help="solver wall time, seconds"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="solver seed (0)")


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        print(f"fhb: {path}: cannot read the file: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        instance = parse_solomon(text, source=str(path))
    except SolomonError as error:
        print(f"fhb: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = solve_solomon(instance, seconds=args.seconds, seed=args.seed)
    for k, route in enumerate(result.routes, start=1):
        print(f"Route #{k}: {' '.join(map(str, route))}")
    if not result.feasible:
        for problem in route_violations(instance, result.routes) or ["the solver found no feasible solution"]:
            print(f"fhb: {path}: infeasible: {problem}", file=sys.stderr)
    print(f"distance={result.distance!r} vehicles={result.vehicles}")
    sys.stdout.flush()
    return 0 if result.feasible else 1
