"""``fhb forecast --years 2028-2030 [--standard NAME_OR_FILE] [--compare FILE.toml] [--format FORMAT]``:
the letters, visits, hours and consultants a quality standard asks for in coming years, over the stored
population, with the rates of the last complete years (docs/forecast.md); with ``--compare``, an edited
copy of the standard side by side with it.

Exit 0 on success; on bad input exit 2 with a message on stderr that says what is wrong, where and why,
and nothing on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fhb.commands import django_setup
from fhb.core.forecast.years import parse_years, years_problem
from fhb.core.standard import QualityStandard, StandardError, load_standard, parse_standard

help = "Forecast letters, visits and consultants for coming years; compare a standard with an edited copy."

#: Exit code for bad input (as ``fhb eligibility``).
EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--years", required=True, metavar="YYYY[-YYYY]", help="the plan year(s), e.g. 2028-2030 or 2028"
    )
    parser.add_argument(
        "--standard",
        metavar="NAME_OR_FILE",
        help="hjoerring, herning, ishoej or a .toml file (default: the standard in force, FHB_STANDARD)",
    )
    parser.add_argument(
        "--compare", metavar="FILE.toml", help="an edited copy of the standard to compare with"
    )
    parser.add_argument(
        "--format", choices=("text", "json", "csv"), default="text", help="output format (text)"
    )
    parser.add_argument(
        "--drive-min", type=float, metavar="MIN", help="driving minutes per visit (default: history, else 20)"
    )
    parser.add_argument(
        "--hours-per-fte",
        type=float,
        metavar="HOURS",
        help="productive hours of a full-time consultant per year (default 1300)",
    )


def _bad(message: str) -> int:
    print(f"fhb: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _standard_problems(error: StandardError, text: str | None) -> int:
    from fhb.core.forecast.editing import problem_lines

    print(f"fhb: kvalitetsstandarden {error.source} kan ikke bruges:", file=sys.stderr)
    for line in problem_lines(error, text):
        print(f"  {error.source}: {line}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _load(name_or_path: str) -> QualityStandard | int:
    """The standard, or the exit code after printing why it cannot be used."""
    path = Path(name_or_path)
    looks_like_path = "/" in name_or_path or "\\" in name_or_path or name_or_path.endswith(".toml")
    if looks_like_path and path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return _bad(f"{name_or_path}: filen kan ikke læses ({error})")
        try:
            return parse_standard(text, str(path))
        except StandardError as error:
            return _standard_problems(error, text)
    try:
        return load_standard(name_or_path)
    except StandardError as error:
        return _standard_problems(error, None)


def run(args: argparse.Namespace) -> int:
    try:
        first, last = parse_years(args.years)
    except ValueError as error:
        return _bad(f"--years: {error}")
    if args.drive_min is not None and not 0 <= args.drive_min <= 600:
        return _bad(f"--drive-min: {args.drive_min:g} minutter pr. besøg skal ligge mellem 0 og 600 (fx 20)")
    if args.hours_per_fte is not None and not 0 < args.hours_per_fte <= 8784:
        return _bad(
            f"--hours-per-fte: {args.hours_per_fte:g} timer pr. årsværk skal være over 0 og højst et års "
            "timer, 8784 (fx 1300)"
        )
    django_setup()
    from django.conf import settings
    from django.utils import timezone

    from fhb.core.forecast import compare, forecast, load_mortality
    from fhb.core.forecast.output import (
        comparison_csv,
        comparison_data,
        comparison_text,
        forecast_csv,
        forecast_data,
        forecast_text,
    )
    from fhb.forecast.rates import forecast_inputs

    base = _load(args.standard or settings.FHB_STANDARD)
    if isinstance(base, int):
        return base
    alternative: QualityStandard | None = None
    if args.compare:
        loaded = _load(args.compare)
        if isinstance(loaded, int):
            return loaded
        alternative = loaded
    today = timezone.localdate()
    inputs = forecast_inputs(base, today, drive_min=args.drive_min, hours_per_fte=args.hours_per_fte)
    problem = years_problem(first, last, inputs.on.year)
    if problem is not None:
        return _bad(f"--years: {args.years}: {problem}")
    years = range(first, last + 1)
    mortality = load_mortality()
    result = forecast(base, inputs.population, years, on=inputs.on, mortality=mortality, rates=inputs.rates)
    if alternative is None:
        if args.format == "json":
            json.dump(forecast_data(result), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        elif args.format == "csv":
            sys.stdout.write(forecast_csv(result))
        else:
            sys.stdout.write(forecast_text(result))
        return 0
    other = forecast(
        alternative, inputs.population, years, on=inputs.on, mortality=mortality, rates=inputs.rates
    )
    comparison = compare(result, other)
    if args.format == "json":
        json.dump(comparison_data(comparison), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "csv":
        sys.stdout.write(comparison_csv(comparison))
    else:
        sys.stdout.write(comparison_text(comparison))
    return 0
