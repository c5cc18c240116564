"""Subcommands of the ``fhb`` command line, one module each.

Every module defines ``help`` (one line, English), ``add_arguments(parser)`` and ``run(args) -> int``
(the exit code). Commands that need the database call :func:`fhb.commands.django_setup` first; the pure
ones (``synth``, ``eligibility``, ``explain``, ...) never touch Django.
"""

from __future__ import annotations

import os


def django_setup() -> None:
    """Configure Django for a command that needs the database (settings from the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fhb.web.settings")
    import django

    django.setup()
