from __future__ import annotations

from django import template
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from fhb.citizens.models import Citizen
from fhb.visits.protection import may_see_address

register = template.Library()


@register.filter
def address_for(citizen: Citizen, user: AbstractBaseUser | AnonymousUser) -> str:
    """The citizen's address as this user may see it: "Adressebeskyttet, <town>" when it is protected from
    the user (fhb.visits.protection)."""
    dwelling = citizen.dwelling
    if not may_see_address(user, citizen):
        return _("Adressebeskyttet, %(city)s") % {"city": dwelling.city}
    return f"{dwelling.street}, {dwelling.postcode} {dwelling.city}"
