"""The target groups an offer can be in, as a page names them: the standard's groups and requests."""

from __future__ import annotations

from django.utils.translation import gettext

from fhb.core.standard.schema import QualityStandard
from fhb.offers.requests import REQUEST_GROUP


def group_choices(standard: QualityStandard) -> list[tuple[str, str]]:
    """The standard's target groups (and offers made on request) as (group id, Danish name)."""
    choices = [
        (group.id, group.title if group.title.startswith(group.label) else f"{group.label}: {group.title}")
        for group in standard.groups
    ]
    return [*choices, (REQUEST_GROUP, gettext("Henvendelse"))]


def group_filter_choices(standard: QualityStandard) -> list[tuple[str, str]]:
    """:func:`group_choices` with "all groups" first: a filter's choices."""
    return [("", gettext("Alle målgrupper")), *group_choices(standard)]
