"""``fhb synth-history --years 2021-2025 [--seed N]``: synthetic past years for the stored population.

Offers as the standard would have made them, answers, visits and requests for each plan year, for the
demo and the benchmarks (``fhb.stats.history``). Written in bulk without history rows; refuses years that
already have offers.
"""

from __future__ import annotations

import argparse
import sys

from fhb.commands import django_setup

help = "Write synthetic past plan years (offers, answers, visits, requests) for the stored population."


def years_range(text: str) -> list[int]:
    """``2021-2025`` or ``2023`` or ``2021,2023``: the years, ascending."""
    years: set[int] = set()
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            low, high = int(first), int(last or first)
            if high < low or high - low > 50:
                raise ValueError
            years.update(range(low, high + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected years like 2021-2025, not {text!r}") from None
    return sorted(years)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", required=True, type=years_range, help="plan years, e.g. 2021-2025")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same rows")


def run(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils import timezone

    from fhb.demo.history import HistoryError, write_history
    from fhb.standards.current import current_standard

    try:
        summary = write_history(
            args.years, standard=current_standard(), seed=args.seed, today=timezone.localdate()
        )
    except HistoryError as error:
        print(f"fhb synth-history: {error}", file=sys.stderr)
        return 2
    print(f"Syntetisk historik for {len(summary.years)} planår ({summary.seconds:.1f} s):")
    for line in summary.lines():
        print(f"  {line}")
    return 0
