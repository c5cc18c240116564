from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import template

from fhb.citizens.models import Citizen
from fhb.citizens.protection import public_address as address
from fhb.core.cpr import format_cpr
from fhb.core.letters.texts import format_short_date

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


@register.filter
def cpr(number: str) -> str:
    """A CPR number as people read it: ``DDMMÅÅ-SSSS`` (anything else unchanged)."""
    try:
        return format_cpr(str(number))
    except ValueError:
        return str(number)


_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)")
_BARE_CPR = re.compile(r"(?<![\d-])(\d{6})(\d{4})(?!\d)")


def _danish_date(match: re.Match[str]) -> str:
    try:
        return format_short_date(date(int(match[1]), int(match[2]), int(match[3])))
    except ValueError:
        return match[0]


@register.filter
def plain_danish(text: Any) -> str:
    """A text made for a machine as well as a person (an offer's reason, which the eligibility contract
    fixes with ISO dates and bare CPR numbers) as a page shows it: ``11. oktober 2027``, ``010140-1234``."""
    return _BARE_CPR.sub(r"\1-\2", _ISO_DATE.sub(_danish_date, str(text)))


@register.simple_tag(takes_context=True)
def group_name(context: template.Context, group_id: str, *, full: bool = False) -> str:
    """The standard's name of a target group or trigger (``age80`` -> "Målgruppe 3"; with ``full``, "Målgruppe
    3: Alle borgere i det år de fylder 80"), from ``fhb_group_names`` (fhb.web.context); the id itself when
    the standard does not know it (an offer from an older standard)."""
    names = context.get("fhb_group_names_full" if full else "fhb_group_names") or {}
    return str(names.get(group_id, group_id))
