"""A citizen's answer to an offer, and what it means for the offer's open work.

- *yes*: an opt-in offer now waits for a time (the consultant may book one at once); an opt-out offer's
  visit simply stays.
- *no*: the planned visit is declined; unsent letters and open follow-ups are cancelled.
- *another time*: the visit moves to the new time given (:func:`fhb.planning.actions.answer_with_time`),
  or, with no time given, is released and the offer waits for a new one.
- *never again*: only where the standard honours it (an exemption on the ``declined_all`` fact): as *no*,
  and every later run exempts the citizen (:func:`declined_all_events` feeds the engine the fact).

Any answer closes the offer's open follow-up (the citizen has answered), unless the group's follow-up is
``when = "always"`` (:func:`answer_closes_follow_up`); a *no* closes it with the rest of the open work.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from fhb.accounts.models import User
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.offers.closing import close_open_work
from fhb.offers.declined import honours_never_again
from fhb.offers.models import Answer, FollowUp, Offer
from fhb.offers.received import future_receipt


class AnswerError(Exception):
    """The answer cannot be registered; the message says why, in Danish."""


def check_answer(offer: Offer, reply: str, standard: QualityStandard) -> None:
    """Raise :class:`AnswerError` when ``reply`` cannot be registered on ``offer``."""
    if offer.status != Offer.Status.ACTIVE or offer.decision != Offer.Decision.OFFER:
        raise AnswerError(_("Tilbuddet er ikke gældende, så der kan ikke registreres et svar på det."))
    if reply == Offer.Reply.NEVER_AGAIN and not honours_never_again(standard):
        raise AnswerError(
            _(
                "Kvalitetsstandarden giver ikke borgeren mulighed for at frabede sig tilbud fremover; "
                "registrér et nej."
            )
        )


def answer_closes_follow_up(offer: Offer, standard: QualityStandard) -> bool:
    """Whether an answer closes the offer's open follow-up: yes unless its group's ``follow_up.when`` is
    ``"always"`` (a follow-up whether or not the citizen answered)."""
    try:
        follow_up = standard.group(offer.group).follow_up
    except KeyError:
        return True
    return follow_up is None or follow_up.when != "always"


def check_received(received: date, today: date) -> None:
    """Raise :class:`AnswerError` when the answer's date of receipt lies after ``today``."""
    problem = future_receipt(_("Svaret"), received, today)
    if problem:
        raise AnswerError(problem)


def apply_answer(
    offer: Offer,
    reply: str,
    *,
    channel: str,
    received: date,
    today: date,
    standard: QualityStandard,
    note: str = "",
    user: User | None = None,
    new_time_follows: bool = False,
) -> Answer:
    """Store the answer and close the open work it closes; the caller holds the transaction.

    ``new_time_follows``: the caller books the new time the citizen asked for, so *another time* keeps
    the visit for the caller to move instead of releasing it. An answer received after ``today`` is
    refused (:func:`check_received`).
    """
    check_answer(offer, reply, standard)
    check_received(received, today)
    answer = Answer.objects.create(
        offer=offer, reply=reply, channel=channel, received=received, note=note, user=user
    )
    offer.reply, offer.reply_date = reply, received
    save_with_reason(
        offer,
        _("Svar registreret: %(reply)s") % {"reply": answer.get_reply_display()},
        update_fields=["reply", "reply_date"],
    )
    if answer_closes_follow_up(offer, standard):
        FollowUp.objects.filter(offer=offer, status=FollowUp.Status.OPEN).update(
            status=FollowUp.Status.CLOSED, note=_("Borgeren har svaret.")
        )
    if reply in (Offer.Reply.NO, Offer.Reply.NEVER_AGAIN):
        close_open_work([offer], _("Borgeren har takket nej."), declined=True)
    elif reply == Offer.Reply.OTHER_TIME and not new_time_follows:
        close_open_work([offer], _("Borgeren ønsker et andet tidspunkt; afventer ny tid."))
    return answer
