"""Where a protected address is shown: on a visit's page and on its consultant's day, to the consultant
assigned to the planned visit (:func:`fhb.visits.rules.may`, ``see_protected_address``), and nowhere else
(:mod:`fhb.citizens.protection` gives the address as every other page shows it)."""

from __future__ import annotations

from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.citizens.protection import address_protected
from fhb.visits.models import Visit
from fhb.visits.rules import may


def may_see_address(user: User | None, citizen: Citizen, visit: Visit) -> bool:
    """On a visit's page or its consultant's day: ``user`` may see ``citizen``'s address there."""
    return not address_protected(citizen) or may(user, "see_protected_address", visit)
