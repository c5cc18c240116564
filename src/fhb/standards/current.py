"""The municipality's standard in force: the one place that reads ``FHB_STANDARD``.

Only the edges call :func:`current_standard`: views, commands, the worker and jobs. Everything they call
takes the standard as an argument, so a service never decides by itself which standard applies.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from fhb.core.standard.loader import load_standard
from fhb.core.standard.schema import QualityStandard


def current_standard() -> QualityStandard:
    """The municipality's standard (``FHB_STANDARD``), loaded once per process and setting."""
    return standard_named(settings.FHB_STANDARD)


@lru_cache(maxsize=8)
def standard_named(name: str) -> QualityStandard:
    """A shipped standard by name, or a standard file by path, loaded once per process."""
    return load_standard(name)
