"""Retention: citizens who are dead or gone from the extract are anonymised when the retention period ends.

**Who is due.** A citizen who is not in the latest extract (``in_extract`` false: moved away, or dead and
dropped by the extract) and not yet anonymised, whose *last event* lies more than ``years`` years before
``on``. The last event is the latest of: the death date; the last change of the master data (at the
latest the import that no longer found the citizen, so the last import with the citizen in it is before
it); the last visit; the last letter (queued or sent); the last answer, request, journal note or consent.
A citizen still in the extract is never touched: the next import would bring the data back as a new
citizen. A dead citizen whom the extract still lists waits until it no longer does.

**What is kept.** The rows that statistics count: the citizen (as an anonymous person with sex, year of
birth and postcode), the offers (year, group, decision, status, reply, dates of the window), the visits
(times, status, outcome, consultant) and the letters (kind, channel, status, dates, the SHA-256 of what
was sent), and how they hang together.

**What is erased.** Name (``Anonymiseret borger``), CPR number (replaced by ``00`` and the row's id in 8
digits: day 00 is no date, so it can never be a CPR number; the check constraint of 10 digits holds),
the exact birth and death dates (1 January of the year is kept), civil status, the spouse, the address
(the citizen moves to one anonymous dwelling per postcode; the old dwelling is deleted when nothing else
refers to it); the care facts, journal notes, consents, practical notes and the log of journal reads are
deleted; the free text of answers, requests, follow-ups and visits is emptied; letters lose their data and
stored bytes (PDF, MeMo). The django-simple-history rows of all of these are deleted (one new history row
says the citizen was anonymised).

**Where others refer to the citizen.** A spouse's ``spouse_cpr`` and ``couple_cpr`` (and their history)
are emptied; a couple's joint letter loses the citizen's name and CPR from the spouse's copy and that
copy's stored bytes (the SHA-256 stays); a visit shared with a spouse keeps its link to both offers, and
the citizen's name and CPR are replaced in its text. The import and planning logs (``ImportRun`` and
``PlanRun`` summaries), which list CPR numbers and names, get the placeholder and the anonymous name, and
so does the Django admin's log. What other citizens' journal notes say in free text is theirs and is
erased with their own data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from fhb.citizens.models import CareEvent, Citizen, Dwelling, ImportRun
from fhb.core.cpr import format_cpr
from fhb.events.models import Registration
from fhb.events.services import anonymise_registrations
from fhb.history import save_with_reason
from fhb.journal.models import Consent, JournalNote, JournalRead
from fhb.letters.models import Letter
from fhb.offers.models import Answer, Assessment, FollowUp, Offer, Request
from fhb.planning.models import PlanRun
from fhb.visits.models import HomeNotes, Visit

ANONYMOUS_NAME = "Anonymiseret borger"
ANONYMOUS_STREET = "Anonymiseret adresse"
#: address_id of the anonymous dwelling of a postcode.
ANONYMOUS_ADDRESS_PREFIX = "anonym-"
CHANGE_REASON = "Anonymiseret: opbevaringsperioden er udløbet"


def anonymous_cpr(pk: int) -> str:
    """The placeholder that replaces a CPR number: ``00`` and the row's id in 8 digits.

    Ten digits (the model's check constraint), but day 00 is no date, so it is never a real CPR number
    (nor a substitute number, whose day is 61-91), and it is unique because the id is.
    """
    if not 0 < pk < 10**8:
        raise ValueError(f"citizen id {pk} does not fit the 8 digits of the placeholder")
    return f"00{pk:08d}"


@dataclass(frozen=True)
class DueCitizen:
    """A citizen due for anonymisation: the internal id, the last event and why the citizen is gone."""

    pk: int
    last_event: dt.date
    dead: bool


@dataclass
class Retention:
    """What a retention round finds (a dry run) or did (``applied``)."""

    on: dt.date
    years: int
    cutoff: dt.date
    due: list[DueCitizen]
    #: Rows deleted or emptied, by kind (ERASURE_LABELS).
    erased: dict[str, int] = field(default_factory=dict)
    applied: bool = False


def cutoff_date(on: dt.date, years: int) -> dt.date:
    """``on`` moved back ``years`` years (29 February becomes 28 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def due_citizens(on: dt.date, years: int) -> list[DueCitizen]:
    """Citizens not in the extract, not anonymised, whose last event is before ``on`` less ``years``."""

    candidates = Citizen.objects.filter(in_extract=False, anonymised=False)
    ids = candidates.values("pk")
    latest: dict[int, dt.date] = {}
    dead: set[int] = set()

    def note(rows: Iterable[tuple[int, Any]]) -> None:
        for pk, value in rows:
            if value is None:
                continue
            day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
            if pk not in latest or day > latest[pk]:
                latest[pk] = day

    def last(queryset: models.QuerySet[Any], by: str, column: str) -> Iterable[tuple[int, Any]]:
        rows: Iterable[tuple[int, Any]] = (
            queryset.order_by().values(by).annotate(last=Max(column)).values_list(by, "last")
        )
        return rows

    note(candidates.values_list("pk", "death_date"))
    dead.update(candidates.filter(death_date__isnull=False).values_list("pk", flat=True))
    note(last(Citizen.history.filter(id__in=ids), "id", "history_date"))
    note(last(Visit.objects.filter(offers__citizen__in=ids), "offers__citizen", "start"))
    note(last(Letter.objects.filter(citizen__in=ids), "citizen", "created_at"))
    note(last(Letter.objects.filter(citizen__in=ids), "citizen", "delivered_at"))
    note(last(Answer.objects.filter(offer__citizen__in=ids), "offer__citizen", "received"))
    note(last(Request.objects.filter(citizen__in=ids), "citizen", "received"))
    note(last(Registration.objects.filter(citizen__in=ids), "citizen", "event__start"))
    note(last(JournalNote.objects.filter(citizen__in=ids), "citizen", "written_at"))
    note(last(Consent.objects.filter(citizen__in=ids), "citizen", "given_on"))
    note(last(Consent.objects.filter(citizen__in=ids), "citizen", "withdrawn_on"))

    cutoff = cutoff_date(on, years)
    return [
        DueCitizen(pk, day, pk in dead) for pk, day in sorted(latest.items()) if day < cutoff
    ]  # a citizen with no date at all (no history, nothing else) is never due: nothing says when


def retention(on: dt.date, years: int, *, apply: bool = False) -> Retention:
    """Find the citizens due on ``on``, count what anonymising them erases, and (``apply``) do it."""
    due = due_citizens(on, years)
    result = Retention(on=on, years=years, cutoff=cutoff_date(on, years), due=due)
    ids = [d.pk for d in due]
    result.erased = count_erasure(ids)
    if apply and ids:
        anonymise(Citizen.objects.filter(pk__in=ids), on=on)
        result.applied = True
    return result


#: What anonymising does to each kind of row (keys of :func:`count_erasure`), in Danish for the command.
ERASURE_LABELS = {
    "citizens": "borgere (navn, CPR-nummer, adresse og civilstand slettes)",
    "care_facts": "oplysninger fra omsorgssystemet (slettes)",
    "journal_notes": "journalnotater (slettes)",
    "consents": "samtykker (slettes)",
    "home_notes": "praktiske oplysninger (slettes)",
    "journal_reads": "læsninger af journalen (slettes)",
    "answers": "svar (fritekst tømmes)",
    "requests": "henvendelser (henvenderens navn og fritekst tømmes)",
    "follow_ups": "opfølgninger (fritekst tømmes)",
    "letters": "breve (indhold, PDF og MeMo slettes)",
    "visits": "besøg (fritekst og tolk tømmes)",
    "offers": "tilbud (bevares til statistikken)",
    "registrations": "tilmeldinger til arrangementer (note tømmes; bevares til statistikken)",
}


def count_erasure(ids: list[int]) -> dict[str, int]:
    """What anonymising the citizens ``ids`` deletes or empties, by kind of row (see ERASURE_LABELS)."""

    return {
        "citizens": len(ids),
        "care_facts": CareEvent.objects.filter(citizen__in=ids).count(),
        "journal_notes": JournalNote.objects.filter(citizen__in=ids).count(),
        "consents": Consent.objects.filter(citizen__in=ids).count(),
        "home_notes": HomeNotes.objects.filter(citizen__in=ids).count(),
        "journal_reads": JournalRead.objects.filter(citizen__in=ids).count(),
        "answers": Answer.objects.filter(offer__citizen__in=ids).count(),
        "requests": Request.objects.filter(citizen__in=ids).count(),
        "follow_ups": FollowUp.objects.filter(offer__citizen__in=ids).count(),
        "letters": Letter.objects.filter(citizen__in=ids).count(),
        "visits": Visit.objects.filter(offers__citizen__in=ids).distinct().count(),
        "offers": Offer.objects.filter(citizen__in=ids).count(),
        "registrations": Registration.objects.filter(citizen__in=ids).count(),
    }


def anonymise(citizens: models.QuerySet[Citizen], *, on: dt.date) -> int:
    """Anonymise ``citizens`` (see the module's docstring); returns how many. All or nothing."""
    renames = Renames()
    done = 0
    with transaction.atomic(durable=True):
        for citizen in citizens.filter(anonymised=False).select_related("dwelling"):
            renames.update(_anonymise_one(citizen, on))
            done += 1
        _forget_spouses(list(renames.cprs))
        _scrub_logs(renames)
    return done


def _forget_spouses(old_cprs: list[str]) -> None:
    """Empty the ``spouse_cpr`` and ``couple_cpr`` (and their history) that name one of ``old_cprs``."""

    for start in range(0, len(old_cprs), 500):
        chunk = old_cprs[start : start + 500]
        Citizen.objects.filter(spouse_cpr__in=chunk).update(spouse_cpr="")
        Citizen.history.filter(spouse_cpr__in=chunk).update(spouse_cpr="")
        Offer.objects.filter(couple_cpr__in=chunk).update(couple_cpr="")
        Offer.history.filter(couple_cpr__in=chunk).update(couple_cpr="")


def _anonymise_one(citizen: Citizen, on: dt.date) -> Renames:
    """Anonymise one citizen; returns the texts to replace in logs (CPR forms and name -> placeholders)."""

    old_cpr, placeholder = citizen.cpr, anonymous_cpr(citizen.pk)
    renames = Renames({old_cpr: placeholder}, {citizen.name: ANONYMOUS_NAME} if citizen.name.strip() else {})
    pk = citizen.pk

    # Deleted with their history: what the citizen's case held beyond the rows statistics count.
    CareEvent.objects.filter(citizen=pk).delete()
    JournalNote.objects.filter(citizen=pk).delete()
    JournalRead.objects.filter(citizen=pk).delete()
    Consent.objects.filter(citizen=pk).delete()
    HomeNotes.objects.filter(citizen=pk).delete()
    for model in (CareEvent, Consent, HomeNotes):
        _history(model).filter(citizen_id=pk).delete()

    # Kept for statistics, with the free text and the history emptied.
    offers = Offer.objects.filter(citizen=pk)
    offer_ids = list(offers.values_list("pk", flat=True))
    offers.update(couple_cpr="")
    Offer.history.filter(citizen_id=pk).delete()
    Answer.objects.filter(offer__in=offer_ids).update(note="")
    Request.objects.filter(citizen=pk).update(contact_name="", note="", decision_reason="")
    Request.history.filter(citizen_id=pk).delete()
    Assessment.objects.filter(citizen=pk).update(what="", note="", outcome_reason="", referrer_name="")
    Assessment.history.filter(citizen_id=pk).delete()
    FollowUp.objects.filter(offer__in=offer_ids).update(note="")
    FollowUp.history.filter(offer_id__in=offer_ids).delete()
    anonymise_registrations([pk])

    visits = Visit.objects.filter(offers__in=offer_ids).distinct()
    shared = set(visits.filter(offers__in=Offer.objects.exclude(citizen=pk)).values_list("pk", flat=True))
    own = set(visits.values_list("pk", flat=True)) - shared
    Visit.objects.filter(pk__in=own, status=Visit.Status.PLANNED).update(
        status=Visit.Status.CANCELLED, cancelled_by="us"
    )
    Visit.objects.filter(pk__in=own).update(status_reason="", interpreter="")
    Visit.history.filter(id__in=own).delete()
    _scrub_rows(Visit.objects.filter(pk__in=shared), ("status_reason",), renames)
    _scrub_rows(Visit.history.filter(id__in=shared), ("status_reason",), renames)

    letters = Letter.objects.filter(citizen=pk)
    letters.exclude(status__in=[Letter.Status.DELIVERED, Letter.Status.CANCELLED]).update(
        status=Letter.Status.CANCELLED, cancelled_reason=CHANGE_REASON
    )
    letters.update(content={}, pdf=None, memo=None, last_error="")
    copies = Letter.objects.filter(offers__in=offer_ids).exclude(citizen=pk).distinct()
    _scrub_rows(copies, ("content",), renames)
    copies.update(pdf=None, memo=None)

    # The admin's log of changes to the citizen (a spouse's CPR fields follow for the whole round).
    _scrub_admin_log(citizen, renames)

    # The citizen: anonymous, in the anonymous dwelling of the postcode; one history row says so.
    old_dwelling = citizen.dwelling
    Citizen.history.filter(id=pk).delete()
    citizen.cpr = placeholder
    citizen.name = ANONYMOUS_NAME
    citizen.birth_date = citizen.birth_date.replace(month=1, day=1)
    citizen.death_date = citizen.death_date.replace(month=1, day=1) if citizen.death_date else None
    citizen.civil_status = ""
    citizen.civil_status_date = None
    citizen.spouse_cpr = ""
    citizen.digital_post_exempt = False
    citizen.address_protected = False
    citizen.missing_note = ""  # the leader's free text about her absence from the extract
    citizen.dwelling = _anonymous_dwelling(old_dwelling)
    citizen.anonymised = True
    citizen.anonymised_on = on
    save_with_reason(citizen, CHANGE_REASON)
    if old_dwelling.pk != citizen.dwelling_id:
        _delete_if_unused(old_dwelling)
    return renames


def _history(model: type[models.Model]) -> Any:
    """The django-simple-history manager of ``model`` (its historical rows)."""
    return getattr(model, "history")  # noqa: B009 (not in the type stubs)


def _anonymous_dwelling(dwelling: Dwelling) -> Dwelling:
    anonymous, _ = Dwelling.objects.get_or_create(
        address_id=f"{ANONYMOUS_ADDRESS_PREFIX}{dwelling.postcode}",
        defaults={"street": ANONYMOUS_STREET, "postcode": dwelling.postcode, "city": dwelling.city},
    )
    return anonymous


def _delete_if_unused(dwelling: Dwelling) -> None:
    """Delete a dwelling no citizen lives in and no citizen's history refers to (with its own history)."""
    if Citizen.objects.filter(dwelling=dwelling).exists():
        return
    if Citizen.history.filter(dwelling_id=dwelling.pk).exists():
        return
    pk = dwelling.pk
    dwelling.delete()
    Dwelling.history.filter(id=pk).delete()


def _scrub_admin_log(citizen: Citizen, renames: Renames) -> None:

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Citizen), object_id=str(citizen.pk)
    )
    entries.update(object_repr=ANONYMOUS_NAME)
    needles = Q()
    for old in renames.needles():
        needles |= Q(object_repr__contains=old) | Q(change_message__contains=old)
    _scrub_rows(LogEntry.objects.filter(needles), ("object_repr", "change_message"), renames)


def _scrub_logs(renames: Renames) -> None:
    """Replace CPR numbers and names in the import and planning logs (their JSON summaries).

    One pass over the logs for every citizen of the round; names are replaced where a value is exactly
    the name (the logs hold names as values), CPR numbers wherever they stand.
    """
    if not renames.cprs:
        return

    exact = Renames(renames.cprs, renames.names, names_in_text=False)
    _scrub_rows(ImportRun.objects.all(), ("summary", "warnings"), exact)
    _scrub_rows(PlanRun.objects.all(), ("summary",), exact)


def _scrub_rows(rows: models.QuerySet[Any], names: tuple[str, ...], renames: Renames) -> None:
    """Rewrite the text or JSON columns ``names`` of ``rows`` with ``renames``; save only what changed."""
    for row in rows.only("pk", *names).iterator(chunk_size=200):
        changed = {}
        for name in names:
            value = getattr(row, name)
            scrubbed = renames.scrub(value)
            if scrubbed != value:
                changed[name] = scrubbed
        if changed:
            type(row).objects.filter(pk=row.pk).update(**changed)


#: A CPR number in text, with or without the hyphen, not part of a longer number.
_CPR_IN_TEXT = re.compile(r"(?<!\d)(\d{6})(-?)(\d{4})(?!\d)")


@dataclass
class Renames:
    """Old CPR numbers and names and what replaces them in text and JSON data."""

    cprs: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    #: Replace names inside longer texts too (one citizen's free text), not only whole values (logs).
    names_in_text: bool = True

    def update(self, other: Renames) -> None:
        self.cprs.update(other.cprs)
        self.names.update(other.names)

    def needles(self) -> list[str]:
        """The texts to search for: each CPR number in both forms, and each name."""
        return [*self.cprs, *(format_cpr(c) for c in self.cprs), *self.names]

    def scrub(self, value: Any) -> Any:
        """``value`` (text, or JSON data: lists, dicts) with the old CPR numbers and names replaced."""
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        if isinstance(value, dict):
            return {self._text(k): self.scrub(v) for k, v in value.items()}
        return value

    def _text(self, text: str) -> str:
        if text in self.names:
            return self.names[text]
        if any(c.isdigit() for c in text):
            text = _CPR_IN_TEXT.sub(self._cpr, text)
        if self.names_in_text:
            for old, new in self.names.items():
                text = text.replace(old, new)
        return text

    def _cpr(self, match: re.Match[str]) -> str:
        new = self.cprs.get(match.group(1) + match.group(3))
        if new is None:
            return match.group(0)
        return new[:6] + match.group(2) + new[6:]


def as_json(result: Retention) -> str:
    """The round as JSON (for ``fhb retention --json``)."""
    return json.dumps(
        {
            "on": result.on.isoformat(),
            "years": result.years,
            "cutoff": result.cutoff.isoformat(),
            "applied": result.applied,
            "due": [{"id": d.pk, "last_event": d.last_event.isoformat(), "dead": d.dead} for d in result.due],
            "erased": result.erased,
        },
        ensure_ascii=False,
        indent=2,
    )
