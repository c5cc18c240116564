"""Name and address protection: who may see a protected citizen's address.

The address of a citizen with "navne- og adressebeskyttelse" is shown only to those who need it to do the
work: the consultant who has a planned visit there, and the administrator who handles returned letters.
Everyone else sees that the address is protected, and the town.
"""

from __future__ import annotations

from typing import Any

from fhb.accounts.models import Role
from fhb.citizens.models import Citizen


def may_see_address(user: Any, citizen: Citizen) -> bool:
    if not citizen.address_protected:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    from fhb.visits.models import Visit  # the visits app builds on citizens, not the other way round

    return Visit.objects.open().filter(consultant=user, offers__citizen=citizen).exists()
