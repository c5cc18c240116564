"""Name and address protection (navne- og adressebeskyttelse) of the population: whose address is
protected, and the address as every page but two shows it.

A protected citizen's address is shown in one place only: to the consultant assigned to a planned visit
there, on that visit's page and on her own day (:mod:`fhb.visits.protection`), and each showing is logged.
Everywhere else (lists, calendars, maps, the calendar feed, letters' PDFs, exports, the admin) it is
"Adressebeskyttet" and the town, and coordinates count as the address. The protection covers the
dwelling: an unprotected housemate's page shows no more of the shared address than the protected
citizen's own page does.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from fhb.citizens.models import Citizen, Dwelling


def dwelling_protected(dwelling: Dwelling) -> bool:
    """Someone living at ``dwelling`` has address protection (kept on the instance once asked)."""
    known: bool | None = getattr(dwelling, "_fhb_protected", None)
    if known is None:
        known = dwelling.residents.filter(address_protected=True).exists()
        dwelling._fhb_protected = known  # type: ignore[attr-defined]
    return known


def learn_protection(citizens: Iterable[Citizen]) -> None:
    """Ask once for the dwellings of ``citizens`` (a page of a list) whether someone there is protected,
    so that showing their addresses costs one query, not one per row."""
    citizens = list(citizens)
    protected = set(
        Citizen.objects.filter(
            dwelling_id__in={c.dwelling_id for c in citizens}, address_protected=True
        ).values_list("dwelling_id", flat=True)
    )
    for citizen in citizens:  # each row has its own instance of a shared dwelling
        citizen.dwelling._fhb_protected = citizen.dwelling_id in protected  # type: ignore[attr-defined]


def address_protected(citizen: Citizen) -> bool:
    """The citizen's address is protected: her own protection, or a housemate's."""
    return citizen.address_protected or dwelling_protected(citizen.dwelling)


def public_address(citizen: Citizen) -> str:
    """The address as every page but two shows it: "Adressebeskyttet, <town>" when it is protected."""
    dwelling = citizen.dwelling
    if address_protected(citizen):
        return _("Adressebeskyttet, %(city)s") % {"city": dwelling.city}
    return f"{dwelling.street}, {dwelling.postcode} {dwelling.city}"
