"""Subcommands of the ``fhb`` command line, one module each.

Every module defines ``help`` (one line, English), ``add_arguments(parser)`` and ``run(args) -> int``
(the exit code). Commands that need the database call :func:`fhb.commands.django_setup` first and import
what they use after it (inside ``run``); the pure ones (``synth``, ``eligibility``, ``explain``, ...) never
touch Django, so that they start fast.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_municipality_argument(parser: argparse.ArgumentParser) -> None:
    """``--municipality FILE``, for the commands that build a synthetic municipality (synth, demo-setup)."""
    parser.add_argument(
        "--municipality",
        type=Path,
        metavar="FILE",
        help=(
            "the municipality's figures and towns (a .toml file, see docs/synthetic-data.md); default:"
            " municipality.toml beside the standard file, else the shipped figures of its municipality code"
        ),
    )


def django_setup() -> None:
    """Configure Django for a command that needs the database (settings from the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fhb.web.settings")
    import django

    django.setup()


def run_django_command(words: list[str]) -> None:
    """Hand ``words`` (``migrate``, ``runserver 0:8000``, ...) to Django's ``manage.py``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fhb.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fhb", *words])
