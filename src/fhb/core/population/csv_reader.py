"""The contract's two files on disk -> a Population, by the faster of the two parsers that can say.

:func:`read_population` first tries a citizens.csv of :data:`COLUMNAR_MIN_BYTES` or more with the columnar
reader (:mod:`fhb.core.population.columnar`), which gives the same Population many times faster, or None
when only the row parser can decide; the row parser (:func:`fhb.core.population.inputs.read_population_rows`)
reads everything else and says what is wrong, where and why.

Importing this module imports polars (through the columnar reader). Code that must not, the Django importer
and ``fhb eligibility`` until it has forked, takes the row parser's entry points from
:mod:`fhb.core.population.inputs` or imports this module later.

Pure: no Django, no clock, no I/O beyond reading the files it is given.
"""

from __future__ import annotations

import os

from fhb.core.population import columnar
from fhb.core.population.inputs import StrPath, read_population_rows
from fhb.core.population.model import Population

__all__ = ["COLUMNAR_MIN_BYTES", "read_population"]

#: A citizens.csv at least this large (about 7,000 persons) is first read by the columnar reader. Below
#: it, the columnar reader's fixed costs are more than it saves.
COLUMNAR_MIN_BYTES = 1_000_000


def _columnar_worth_it(citizens_path: StrPath) -> bool:
    try:
        return os.path.getsize(citizens_path) >= COLUMNAR_MIN_BYTES
    except OSError:
        return False


def read_population(citizens_path: StrPath, events_path: StrPath | None = None) -> Population:
    """Parse citizens.csv (and events.csv) files into a Population; raises InvalidInput.

    Events about CPR numbers not in the citizens file are errors. Problems of both files are reported.
    A large, regular file is read column by column (:mod:`fhb.core.population.columnar`), with the same
    result.
    """
    if _columnar_worth_it(citizens_path):
        found = columnar.read_population(citizens_path, events_path)
        if found is not None:
            return found
    return read_population_rows(citizens_path, events_path)
