"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from fhb.offers.groups import group_choices
from fhb.standards.current import current_standard


def fhb_context(request: HttpRequest) -> dict[str, Any]:
    """The standard in force as pages name it: the municipality, and the Danish names of its groups and
    triggers by id (short: the label, "Målgruppe 3"; full: "Målgruppe 3: Alle borgere ..."), which the
    ``group_name`` tag (fhb.citizens.templatetags.citizens) looks up, so no page shows a group's id."""
    standard = current_standard()
    triggers = {t.id: t.label for group in standard.groups for t in group.triggers}
    full = dict(group_choices(standard))
    short = {**full, **{group.id: group.label for group in standard.groups}}
    return {
        "fhb_standard": settings.FHB_STANDARD,
        "fhb_municipality": standard.municipality.name,
        "fhb_group_names": short | triggers,
        "fhb_group_names_full": full | triggers,
        "fhb_debug": settings.DEBUG,
    }
