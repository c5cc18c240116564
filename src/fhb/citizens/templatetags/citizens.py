from __future__ import annotations

from datetime import date

from django import template

from fhb.citizens.models import Citizen

register = template.Library()


@register.filter
def age_on(citizen: Citizen, on: date) -> int:
    """Completed years of age of ``citizen`` on ``on``."""
    return citizen.age_on(on)
