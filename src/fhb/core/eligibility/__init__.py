"""The eligibility engine: a quality standard evaluated over a population, every decision explained.

``evaluate(standard, population, year, on=None)`` gives the rows of ``fhb eligibility``;
``explain(standard, population, cpr, year, on=None)`` gives, for one citizen, every group considered and
each condition with the data behind it; ``render_explanation`` writes that as Danish text.
"""

from fhb.core.eligibility.engine import Engine, evaluate, sort_key
from fhb.core.eligibility.explain import UnknownCitizen, explain, render_explanation
from fhb.core.eligibility.model import (
    COLUMNS,
    NO_GROUP,
    Condition,
    Decision,
    Explanation,
    GroupCheck,
)

__all__ = [
    "COLUMNS",
    "NO_GROUP",
    "Condition",
    "Decision",
    "Engine",
    "Explanation",
    "GroupCheck",
    "UnknownCitizen",
    "evaluate",
    "explain",
    "render_explanation",
    "sort_key",
]
