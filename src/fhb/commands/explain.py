"""``fhb explain CPR``: why one citizen gets what the quality standard decides, in plain Danish.

Reads the population from ``--citizens``/``--events`` (the same files as ``fhb eligibility``). The core part,
:func:`explain_text`, takes a Population, so another source (the database) can feed it. Pure: no Django.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from fhb.commands.eligibility import EXIT_BAD_INPUT, UsageProblem, load_settings, report_bad_input
from fhb.core.eligibility import UnknownCitizen, explain, render_explanation
from fhb.core.population.model import InvalidInput, Population
from fhb.core.standard import QualityStandard, StandardError

help = "Explain, clause by clause, why a citizen gets (or does not get) an offer."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cpr", metavar="CPR", help="the citizen's CPR number (with or without hyphen)")
    parser.add_argument(
        "--standard",
        required=True,
        metavar="NAME_OR_FILE",
        help="hjoerring, herning, ishoej, or a .toml file",
    )
    parser.add_argument("--year", required=True, metavar="YYYY", help="the plan year")
    parser.add_argument("--citizens", required=True, metavar="citizens.csv", help="the population extract")
    parser.add_argument("--events", metavar="events.csv", help="facts from the care system")
    parser.add_argument(
        "--on", metavar="YYYY-MM-DD", help="date of the extract (default: 1 January of the plan year)"
    )


def explain_text(standard: QualityStandard, population: Population, cpr: str, year: int, on: date) -> str:
    """The Danish explanation for one citizen; raises UnknownCitizen when the CPR is not in the population."""
    return render_explanation(explain(standard, population, cpr, year, on))


def run(args: argparse.Namespace) -> int:
    # Imported when the command runs: the reader imports polars, which `fhb --help` has no use for.
    from fhb.core.population.csv_reader import read_population

    try:
        standard, year, on = load_settings(args)
        population = read_population(args.citizens, args.events)
    except (UsageProblem, StandardError, InvalidInput) as error:
        return report_bad_input(error, sys.stderr)
    try:
        text = explain_text(standard, population, args.cpr, year, on)
    except UnknownCitizen as error:
        print(f"fhb: {error.args[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(text)
    return 0
