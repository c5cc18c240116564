"""The stored population as the engine sees it: the citizens of the latest extract with their facts, and
each "never again" answer as a fact of its own (:mod:`fhb.offers.declined`)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from fhb.citizens.importer import load_stored
from fhb.citizens.models import Citizen
from fhb.core.eligibility import Explanation, explain
from fhb.core.population.model import Population
from fhb.core.standard.schema import QualityStandard
from fhb.offers.declined import declined_all_events


def stored_population() -> Population:
    """The citizens of the latest extract and their facts, as core records."""
    citizens, _, events = load_stored(Citizen.objects.filter(in_extract=True))
    return Population(tuple(citizens.values()), (*events, *declined_all_events()))


def household_population(citizen: Citizen) -> Population:
    """The citizen, everyone at the address and the spouse: what one explanation needs."""
    cprs = set(Citizen.objects.filter(dwelling_id=citizen.dwelling_id).values_list("cpr", flat=True))
    cprs.add(citizen.cpr)
    if citizen.spouse_cpr:
        cprs.add(citizen.spouse_cpr)
    citizens, _, events = load_stored(Citizen.objects.filter(cpr__in=cprs))
    return Population(tuple(citizens.values()), (*events, *declined_all_events(cprs)))


def explain_citizen(citizen: Citizen, year: int, on: date, standard: QualityStandard) -> Explanation:
    """Every group of ``standard`` considered for ``citizen`` in ``year``, judged on ``on``, with the
    clauses. A housemate or partner with address protection is not named: that would tell where she
    lives (docs/operations.md, "Protection")."""
    population = household_population(citizen)
    explanation = explain(standard, population, citizen.cpr, year, on)
    protected = {c.cpr for c in population.citizens if c.address_protected and c.cpr != citizen.cpr}
    return (
        without_cprs(explanation, protected, _("en borger med adressebeskyttelse"))
        if protected
        else explanation
    )


def without_cprs(value: Any, cprs: set[str], instead: str) -> Any:
    """``value`` (an explanation, or any part of one) with each of ``cprs`` written as ``instead``."""
    if isinstance(value, str):
        for cpr in cprs:
            value = value.replace(cpr, instead)
        return value
    if isinstance(value, tuple):
        return tuple(without_cprs(item, cprs, instead) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {
            f.name: without_cprs(getattr(value, f.name), cprs, instead) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changed)
    return value
