"""The ``fhb`` command line.

``fhb <command> ...`` runs one of the subcommands in :mod:`fhb.commands`; any other word is handed to
Django's ``manage.py`` (``fhb migrate``, ``fhb runserver``, ``fhb createsuperuser``...).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from fhb.commands import run_django_command

#: Subcommand name -> module in fhb.commands.
COMMANDS: dict[str, str] = {
    "import": "import_population",
    "synth": "synth",
    "eligibility": "eligibility",
    "explain": "explain",
    "run": "run_eligibility",
    "check": "check",
    "backup": "backup",
    "restore": "restore",
    "demo-setup": "demo_setup",
    "worker": "worker",
    "plan": "plan",
    "vrptw": "vrptw",
    "export-citizen": "export_citizen",
    "retention": "retention",
    "synth-history": "synth_history",
    "forecast": "forecast",
}


def build_parser(names: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fhb",
        description="Forebyggende hjemmebesøg. Other commands are passed on to Django (e.g. fhb migrate).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in names:
        module = importlib.import_module(f"fhb.commands.{COMMANDS[name]}")
        command_parser = sub.add_parser(name, help=module.help, description=module.help)
        module.add_arguments(command_parser)
        command_parser.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        run_django_command(args_list)
        return 0
    # Only import the module of the command asked for: keeps `fhb eligibility` free of Django start-up.
    names = [args_list[0]] if args_list and args_list[0] in COMMANDS else list(COMMANDS)
    args = build_parser(names).parse_args(args_list)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
