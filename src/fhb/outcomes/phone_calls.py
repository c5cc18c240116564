"""Record a call to a citizen whose offer is made by phone (a group's ``letter = "phone"``, issue 20).

- *reached, wants a visit*: the answer "yes" is registered (channel phone); the consultant books the visit
  with the booking tool next.
- *reached, declines*: the answer "no" is registered (channel phone); the offer's open work closes as for
  any "no" (:func:`fhb.offers.answers.apply_answer`).
- *not reached*: a try is counted. After the standard's ``[deadlines] contact_tries`` tries, a letter without
  a time is queued (the group's response, opt-in or opt-out, is kept); a letter that cannot be written yet
  is left for the next sending of the run's letters, which then includes the offer
  (:func:`fhb.letters.sending.offers_without_letter`).

One durable transaction a call, the offer locked first, so a second press of the same button changes
nothing: a second answer, a try once the tries are used up, or two tries on one day are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.db import transaction
from django.utils.translation import gettext as _

from fhb.accounts.models import Role, User
from fhb.action_log import actor, log_after_commit
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.letters.sending import send_offer_letters
from fhb.offers.answers import apply_answer
from fhb.offers.models import Channel, Offer

Outcome = Literal["yes", "no", "not_reached"]
OUTCOMES: tuple[Outcome, ...] = ("yes", "no", "not_reached")

#: Who may record a call: a consultant or a leader (an administrator holds every role).
CALLER_ROLES = (Role.CONSULTANT, Role.LEADER)


class CallError(Exception):
    """The call cannot be recorded; the message says why, in Danish."""


@dataclass(frozen=True)
class CallResult:
    """What recording the call did: the tries so far, and whether the letter after the last try went out
    (``waiting``: why it could not be written yet)."""

    outcome: Outcome
    tries: int
    letter_queued: bool = False
    waiting: str = ""


def may_call(user: User | None) -> bool:
    """``user`` may record a call (``None``: fhb itself)."""
    return user is None or user.has_role(*CALLER_ROLES)


def calls_left(offer: Offer, standard: QualityStandard) -> int:
    """The tries left before the letter goes out."""
    return max(0, standard.deadlines.contact_tries - offer.call_tries)


def check_callable(offer: Offer, standard: QualityStandard) -> None:
    """Raise :class:`CallError` when no call can be recorded on ``offer`` (any more)."""
    if offer.letter != Offer.Letter.PHONE:
        raise CallError(_("Tilbuddet gives ikke ved telefonopkald."))
    if not offer.is_open:
        raise CallError(_("Tilbuddet er ikke længere åbent."))
    if offer.reply != Offer.Reply.NONE:
        raise CallError(_("Borgerens svar er allerede registreret."))
    if calls_left(offer, standard) == 0:
        raise CallError(_("Alle forsøg på at ringe er brugt; borgeren får tilbuddet med brev."))


@transaction.atomic(durable=True)
def record_call(
    offer: Offer,
    outcome: Outcome,
    *,
    today: date,
    standard: QualityStandard,
    note: str = "",
    user: User | None = None,
) -> CallResult:
    """Record one call about ``offer`` (see the module's description)."""
    if not may_call(user):
        raise CallError(_("Kun en konsulent eller en leder kan registrere et opkald."))
    if outcome not in OUTCOMES:
        raise CallError(_("Vælg, hvordan opkaldet gik."))
    locked = Offer.objects.select_for_update().select_related("citizen").get(pk=offer.pk)
    check_callable(locked, standard)
    note = note.strip()
    if outcome in ("yes", "no"):
        reply = Offer.Reply.YES if outcome == "yes" else Offer.Reply.NO
        apply_answer(
            locked,
            reply,
            channel=Channel.PHONE,
            received=today,
            today=today,
            standard=standard,
            note=note,
            user=user,
        )
        log_after_commit("Tilbud %s: opkald, svar %s, registreret af %s", locked.pk, reply, actor(user))
        return CallResult(outcome, locked.call_tries)
    if locked.last_call_on == today and locked.call_tries:
        raise CallError(_("Der er allerede registreret et forsøg i dag; prøv igen en anden dag."))
    locked.call_tries += 1
    locked.last_call_on = today
    most = standard.deadlines.contact_tries
    tried = _("Opkald %(n)s af %(most)s: ikke truffet") % {"n": locked.call_tries, "most": most}
    if note:
        tried += ". " + note
    save_with_reason(locked, tried, update_fields=["call_tries", "last_call_on"])
    log_after_commit("Tilbud %s: opkald %s, ikke truffet, af %s", locked.pk, locked.call_tries, actor(user))
    if locked.call_tries < most:
        return CallResult(outcome, locked.call_tries)
    dispatch = send_offer_letters(
        [locked],
        today=today,
        standard=standard,
        user=user,
        description=_("Brev efter %(n)s opkald uden svar") % {"n": locked.call_tries},
    )
    waiting = "; ".join(dispatch.summary.get("waiting", {}))
    return CallResult(
        outcome, locked.call_tries, letter_queued=dispatch.summary["queued"] > 0, waiting=waiting
    )
