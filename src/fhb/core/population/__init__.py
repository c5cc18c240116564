"""The population extract and the care system's facts as plain data."""

from fhb.core.population.model import (
    CIVIL_STATUS_CODES,
    EVENT_KINDS,
    Citizen,
    Event,
    InputProblem,
    InvalidInput,
    Population,
)

__all__ = [
    "CIVIL_STATUS_CODES",
    "EVENT_KINDS",
    "Citizen",
    "Event",
    "InputProblem",
    "InvalidInput",
    "Population",
]
