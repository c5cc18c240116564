"""The municipality's standard in force: the one place that reads ``FHB_STANDARD``.

Only the edges call :func:`current_standard`: views, commands, the worker and jobs. Everything they call
takes the standard as an argument, so a service never decides by itself which standard applies.

The folder of the municipality's own letter templates (:func:`letter_templates`) is read here too: the
setting ``FHB_LETTER_TEMPLATES``, else the standard's ``[letters] templates``. Either is checked once per
process before it is used (:mod:`fhb.core.letters.template_folder`): a template that does not compile is
refused with its file and line, as is a file name that is no letter kind.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from fhb.core.letters.template_folder import check_template_folder, template_folder_problems
from fhb.core.standard.loader import StandardError, StandardProblem, load_standard
from fhb.core.standard.schema import QualityStandard


def current_standard() -> QualityStandard:
    """The municipality's standard (``FHB_STANDARD``), loaded once per process and setting."""
    return standard_named(settings.FHB_STANDARD)


@lru_cache(maxsize=8)
def standard_named(name: str) -> QualityStandard:
    """A shipped standard by name, or a standard file by path, loaded once per process.

    A file whose ``[letters] templates`` folder fails :func:`template_folder_problems` is refused like any
    other broken file: :class:`StandardError` with ``letters.templates`` and, per problem, the template
    (relative to the standard file's folder) and line.
    """
    standard = load_standard(name)
    if standard.letters.templates is not None:
        base = Path(name).resolve().parent if "/" in name or name.endswith(".toml") else None
        problems = template_folder_problems(Path(standard.letters.templates), standard.id, base=base)
        if problems:
            raise StandardError(name, [StandardProblem("letters.templates", str(p)) for p in problems])
    return standard


def letter_templates() -> Path | None:
    """The folder of the municipality's own letter templates, or None: ``FHB_LETTER_TEMPLATES`` when set
    (checked once per process; :class:`~fhb.core.letters.template_folder.TemplateFolderError` when it
    fails), else the standard's ``[letters] templates`` (checked as the standard loads)."""
    standard = current_standard()
    if settings.FHB_LETTER_TEMPLATES:
        return _checked_folder(settings.FHB_LETTER_TEMPLATES, standard.id)
    return Path(standard.letters.templates) if standard.letters.templates else None


@lru_cache(maxsize=4)
def _checked_folder(folder: str, standard_id: str) -> Path:
    path = Path(folder).resolve()
    check_template_folder(path, standard_id)
    return path
