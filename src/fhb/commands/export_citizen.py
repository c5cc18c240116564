"""``fhb export-citizen CPR [--out FILE]``: the right-of-access export (indsigt) of one citizen as JSON.

The same data as the leader's download on the citizen's page; the export is logged as a read of the
journal (page ``indsigt``, without a user).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fhb.commands import django_setup
from fhb.core.private_files import write_private

help = "Write everything stored about one citizen as JSON (right of access); logged as a journal read."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cpr", help="the citizen's CPR number (DDMMYY-SSSS or 10 digits)")
    parser.add_argument("--out", type=Path, help="write the JSON to this file (default: standard output)")


def run(args: argparse.Namespace) -> int:
    from fhb.core.cpr import normalise_cpr

    try:
        cpr = normalise_cpr(args.cpr)
    except ValueError as error:
        print(f"fhb export-citizen: {error}", file=sys.stderr)
        return 2
    django_setup()
    from fhb.citizens.models import Citizen
    from fhb.privacy.access_export import record_export

    citizen = Citizen.objects.filter(cpr=cpr).first()
    if citizen is None:
        print(f"fhb export-citizen: ingen borger med CPR-nummer {args.cpr}", file=sys.stderr)
        return 1
    text = json.dumps(record_export(citizen), ensure_ascii=False, indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_private(args.out, text.encode("utf-8"))  # everything stored about one person: 0600
        print(f"Indsigt for {citizen.cpr_display} skrevet til {args.out}", file=sys.stderr)
    return 0
