"""Quality standards as data: the TOML file format (:mod:`.schema`) and loading it (:mod:`.loader`)."""

from fhb.core.standard.loader import (
    StandardError,
    StandardProblem,
    available_standards,
    load_standard,
    parse_standard,
)
from fhb.core.standard.schema import (
    Exemption,
    Handover,
    QualityStandard,
    TargetGroup,
    Trigger,
)

__all__ = [
    "Exemption",
    "Handover",
    "QualityStandard",
    "StandardError",
    "StandardProblem",
    "TargetGroup",
    "Trigger",
    "available_standards",
    "load_standard",
    "parse_standard",
]
