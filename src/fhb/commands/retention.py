"""``fhb retention [--years N] [--on DATE] [--apply] [--json]``: anonymise citizens whose retention ended.

A dry run by default: it says how many citizens are due (dead or gone from the extract, last event more
than N years ago) and what anonymising them would erase; ``--apply`` does it, all or nothing. The rules
are in :mod:`fhb.privacy.retention` and docs/operations.md ("Privacy").
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from fhb.commands import django_setup

help = "Anonymise citizens dead or gone from the extract after the retention period (dry run by default)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", type=int, help="retention in years (default FHB_RETENTION_YEARS: 5)")
    parser.add_argument("--on", type=date.fromisoformat, help="the day to judge on (default: today)")
    parser.add_argument("--apply", action="store_true", help="anonymise (without it: only say what would be)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    django_setup()
    from django.conf import settings
    from django.utils import timezone

    from fhb.privacy.retention import ERASURE_LABELS, as_json, retention

    years = settings.FHB_RETENTION_YEARS if args.years is None else args.years
    if years < 1:
        print("fhb retention: --years skal være mindst 1", file=sys.stderr)
        return 2
    result = retention(args.on or timezone.localdate(), years, apply=args.apply)
    if args.json:
        print(as_json(result))
        return 0
    print(
        f"Opbevaringsperiode {result.years} år: borgere, der er døde eller ude af udtrækket, og hvis seneste "
        f"hændelse er før {result.cutoff.isoformat()}."
    )
    print(f"{len(result.due)} borgere {'er anonymiseret' if result.applied else 'skal anonymiseres'}.")
    for due in result.due:
        why = "død" if due.dead else "ikke i udtrækket"
        print(f"  borger-id {due.pk}: seneste hændelse {due.last_event.isoformat()} ({why})")
    if result.due:
        print("Det betyder:" if not result.applied else "Det er gjort:")
        for kind, count in result.erased.items():
            print(f"  {ERASURE_LABELS[kind]}: {count}")
    if not result.applied and result.due:
        print("Prøvekørsel: intet er ændret. Kør med --apply for at anonymisere.")
    return 0
