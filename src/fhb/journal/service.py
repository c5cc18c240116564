"""Consent, journal notes and the log of who read them.

A note of the conversation needs the citizen's consent to documentation, in force when the note is
written. Withdrawing consent keeps what was written while it was in force (it was lawfully written) but
stops new notes. Reading is logged whenever a page shows a citizen's notes to a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.core.standard.schema import Journal, QualityStandard
from fhb.history import save_with_reason
from fhb.journal.models import Consent, JournalNote
from fhb.journal.reads import log_look_up
from fhb.visits.models import Visit
from fhb.visits.rules import may


class JournalError(Exception):
    """The note or consent cannot be stored; the message says why, in Danish."""


#: The rule of a standard without a [journal] table: the default topics and themes. Built without
#: validation: a rule read from a file must quote its clause, and this one quotes none.
DEFAULT_JOURNAL = Journal.model_construct(id="journal", clause="")


def journal_rule(standard: QualityStandard) -> Journal:
    """The standard's [journal] table, or the defaults when it has none (Ærø's and Køge's files)."""
    return standard.journal or DEFAULT_JOURNAL


def consent_in_force(citizen: Citizen, kind: str) -> Consent | None:
    return citizen.consents.in_force().filter(kind=kind).first()


def record_consent(
    citizen: Citizen,
    kind: str,
    *,
    given_on: dt.date,
    given: str = Consent.Given.VERBAL,
    scope: str = "",
    user: User | None = None,
) -> Consent:
    if kind not in Consent.Kind.values:
        raise JournalError(_("Ukendt slags samtykke."))
    if consent_in_force(citizen, kind) is not None:
        raise JournalError(_("Borgeren har allerede givet dette samtykke."))
    return Consent.objects.create(
        citizen=citizen,
        kind=kind,
        given=given,
        given_on=given_on,
        scope=scope,
        recorded_by=user,
    )


def withdraw_consent(consent: Consent, *, on: dt.date) -> None:
    if consent.withdrawn_on is not None:
        raise JournalError(_("Samtykket er allerede trukket tilbage."))
    if on < consent.given_on:
        raise JournalError(_("Et samtykke kan ikke trækkes tilbage, før det er givet."))
    consent.withdrawn_on = on
    save_with_reason(consent, _("Samtykket er trukket tilbage."), update_fields=["withdrawn_on"])


def _only_known(chosen: Sequence[str], allowed: Sequence[str], what: str) -> list[str]:
    unknown = [c for c in chosen if c not in allowed]
    if unknown:
        raise JournalError(
            _("%(what)s findes ikke i kvalitetsstandarden: %(items)s")
            % {"what": what, "items": ", ".join(unknown)}
        )
    return [a for a in allowed if a in chosen]  # the standard's order, no repeats


def write_note(
    citizen: Citizen,
    standard: QualityStandard,
    *,
    visit: Visit | None = None,
    topics: Sequence[str] = (),
    themes: Sequence[str] = (),
    referrals: Sequence[str] = (),
    agreements: str = "",
    text: str = "",
    pass_on: bool = False,
    pass_on_scope: str = "",
    today: dt.date,
    user: User | None = None,
) -> JournalNote:
    """Write a note of the conversation; refused without the citizen's consent to documentation."""
    if consent_in_force(citizen, Consent.Kind.DOCUMENTATION) is None:
        raise JournalError(
            _(
                "Borgeren har ikke givet samtykke til dokumentation. Uden samtykke registreres kun, at "
                "besøget fandt sted."
            )
        )
    rule = journal_rule(standard)
    if visit is not None and not visit.offers.filter(citizen=citizen).exists():
        raise JournalError(_("Besøget er ikke hos denne borger."))
    if visit is not None and not may(user, "write_note", visit):
        raise JournalError(_("Et notat om et besøg skrives af besøgets egen konsulent (eller en leder)."))
    note = JournalNote(
        citizen=citizen,
        visit=visit,
        topics=_only_known(topics, rule.topics, _("Emner")),
        themes=_only_known(themes, rule.themes, _("Temaer")),
        referrals=_only_known(referrals, rule.referrals, _("Henvisninger")),
        agreements=agreements.strip(),
        text=text.strip(),
        pass_on=pass_on,
        written_by=user,
    )
    if not (note.topics or note.themes or note.referrals or note.agreements or note.text or pass_on):
        raise JournalError(_("Notatet er tomt."))
    if pass_on and not rule.pass_on_consent:
        raise JournalError(_("Kvalitetsstandarden har ikke samtykke til videregivelse i notatet."))
    with transaction.atomic(durable=True):
        note.save()
        if pass_on and consent_in_force(citizen, Consent.Kind.PASS_ON) is None:
            record_consent(citizen, Consent.Kind.PASS_ON, given_on=today, scope=pass_on_scope, user=user)
    return note


def read_journal(citizen: Citizen, user: User | None, page: str) -> list[JournalNote]:
    """The citizen's notes, newest first, for a page that shows the citizen to ``user``: the opening is
    logged, with how many notes it showed (none too: the log answers who looked at the citizen)."""
    notes = list(citizen.journal_notes.select_related("written_by", "visit"))
    log_look_up(citizen, user, page, notes=len(notes))
    return notes
