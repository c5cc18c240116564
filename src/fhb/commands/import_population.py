"""``fhb import --citizens citizens.csv [--events events.csv]``: import an extract, all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fhb.commands import django_setup

help = "Import the population extract (and the care system's facts); nothing is stored on bad input."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--citizens", required=True, type=Path, help="citizens.csv (contract format)")
    parser.add_argument("--events", type=Path, help="events.csv (contract format)")


def run(args: argparse.Namespace) -> int:
    for path in (args.citizens, args.events):
        if path is not None and not path.is_file():
            print(f"fhb import: filen findes ikke: {path}", file=sys.stderr)
            return 2
    django_setup()
    from fhb.citizens.actions import import_extract
    from fhb.citizens.importer import ImportFile
    from fhb.citizens.views import summary_rows
    from fhb.core.population.model import InvalidInput

    try:
        run = import_extract(
            ImportFile.from_path(args.citizens),
            ImportFile.from_path(args.events) if args.events else None,
        )
    except InvalidInput as error:
        print("fhb import: intet er gemt. Fejl i input:", file=sys.stderr)
        print(error, file=sys.stderr)
        return 2
    summary = run.summary
    print(
        f"Indlæsning {run.pk}: {summary['total_citizens']} borgere, {summary['total_events']} oplysninger"
        f", {summary['warnings']} advarsler"
    )
    for label, count, _ in summary_rows(summary):
        print(f"  {label}: {count}")
    for warning in run.warnings[:20]:
        print(f"  advarsel: {warning['file']}, række {warning['row']}, {warning['column']}: {warning['why']}")
    return 0
