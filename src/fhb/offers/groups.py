"""The target groups an offer can be in, as a page names them: the standard's groups and requests."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext

from fhb.core.standard.schema import QualityStandard
from fhb.offers.requests import REQUEST_GROUP


def group_choices(standard: QualityStandard) -> list[tuple[str, str]]:
    """The standard's target groups (and offers made on request) as (group id, Danish name)."""
    choices = [(group.id, group.name) for group in standard.groups]
    return [*choices, (REQUEST_GROUP, gettext("Henvendelse"))]


def group_filter_choices(standard: QualityStandard) -> list[tuple[str, str]]:
    """:func:`group_choices` with "all groups" first: a filter's choices."""
    return [("", gettext("Alle målgrupper")), *group_choices(standard)]


def group_order(standard: QualityStandard) -> Callable[[str], tuple[int, str]]:
    """A sort key for group ids in the order the standard lists its groups (Målgruppe 1 first, not the ids'
    alphabetical order); offers on request and groups the standard no longer has come after them."""
    rank = {group.id: i for i, group in enumerate(standard.groups)}
    return lambda group: (rank.get(group, len(rank)), group)
