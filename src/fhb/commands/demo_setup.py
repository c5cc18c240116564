"""``fhb demo-setup --standard NAME|FILE [--municipality FILE]``: an embedded demo with a synthetic
municipality and demo users.

``--standard`` is a shipped standard's name or any standard file (``.toml``); it must be the standard in
force (``FHB_STANDARD``). The synthetic population imitates the municipality described by
``--municipality FILE``, else by ``municipality.toml`` beside the standard file, else the shipped figures of
the standard's ``municipality.code`` (Hjørring, Herning, Ishøj); docs/synthetic-data.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fhb.commands import add_municipality_argument, django_setup

help = "Build the demo: migrate, generate and import a synthetic municipality, create demo users."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--standard", default="hjoerring", help="hjoerring, herning, ishoej or a standard file (.toml)"
    )
    add_municipality_argument(parser)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=float, default=1.0, help="population scale (1 = the real size)")
    parser.add_argument(
        "--year", type=int, help="plan year (default: next year from October, else this year)"
    )


def run(args: argparse.Namespace) -> int:
    django_setup()
    from django.conf import settings
    from django.utils import timezone

    from fhb.core.standard.loader import StandardError
    from fhb.demo.setup import build_demo
    from fhb.demo.synth.municipality_file import MunicipalityFileError, municipality_for_standard
    from fhb.offers.years import default_plan_year
    from fhb.standards.current import current_standard

    if not same_standard(args.standard, settings.FHB_STANDARD):
        print(
            f"fhb demo-setup: FHB_STANDARD er {settings.FHB_STANDARD!r}, "
            f"men --standard er {args.standard!r}; sæt FHB_STANDARD til samme kvalitetsstandard"
            " (make demo STANDARD=... gør det)",
            file=sys.stderr,
        )
        return 2
    try:
        standard = current_standard()
        municipality = municipality_for_standard(args.standard, standard.municipality.code, args.municipality)
    except MunicipalityFileError as error:
        print(f"fhb demo-setup: {error}", file=sys.stderr)
        return 2
    except (StandardError, ValueError) as error:
        print(f"fhb demo-setup: --standard {args.standard}: {error}", file=sys.stderr)
        return 2
    fresh_demo_database(Path(settings.DATA_DIR), settings.DATABASES["default"])
    today = timezone.localdate()
    build_demo(
        standard,
        name=args.standard,
        year=args.year or default_plan_year(today),
        seed=args.seed,
        size=args.size,
        data_dir=Path(settings.DATA_DIR),
        today=today,
        municipality=municipality,
    )
    return 0


def same_standard(given: str, setting: str) -> bool:
    """Whether ``--standard`` names the standard of ``FHB_STANDARD``: the same name, or the same file."""
    if given == setting:
        return True
    looks_like_path = all("/" in name or name.endswith(".toml") for name in (given, setting))
    return looks_like_path and Path(given).resolve() == Path(setting).resolve()


def fresh_demo_database(data_dir: Path, database: Mapping[str, Any]) -> None:
    """Start the demo from an empty database, so that ``make demo`` can be run again: the demo's own
    SQLite file (inside the demo's data folder) is removed. Any other database is left alone."""
    from django.db import connection

    name = Path(str(database.get("NAME", "")))
    if not str(database.get("ENGINE", "")).endswith("sqlite3") or not name.is_file():
        return
    if not name.resolve().is_relative_to(data_dir.resolve()):
        return
    print(f"Demoen bygges forfra: {name} slettes", flush=True)
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
