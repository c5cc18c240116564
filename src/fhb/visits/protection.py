"""Name and address protection: who may see a protected citizen's address.

The address of a citizen with "navne- og adressebeskyttelse" is shown only to those who need it to do the
work: the consultant who has a planned visit there, and the administrator who handles returned letters.
Everyone else sees that the address is protected, and the town.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from fhb.accounts.models import Role, User
from fhb.citizens.models import Citizen
from fhb.visits.models import Visit


def may_see_address(user: AbstractBaseUser | AnonymousUser, citizen: Citizen) -> bool:
    """``user`` may see ``citizen``'s address: it is not protected, or the user needs it for the work."""
    if not citizen.address_protected:
        return True
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return Visit.objects.open().filter(consultant=user, offers__citizen=citizen).exists()
