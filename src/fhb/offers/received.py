"""A date of receipt cannot lie in the future: the one message for answers, requests and referrals."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _


def future_receipt(what: str, received: date, today: date) -> str:
    """Why ``received`` cannot be the day ``what`` ("Svaret", "Henvendelsen") was received, or ""."""
    if received <= today:
        return ""
    return _(
        "%(what)s kan ikke være modtaget i fremtiden: %(received)s ligger efter i dag (%(today)s). "
        "Ret datoen."
    ) % {"what": what, "received": f"{received:%d.%m.%Y}", "today": f"{today:%d.%m.%Y}"}
