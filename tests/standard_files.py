"""A standard file in force for a test: tests of a municipality given as a file (Ærø's, Køge's in
tests/data/standards) set ``FHB_STANDARD`` to it with the loader's caches cleared before and after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fhb.standards import current


def standard_file_in_force(settings: Any, path: Path) -> Iterator[None]:
    """For an autouse fixture: ``yield from standard_file_in_force(settings, PATH)``."""
    current.standard_named.cache_clear()
    current._checked_folder.cache_clear()
    settings.FHB_STANDARD = str(path)
    yield
    current.standard_named.cache_clear()
    current._checked_folder.cache_clear()
