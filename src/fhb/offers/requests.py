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
from fhb.offers.models import Offer
from fhb.offers.received import future_receipt

REQUEST_GROUP = "request"
#: The answers that decline an offer.
DECLINED_REPLIES = (Offer.Reply.NO, Offer.Reply.NEVER_AGAIN)


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


def declined_offer(citizen: Citizen, year: int) -> Offer | None:
    """The citizen's offer of ``year`` she said no (or never again) to, if any."""
    return (
        Offer.objects.filter(
            citizen=citizen, year=year, status=Offer.Status.ACTIVE, reply__in=DECLINED_REPLIES
        )
        .order_by("reply_date", "pk")
        .first()
    )


def declined_note(citizen: Citizen, on: date, standard: QualityStandard) -> str:
    """What the standard's ``declined_may_ask_later`` means for this citizen, in Danish (empty when she
    declined no offer of the year): a request may be granted, or (false) may not."""
    declined = declined_offer(citizen, on.year)
    if declined is None:
        return ""
    said = _("Borgeren takkede nej til årets tilbud")
    if declined.reply_date is not None:
        said += _(" den %(day)s") % {"day": f"{declined.reply_date:%d.%m.%Y}"}
    if standard.requests is None or standard.requests.declined_may_ask_later:
        return said + _("; kvalitetsstandarden giver borgeren mulighed for senere at bede om et besøg.")
    return said + _(
        "; kvalitetsstandarden giver ikke en borger, der har takket nej, mulighed for at få et besøg efter "
        "henvendelse i samme år."
    )


def check_may_grant(citizen: Citizen, on: date, standard: QualityStandard) -> None:
    """Raise :class:`RequestError` when the standard's ``declined_may_ask_later`` is false and the citizen
    declined an offer of the year of ``on``."""
    if standard.requests is None or standard.requests.declined_may_ask_later:
        return
    if declined_offer(citizen, on.year) is not None:
        raise RequestError(declined_note(citizen, on, standard) + " " + _("Henvendelsen kan kun afslås."))


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
