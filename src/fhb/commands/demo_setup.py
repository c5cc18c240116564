"""``fhb demo-setup --standard NAME``: an embedded demo with a synthetic municipality and demo users."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fhb.commands import django_setup

help = "Build the demo: migrate, generate and import a synthetic municipality, create demo users."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--standard", default="hjoerring", help="hjoerring, herning or ishoej")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=float, default=1.0, help="population scale (1 = the real size)")
    parser.add_argument(
        "--year", type=int, help="plan year (default: next year from October, else this year)"
    )


def run(args: argparse.Namespace) -> int:
    django_setup()
    from django.conf import settings
    from django.utils import timezone

    from fhb.demo.setup import build_demo
    from fhb.offers.years import default_plan_year
    from fhb.standards.current import current_standard

    if args.standard != settings.FHB_STANDARD:
        print(
            f"fhb demo-setup: FHB_STANDARD er {settings.FHB_STANDARD!r}, "
            f"men --standard er {args.standard!r}; sæt FHB_STANDARD til samme kvalitetsstandard"
            " (make demo STANDARD=... gør det)",
            file=sys.stderr,
        )
        return 2
    today = timezone.localdate()
    build_demo(
        current_standard(),
        name=args.standard,
        year=args.year or default_plan_year(today),
        seed=args.seed,
        size=args.size,
        data_dir=Path(settings.DATA_DIR),
        today=today,
    )
    return 0
