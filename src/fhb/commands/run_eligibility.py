"""``fhb run --year YYYY [--kind yearly|daily] [--on DATE]``: evaluate the standard over the stored
population and store the offers (what the leader's "Start kørsel" does; for a nightly job)."""

from __future__ import annotations

import argparse
from datetime import date

from fhb.commands import django_setup

help = "Run the quality standard over the stored population and store the offers (yearly or daily run)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="plan year")
    parser.add_argument("--kind", choices=["yearly", "daily"], default="daily")
    parser.add_argument(
        "--on",
        type=date.fromisoformat,
        help="date facts are judged on (default: today, within the plan year)",
    )


def run(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils import timezone

    from fhb.offers.actions import start_run
    from fhb.offers.years import default_extract_date
    from fhb.standards.current import current_standard

    on = args.on or default_extract_date(args.year, timezone.localdate())
    result = start_run(args.year, args.kind, on=on, standard=current_standard())
    summary = result.summary
    print(
        f"Kørsel {result.pk} ({args.kind}, planår {args.year}, pr. {on.isoformat()}): "
        f"{summary['new']} nye, {summary['changed']} ændrede, {summary['withdrawn']} bortfaldne"
    )
    for group, decisions in sorted(summary["by_group"].items()):
        print(f"  {group}: " + ", ".join(f"{k} {v}" for k, v in sorted(decisions.items())))
    return 0
