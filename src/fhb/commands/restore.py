"""``fhb restore FILE.tar.gz --yes``: replace the database and stored files with a backup's."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fhb.commands import django_setup

help = "Restore a backup made by fhb backup (replaces the database and stored files)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("archive", type=Path, help="the backup file (.tar.gz)")
    parser.add_argument("--yes", action="store_true", help="confirm that the current data is replaced")


def run(args: argparse.Namespace) -> int:
    if not args.yes:
        print("fhb restore: erstatter ALLE nuværende data; gentag med --yes for at bekræfte", file=sys.stderr)
        return 2
    django_setup()
    from fhb.operations.backup import BackupError, restore_backup, row_counts

    try:
        manifest = restore_backup(args.archive)
    except BackupError as error:
        print(f"fhb restore: {error}", file=sys.stderr)
        return 2
    restored = row_counts()
    if restored != manifest.counts:
        print(f"fhb restore: antal rækker passer ikke: {restored} ≠ {manifest.counts}", file=sys.stderr)
        return 1
    print(f"Gendannet fra {args.archive} (taget {manifest.created}); {manifest.files} filer")
    return 0
