"""Requests (henvendelser): a citizen, a relative or staff asks for a visit; the standard sets who may
ask, with whose consent, and the deadline for a decision (Hjørring: 3 weeks).

A granted request becomes an offer of its own (origin *request*) that a later run never withdraws: the
consultant's professional judgement decided it, not the standard's groups.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fhb.citizens.models import Citizen
from fhb.core.standard.schema import QualityStandard
from fhb.offers.models import Offer, Request
from fhb.offers.service import current_standard

REQUEST_GROUP = "request"


class RequestError(Exception):
    """The request cannot be registered or decided as asked; the message says why, in Danish."""


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


def register_request(
    citizen: Citizen,
    *,
    received: date,
    came_from: str,
    channel: str,
    consent: bool = False,
    contact_name: str = "",
    note: str = "",
    user: Any = None,
) -> Request:
    standard = current_standard()
    allowed = standard.requests.who_may_ask if standard.requests is not None else ["citizen"]
    if came_from not in allowed:
        label = Request.From(came_from).label
        raise RequestError(
            _("Kvalitetsstandarden giver ikke mulighed for henvendelser fra: %(who)s.") % {"who": label}
        )
    if came_from != Request.From.CITIZEN and not consent:
        raise RequestError(_("En henvendelse fra pårørende eller personale kræver borgerens samtykke."))
    return Request.objects.create(
        citizen=citizen,
        received=received,
        came_from=came_from,
        channel=channel,
        consent=consent or came_from == Request.From.CITIZEN,
        contact_name=contact_name,
        note=note,
        deadline=deadline(received, standard),
        user=user,
    )


def decide_request(request: Request, *, granted: bool, reason: str, today: date, user: Any = None) -> Request:
    """Grant (an offer is created) or refuse the request; the reason is required either way."""
    if request.status != Request.Status.PENDING:
        raise RequestError(_("Henvendelsen er allerede afgjort."))
    if not reason.strip():
        raise RequestError(_("Skriv begrundelsen for afgørelsen."))
    standard = current_standard()
    with transaction.atomic():
        if granted:
            clause = standard.requests.clause if standard.requests is not None else ""
            request.offer = Offer.objects.create(
                citizen=request.citizen,
                year=today.year,
                group=REQUEST_GROUP,
                decision=Offer.Decision.OFFER,
                letter=Offer.Letter.WITH_TIME,
                response=Offer.Response.OPT_OUT,
                due_from=today,
                due_to=max(today, request.deadline or today) + timedelta(days=90),
                reason=_("Bevilget efter henvendelse: %(reason)s") % {"reason": reason},
                rule_id=standard.requests.id if standard.requests is not None else REQUEST_GROUP,
                clause="\n".join(clause) if isinstance(clause, list) else clause,
                duration_min=standard.visit.duration_min,
                origin=Offer.Origin.REQUEST,
                offered_on=today,
            )
        request.status = Request.Status.GRANTED if granted else Request.Status.REFUSED
        request.decision_reason, request.decided_on, request.decided_by = reason, today, user
        request.save()
    return request
