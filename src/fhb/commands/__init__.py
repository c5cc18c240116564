"""Subcommands of the ``fhb`` command line, one module each.

Every module defines ``help`` (one line, English), ``add_arguments(parser)`` and ``run(args) -> int``
(the exit code). Commands that need the database call :func:`fhb.commands.django_setup` first and import
what they use after it (inside ``run``); the pure ones (``synth``, ``eligibility``, ``explain``, ...) never
touch Django, so that they start fast.
"""

from __future__ import annotations

import os


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
