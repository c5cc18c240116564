"""``fhb backup --out FILE.tar.gz``: a consistent backup of the database and the stored letters."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fhb.commands import django_setup

help = "Back up the database and stored files to one .tar.gz (consistent while the app runs)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, type=Path, help="the backup file to write (.tar.gz)")


def run(args: argparse.Namespace) -> int:
    django_setup()
    from fhb.operations.backup import BackupError, create_backup

    try:
        manifest = create_backup(args.out)
    except BackupError as error:
        print(f"fhb backup: {error}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{k.split('.')[-1]} {v}" for k, v in manifest.counts.items())
    print(f"Backup skrevet til {args.out} ({manifest.vendor}; {counts}; {manifest.files} filer)")
    return 0
