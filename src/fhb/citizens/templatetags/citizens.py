from __future__ import annotations

from datetime import date

from django import template

from fhb.citizens.models import Citizen
from fhb.citizens.protection import public_address as address

register = template.Library()


@register.filter
def age_on(citizen: Citizen, on: date) -> int:
    """Completed years of age of ``citizen`` on ``on``."""
    return citizen.age_on(on)


@register.filter
def public_address(citizen: Citizen) -> str:
    """The citizen's address as lists, calendars and forms show it: "Adressebeskyttet, <town>" when it is
    protected (fhb.citizens.protection)."""
    return address(citizen)
