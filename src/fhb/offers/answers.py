"""Register a citizen's answer to an offer and carry out what it means.

- *yes*: an opt-in offer now waits for a time (the consultant may book one at once); an opt-out offer's
  visit simply stays.
- *no*: the planned visit is declined; unsent letters and open follow-ups are cancelled.
- *another time*: the visit moves to the new time given (a new-time letter is queued), or, with no time
  given, is released and the offer waits for a new one.
- *never again*: only where the standard honours it (an exemption on the ``declined_all`` fact): as *no*,
  and every later run exempts the citizen (:func:`declined_all_events` feeds the engine the fact).

Any answer closes the offer's open follow-up: the citizen has answered.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fhb.core.letters.model import LetterKind
from fhb.core.standard.schema import QualityStandard
from fhb.letters.compose import appointment
from fhb.letters.sending import send_visit_letter
from fhb.offers.closing import close_open_work
from fhb.offers.declined import honours_never_again
from fhb.offers.models import Answer, FollowUp, Offer
from fhb.offers.service import current_standard
from fhb.visits.models import Visit


class AnswerError(Exception):
    """The answer cannot be registered; the message says why, in Danish."""


def register_answer(
    offer: Offer,
    reply: str,
    *,
    channel: str,
    received: date,
    note: str = "",
    user: Any = None,
    new_start: datetime | None = None,
    today: date | None = None,
) -> Answer:
    """Store the answer and change the offer, its visit and its letters as the answer says."""
    standard = current_standard()
    if offer.status != Offer.Status.ACTIVE or offer.decision != Offer.Decision.OFFER:
        raise AnswerError(_("Tilbuddet er ikke gældende, så der kan ikke registreres et svar på det."))
    if reply == Offer.Reply.NEVER_AGAIN and not honours_never_again(standard):
        raise AnswerError(
            _(
                "Kvalitetsstandarden giver ikke borgeren mulighed for at frabede sig tilbud fremover; "
                "registrér et nej."
            )
        )
    if new_start is not None and reply not in (Offer.Reply.YES, Offer.Reply.OTHER_TIME):
        raise AnswerError(_("Et nyt tidspunkt kan kun angives ved ja eller et andet tidspunkt."))
    with transaction.atomic():
        answer = Answer.objects.create(
            offer=offer, reply=reply, channel=channel, received=received, note=note, user=user
        )
        offer.reply, offer.reply_date = reply, received
        offer._change_reason = _("Svar registreret: %(reply)s") % {"reply": answer.get_reply_display()}  # type: ignore[attr-defined]
        offer.save(update_fields=["reply", "reply_date"])
        FollowUp.objects.filter(offer=offer, status=FollowUp.Status.OPEN).update(
            status=FollowUp.Status.CLOSED, note=_("Borgeren har svaret.")
        )
        if reply in (Offer.Reply.NO, Offer.Reply.NEVER_AGAIN):
            close_open_work([offer], _("Borgeren har takket nej."), visit_status=Visit.Status.DECLINED)
        elif new_start is not None:
            _book(offer, new_start, standard, today=today or received, user=user)
        elif reply == Offer.Reply.OTHER_TIME:
            close_open_work([offer], _("Borgeren ønsker et andet tidspunkt; afventer ny tid."))
    return answer


def _book(offer: Offer, start: datetime, standard: QualityStandard, *, today: date, user: Any) -> Visit:
    """Give the offer a visit at ``start`` (moving the planned one); tell the citizen if it moved. A time
    agreed with the citizen is fixed: the planner never moves it."""
    from fhb.planning.booking import BookingError, hand_set_time  # planning builds on offers

    minutes = offer.duration_min or standard.visit.duration_min
    visit = offer.visits.filter(status=Visit.Status.PLANNED).first()
    try:
        if visit is None:
            consultant = user if getattr(user, "pk", None) else None
            end = start + timedelta(minutes=minutes)
            return hand_set_time(Visit(start=start, end=end, consultant=consultant, fixed=True), [offer])
        previous = appointment(visit)
        visit.start, visit.end, visit.fixed = start, start + timedelta(minutes=minutes), True
        visit._change_reason = _("Flyttet efter aftale med borgeren")  # type: ignore[attr-defined]
        hand_set_time(visit)
    except BookingError as error:
        raise AnswerError(str(error)) from error
    if offer.letters.exclude(status="cancelled").exists():
        send_visit_letter(
            LetterKind.NEW_TIME, visit, today=today, user=user, previous=previous, standard=standard
        )
    return visit
