"""Right of access (indsigt, GDPR art. 15): everything fhb holds about one citizen, as JSON-ready data.

:func:`citizen_export` gathers the master data and the dwelling, the earlier values of the master data
(history), the facts from the care system, the offers with their reasons, answers, requests, assessments
of need, follow-ups, the letters (what they were, not their bytes: the letter itself is shown from the
citizen's page), the visits, the journal with its consents, the practical notes for the home visit, and the
log of who read the journal. :func:`record_export` does the same and logs it as a read of the journal (page
``indsigt``), because the export shows the journal.

The keys are the model's field names (English, stable); every field with fixed choices also carries its
Danish wording in ``<field>_display``. Dates and times are ISO 8601 strings, times in Danish local time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone, translation

from fhb.accounts.models import User
from fhb.citizens.importer import CITIZEN_COLUMNS, DWELLING_COLUMNS
from fhb.citizens.models import Citizen, Dwelling
from fhb.journal.models import JournalRead
from fhb.letters.models import Letter
from fhb.offers.models import Answer, FollowUp
from fhb.visits.models import HomeNotes, Visit

#: The format of the export, so that a later change can be told apart.
FORMAT = "fhb-indsigt/1"
#: JournalRead.page of an export.
READ_PAGE = "indsigt"

#: The citizen row: the contract's fields stored on it (fhb.citizens.importer), and what fhb adds.
CITIZEN_FIELDS = (
    "cpr",
    *CITIZEN_COLUMNS,
    "in_extract",
    "missing_kept_on",
    "missing_note",
    "anonymised",
    "anonymised_on",
)
DWELLING_FIELDS = ("address_id", *DWELLING_COLUMNS)
CARE_FACT_FIELDS = ("kind", "start", "end", "note")
OFFER_FIELDS = (
    "id",
    "year",
    "group",
    "trigger",
    "trigger_date",
    "decision",
    "letter",
    "response",
    "joint_letter",
    "follow_up_months",
    "due_from",
    "due_to",
    "reason",
    "rule_id",
    "clause",
    "duration_min",
    "status",
    "withdrawn_reason",
    "origin",
    "reply",
    "reply_date",
    "taken_on",
)
ANSWER_FIELDS = ("offer_id", "reply", "channel", "received", "note", "created_at")
ASSESSMENT_FIELDS = (
    "year",
    "group",
    "trigger",
    "what",
    "event_date",
    "known_on",
    "deadline",
    "origin",
    "referred_by",
    "referrer_name",
    "consent",
    "note",
    "tries",
    "outcome",
    "outcome_reason",
    "decided_on",
    "offer_id",
)
REQUEST_FIELDS = (
    "received",
    "came_from",
    "contact_name",
    "consent",
    "channel",
    "note",
    "deadline",
    "status",
    "decision_reason",
    "decided_on",
    "offer_id",
)
FOLLOW_UP_FIELDS = ("offer_id", "due", "status", "note", "done_on")
LETTER_FIELDS = (
    "uuid",
    "kind",
    "title",
    "channel",
    "status",
    "created_at",
    "rendered_at",
    "delivered_at",
    "pages",
    "cancelled_reason",
)
VISIT_FIELDS = (
    "id",
    "start",
    "end",
    "status",
    "status_reason",
    "proposed",
    "fixed",
    "interpreter",
    "held_minutes",
    "cancelled_by",
    "citizen_told",
    "closed_door_steps",
    "note_left_at",
    "another_visit",
    "outcome_at",
)
JOURNAL_NOTE_FIELDS = (
    "written_at",
    "kind",
    "visit_id",
    "topics",
    "themes",
    "referrals",
    "agreements",
    "text",
    "pass_on",
)
CONSENT_FIELDS = ("kind", "given", "given_on", "scope", "withdrawn_on")
HOME_NOTES_FIELDS = ("phone", "pets", "smoking", "access", "updated_at")
JOURNAL_READ_FIELDS = ("at", "page", "notes")
HISTORY_FIELDS = (*CITIZEN_FIELDS[1:], "history_date", "history_change_reason")


def citizen_export(citizen: Citizen) -> dict[str, Any]:
    """Everything stored about ``citizen``: plain JSON data (str, int, float, bool, None, lists, dicts)."""

    with translation.override("da"):
        offers = list(citizen.offers.select_related("coordinator").order_by("year", "due_from", "id"))
        visits = list(
            Visit.objects.filter(offers__citizen=citizen)
            .distinct()
            .select_related("consultant")
            .prefetch_related("offers")
            .order_by("start", "id")
        )
        home_notes = HomeNotes.objects.filter(citizen=citizen).first()
        dwelling = citizen.dwelling
        return {
            "format": FORMAT,
            "created_at": _value(timezone.now()),
            "description": (
                "Indsigt: alle oplysninger, som systemet til forebyggende hjemmebesøg (fhb) har om borgeren."
            ),
            "citizen": {
                **_row(citizen, CITIZEN_FIELDS),
                "dwelling": _row(dwelling, DWELLING_FIELDS),
            },
            "citizen_history": _history(citizen),
            "care_facts": _rows(citizen.events.order_by("start", "kind", "id"), CARE_FACT_FIELDS),
            "offers": [{**_row(o, OFFER_FIELDS), "coordinator": _person(o.coordinator)} for o in offers],
            "answers": _rows(
                Answer.objects.filter(offer__citizen=citizen).order_by("received", "id"), ANSWER_FIELDS
            ),
            "requests": _rows(citizen.requests.order_by("received", "id"), REQUEST_FIELDS),
            "assessments": [
                {**_row(a, ASSESSMENT_FIELDS), "consultant": _person(a.consultant)}
                for a in citizen.assessments.select_related("consultant").order_by("known_on", "id")
            ],
            "follow_ups": _rows(
                FollowUp.objects.filter(offer__citizen=citizen).order_by("due", "id"), FOLLOW_UP_FIELDS
            ),
            "letters": [
                {**_row(letter, LETTER_FIELDS), "offer_ids": sorted(o.pk for o in letter.offers.all())}
                for letter in Letter.objects.filter(citizen=citizen)
                .prefetch_related("offers")
                .order_by("created_at", "id")
            ],
            "visits": [
                {
                    **_row(v, VISIT_FIELDS),
                    "consultant": _person(v.consultant),
                    "offer_ids": sorted(o.pk for o in v.offers.all() if o.citizen_id == citizen.pk),
                }
                for v in visits
            ],
            "journal_notes": [
                {**_row(n, JOURNAL_NOTE_FIELDS), "written_by": _person(n.written_by)}
                for n in citizen.journal_notes.select_related("written_by").order_by("written_at", "id")
            ],
            "consents": [
                {**_row(c, CONSENT_FIELDS), "recorded_by": _person(c.recorded_by)}
                for c in citizen.consents.select_related("recorded_by").order_by("given_on", "id")
            ],
            "home_notes": _row(home_notes, HOME_NOTES_FIELDS) if home_notes else None,
            "journal_reads": [
                {**_row(r, JOURNAL_READ_FIELDS), "user": _person(r.user)}
                for r in JournalRead.objects.filter(citizen=citizen)
                .select_related("user")
                .order_by("at", "id")
            ],
        }


def record_export(citizen: Citizen, user: User | None = None) -> dict[str, Any]:
    """The export of ``citizen``, logged as a read of the journal by ``user`` (None: from the command
    line). The log row is written first, so the export lists its own making among the reads."""
    with transaction.atomic(durable=True):
        JournalRead.objects.create(
            citizen=citizen,
            user=user,
            page=READ_PAGE,
            notes=citizen.journal_notes.count(),
        )
        return citizen_export(citizen)


def export_filename(citizen: Citizen, on: dt.date) -> str:
    return f"indsigt-{citizen.cpr}-{on.isoformat()}.json"


def _rows(objects: Iterable[models.Model], names: Iterable[str]) -> list[dict[str, Any]]:
    names = tuple(names)
    return [_row(obj, names) for obj in objects]


def _row(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON values, with ``<name>_display`` for fields with choices."""
    row: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        row[name] = _value(value)
        field = _field(obj, name)
        if field is not None and field.choices and value not in (None, ""):
            row[f"{name}_display"] = str(dict(field.flatchoices).get(value, value))
    return row


def _field(obj: models.Model, name: str) -> models.Field[Any, Any] | None:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _person(user: User | None) -> str | None:
    """A member of staff by name (user name when no name is set)."""
    if user is None:
        return None
    return str(user.get_full_name() or user.username)


def _history(citizen: Citizen) -> list[dict[str, Any]]:
    """The master data as it was after each change (imports, corrections), oldest first, with the address."""

    rows = list(citizen.history.order_by("history_date", "history_id"))
    addresses = {d.pk: str(d) for d in Dwelling.objects.filter(pk__in={h.dwelling_id for h in rows})}
    return [{**_row(h, HISTORY_FIELDS), "address": addresses.get(h.dwelling_id)} for h in rows]
