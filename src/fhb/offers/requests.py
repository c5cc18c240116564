"""Requests (henvendelser): a citizen, a relative or staff asks for a visit; the standard sets who may
ask, with whose consent, and the deadline for a decision (Hjørring: 3 weeks).

A granted request becomes an offer of its own (origin *request*) that a later run never withdraws: the
consultant's professional judgement decided it, not the standard's groups. Registering and deciding are
actions (:mod:`fhb.offers.actions`); this module holds the rules they share with the pages.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from fhb.citizens.models import Citizen
from fhb.core.standard.schema import QualityStandard
from fhb.offers.received import future_receipt

REQUEST_GROUP = "request"


class RequestError(Exception):
    """The request cannot be registered or decided as asked; the message says why, in Danish."""


def check_received(received: date, today: date) -> None:
    """Raise :class:`RequestError` when the request's date of receipt lies after ``today``."""
    problem = future_receipt(_("Henvendelsen"), received, today)
    if problem:
        raise RequestError(problem)


def deadline(received: date, standard: QualityStandard) -> date | None:
    if standard.requests is None or standard.requests.deadline_days is None:
        return None
    return received + timedelta(days=standard.requests.deadline_days)


def age_note(citizen: Citizen, on: date, standard: QualityStandard) -> str:
    """Whether the citizen's age is one the standard names for requests, in Danish (empty if none)."""
    if standard.requests is None or not standard.requests.age_ranges:
        return ""
    age = citizen.age_on(on)
    ranges = ", ".join(
        f"{r.min_years}" if r.min_years == r.max_years else f"{r.min_years}–{r.max_years}"
        for r in standard.requests.age_ranges
    )
    if any(r.min_years <= age <= r.max_years for r in standard.requests.age_ranges):
        return _("Borgeren er %(age)s år: inden for standardens aldre for henvendelser (%(ranges)s år).") % {
            "age": age,
            "ranges": ranges,
        }
    return _(
        "Borgeren er %(age)s år: uden for standardens aldre for henvendelser (%(ranges)s år); afgøres ud fra "
        "en faglig vurdering."
    ) % {"age": age, "ranges": ranges}
