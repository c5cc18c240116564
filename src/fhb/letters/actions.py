"""The letters' workflows, one function each: send a run's letters, write the note left at a closed door
by hand, and carry out a follow-up (by letter or by a note that it was done).

Each is one durable transaction called from the edges with the standard in force passed down; a letter
that cannot be written yet raises :class:`~fhb.letters.compose.NotReady` and leaves nothing changed.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from fhb.accounts.models import User
from fhb.action_log import actor, log_after_commit
from fhb.core.standard.schema import QualityStandard
from fhb.letters.models import Dispatch, Letter
from fhb.letters.sending import (
    Progress,
    closed_door_note,
    offers_without_letter,
    queue_written,
    send_follow_up_letter,
    write_offer_letters,
)
from fhb.offers.models import EligibilityRun, FollowUp
from fhb.visits.models import Visit


def send_run_letters(
    run: EligibilityRun,
    *,
    today: date,
    standard: QualityStandard,
    user: User | None = None,
    progress: Progress | None = None,
) -> Dispatch:
    """Queue the letters of every open offer of the run's plan year that has none yet: written first
    (``progress`` counts them), then queued in one durable transaction."""
    written = write_offer_letters(
        offers_without_letter(run.year, contact_tries=standard.deadlines.contact_tries),
        today=today,
        standard=standard,
        progress=progress,
    )
    with transaction.atomic(durable=True):
        dispatch = queue_written(
            written,
            today=today,
            user=user,
            run=run,
            description=_("Tilbudsbreve for %(year)s") % {"year": run.year},
        )
        log_after_commit(
            "Udsendelse %s for kørsel %s af %s: %s breve i kø, %s tilbud venter",
            dispatch.pk,
            run.pk,
            actor(user),
            dispatch.summary["queued"],
            dispatch.summary["waiting_total"],
        )
    return dispatch


@transaction.atomic(durable=True)
def write_closed_door_note(
    visit: Visit, *, today: date, standard: QualityStandard, user: User, signed_by: str
) -> Letter | None:
    """The note left at the door, written again by hand from the visit's page (dated, timed, signed)."""
    return closed_door_note(visit, today=today, standard=standard, user=user, signed_by=signed_by)


@transaction.atomic(durable=True)
def complete_follow_up(
    follow_up: FollowUp,
    *,
    by_letter: bool,
    note: str,
    today: date,
    standard: QualityStandard,
    user: User,
) -> None:
    """Mark an open follow-up done: by a follow-up letter to the citizen, or with ``note`` saying how."""
    if follow_up.status != FollowUp.Status.OPEN:
        return
    if by_letter:
        send_follow_up_letter(follow_up, today=today, standard=standard, user=user)
        note = _("Opfølgningsbrev sendt.")
    follow_up.status, follow_up.note = FollowUp.Status.DONE, note or _("Fulgt op.")
    follow_up.done_on, follow_up.done_by = today, user
    follow_up.save()
    log_after_commit("Opfølgning %s udført af %s", follow_up.pk, actor(user))
