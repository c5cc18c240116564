"""``fhb import --citizens citizens.csv [--events events.csv] [--force]``: import an extract, all or nothing.

Exit 0 when stored; 2 on bad input (every problem listed; nothing stored); 3 when more than
``FHB_IMPORT_MAX_GONE_PERCENT`` of the latest extract's citizens would be gone (the counts and the reason
printed; nothing stored): ``--force`` stores it all the same.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fhb.commands import django_setup

help = "Import the population extract (and the care system's facts); nothing is stored on bad input."

#: The exit code of an extract the brake refuses.
TOO_MANY_GONE = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--citizens", required=True, type=Path, help="citizens.csv (contract format)")
    parser.add_argument("--events", type=Path, help="events.csv (contract format)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="store the extract even if more than FHB_IMPORT_MAX_GONE_PERCENT of the citizens are gone",
    )


def run(args: argparse.Namespace) -> int:
    for path in (args.citizens, args.events):
        if path is not None and not path.is_file():
            print(f"fhb import: filen findes ikke: {path}", file=sys.stderr)
            return 2
    django_setup()
    from fhb.citizens.actions import import_extract
    from fhb.citizens.importer import ImportFile
    from fhb.citizens.preview import TooManyGone
    from fhb.citizens.views import summary_rows
    from fhb.core.population.model import InvalidInput

    try:
        run = import_extract(
            ImportFile.from_path(args.citizens),
            ImportFile.from_path(args.events) if args.events else None,
            force=args.force,
        )
    except InvalidInput as error:
        print("fhb import: intet er gemt. Fejl i input:", file=sys.stderr)
        print(error, file=sys.stderr)
        return 2
    except TooManyGone as refused:
        preview = refused.preview
        print(
            f"Ikke indlæst: {preview.extract_citizens} borgere, {preview.extract_events} oplysninger"
            f", {preview.warnings} advarsler; {preview.stored_citizens} borgere i seneste udtræk"
        )
        for label, count, _ in summary_rows({"counts": preview.counts}):
            print(f"  {label}: {count}")
        died, gone = preview.died_at_stake, preview.gone_at_stake
        print(f"  Døde: {died.planned_visits} planlagte besøg aflyses, {died.open_offers} åbne tilbud lukkes")
        print(
            f"  Ikke med: {gone.planned_visits} planlagte besøg og {gone.open_offers} åbne tilbud venter på"
            " lederens beslutning (siden Ikke i seneste udtræk)"
        )
        print(f"fhb import: {refused.message} Brug --force for at indlæse den alligevel.", file=sys.stderr)
        return TOO_MANY_GONE
    summary = run.summary
    print(
        f"Indlæsning {run.pk}: {summary['total_citizens']} borgere, {summary['total_events']} oplysninger"
        f", {summary['warnings']} advarsler"
    )
    for label, count, _ in summary_rows(summary):
        print(f"  {label}: {count}")
    gone = summary["counts"].get("gone", 0)
    if gone:
        print(
            f"  {gone} borgere er ikke med i udtrækket: deres planlagte besøg og åbne tilbud er ikke aflyst,"
            " men venter på lederens beslutning (siden Ikke i seneste udtræk)"
        )
    for warning in run.warnings[:20]:
        print(f"  advarsel: {warning['file']}, række {warning['row']}, {warning['column']}: {warning['why']}")
    return 0
