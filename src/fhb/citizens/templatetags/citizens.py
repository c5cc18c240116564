from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.translation import gettext as _

from fhb.citizens.models import Citizen

register = template.Library()


@register.filter
def age_on(citizen: Citizen, on: date) -> int:
    """Completed years of age of ``citizen`` on ``on``."""
    return citizen.age_on(on)


@register.filter
def address_for(citizen: Any, user: Any) -> str:
    """The citizen's address as this user may see it: "Adressebeskyttet, <town>" when it is protected from
    the user (fhb.citizens.protection)."""
    from fhb.citizens.protection import may_see_address

    dwelling = getattr(citizen, "dwelling", None)
    if dwelling is None:
        return ""
    if not may_see_address(user, citizen):
        return _("Adressebeskyttet, %(city)s") % {"city": dwelling.city}
    return f"{dwelling.street}, {dwelling.postcode} {dwelling.city}"
