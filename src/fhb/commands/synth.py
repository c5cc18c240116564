"""``fhb synth``: write a synthetic municipality (citizens.csv and events.csv in the contract's format).

    fhb synth --standard hjoerring|herning|ishoej|FILE.toml [--municipality FILE] --seed N [--size F]
              [--year YYYY] --out DIR

The people are made up (never real persons); the same options give byte-identical files. The extract
date is 1 January of ``--year``; the clock is never read. See docs/synthetic-data.md for the figures used.
``--standard`` is a shipped standard's name or any standard file. The municipality's figures and towns
come from ``--municipality FILE``, else from ``municipality.toml`` beside the standard file, else from the
shipped figures and outline of the standard's municipality code
(:func:`fhb.demo.synth.municipality_file.municipality_for_standard`).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from fhb.commands import add_municipality_argument

help: str = (
    "Write a synthetic municipality's citizens.csv and events.csv (made-up people, deterministic per seed)."
)

#: The plan years the CPR century rules can hold for everyone generated (ages 17 to 100).
MIN_YEAR, MAX_YEAR = 1960, 2075


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--standard",
        required=True,
        help="the municipality to imitate: hjoerring, herning, ishoej or a standard file (.toml)",
    )
    add_municipality_argument(parser)
    parser.add_argument(
        "--seed", required=True, type=int, help="random seed; the same seed gives the same files"
    )
    parser.add_argument(
        "--size",
        type=float,
        default=1.0,
        help="population multiplier (1 = real size; e.g. 0.05 for tests, 80 for about 2 million persons)",
    )
    parser.add_argument(
        "--year", type=int, default=2027, help="plan year; the extract date is 1 January of it (default 2027)"
    )
    parser.add_argument(
        "--on",
        type=date.fromisoformat,
        help="extract date YYYY-MM-DD (default 1 January of --year); events and deaths lie before it",
    )
    parser.add_argument(
        "--out", required=True, type=Path, help="folder to write citizens.csv and events.csv to"
    )


def run(args: argparse.Namespace) -> int:
    from fhb.core.standard.loader import StandardError, load_standard
    from fhb.demo.synth.generator import SynthOptions, write_municipality
    from fhb.demo.synth.municipality_file import MunicipalityFileError, municipality_for_standard

    if not args.size > 0:
        print(f"fhb synth: --size must be positive, not {args.size}", file=sys.stderr)
        return 2
    if not MIN_YEAR <= args.year <= MAX_YEAR:
        print(
            f"fhb synth: --year must be between {MIN_YEAR} and {MAX_YEAR}, not {args.year}", file=sys.stderr
        )
        return 2
    if args.on is not None and not date(args.year - 1, 1, 1) <= args.on <= date(args.year, 12, 31):
        print(f"fhb synth: --on must lie in {args.year - 1} or {args.year}, not {args.on}", file=sys.stderr)
        return 2
    try:
        code = load_standard(args.standard).municipality.code
        municipality = municipality_for_standard(args.standard, code, args.municipality)
    except StandardError as error:
        print(f"fhb synth: --standard {args.standard}: {error}", file=sys.stderr)
        return 2
    except MunicipalityFileError as error:
        print(f"fhb synth: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"fhb synth: --standard {args.standard}: {error}", file=sys.stderr)
        return 2
    options = SynthOptions(
        standard=municipality.key,
        seed=args.seed,
        size=args.size,
        year=args.year,
        on=args.on,
        municipality=municipality,
    )
    started = time.perf_counter()
    try:
        summary = write_municipality(options, args.out)
    except OSError as error:
        print(f"fhb synth: cannot write to {args.out}: {error}", file=sys.stderr)
        return 2
    elapsed_s = time.perf_counter() - started
    print(f"fhb synth {args.standard}: {summary.line()}; {elapsed_s:.1f} s", file=sys.stderr)
    return 0
