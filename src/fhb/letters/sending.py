"""Decide which letters to queue: a run's offer letters, and letters about single visits and offers.

Sending is safe to repeat: an offer that already has a letter (not cancelled) gets no second one, so a
leader who presses "send" twice, or again after planning more visits, queues only what is new.
"""

from __future__ import annotations

import calendar
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from fhb.accounts.models import User
from fhb.core.letters.model import Appointment, Channel, LetterKind
from fhb.core.letters.model import Letter as CoreLetter
from fhb.core.standard.schema import Deadlines, QualityStandard
from fhb.letters import compose
from fhb.letters.models import Dispatch, Letter
from fhb.letters.outbox import new_reference, queue, render_by_hand
from fhb.offers.models import EligibilityRun, FollowUp, Offer
from fhb.visits.models import Visit


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: The tries the standard's ``[deadlines] contact_tries`` sets when a caller has no standard at hand.
DEFAULT_CONTACT_TRIES = Deadlines.model_fields["contact_tries"].default


def offers_without_letter(year: int, *, contact_tries: int = DEFAULT_CONTACT_TRIES) -> list[Offer]:
    """Open offers of ``year`` that have no letter yet (cancelled letters do not count), of citizens in the
    latest extract: one missing from it may have moved away, and a leader decides first.

    An offer made by phone (letter ``phone``) gets its letter (one without a time) only after
    ``contact_tries`` calls that did not reach the citizen (the standard's ``[deadlines] contact_tries``).
    """
    lettered = Letter.objects.exclude(status=Letter.Status.CANCELLED).values("offers")
    return list(
        Offer.objects.filter(
            year=year,
            status=Offer.Status.ACTIVE,
            decision=Offer.Decision.OFFER,
            reply=Offer.Reply.NONE,
            citizen__in_extract=True,
        )
        .exclude(pk__in=lettered)
        .exclude(letter=Offer.Letter.PHONE, call_tries__lt=contact_tries)
        .select_related("citizen__dwelling")
        .order_by("due_from", "citizen__name", "pk")
    )


def letter_groups(offers: list[Offer], visits: Mapping[int, int] | None = None) -> list[list[Offer]]:
    """One list per letter: one citizen's offers that share a planned visit (``visits``: offer id → visit
    id) share one letter; a couple whose standard asks for a joint letter shares one; others one each.

    A joint letter is never made when either spouse is address-protected (docs/digital-post.md).
    """
    visits = visits or {}
    by_key: dict[tuple[int, int], list[Offer]] = {}
    for offer in offers:
        visit = visits.get(offer.pk)
        by_key.setdefault((offer.citizen_id, visit if visit is not None else -offer.pk), []).append(offer)
    units = list(by_key.values())
    by_cpr = {unit[0].citizen.cpr: n for n, unit in enumerate(units)}
    done: set[int] = set()
    groups = []
    for n, unit in enumerate(units):
        if n in done:
            continue
        offer = unit[0]
        m = by_cpr.get(offer.couple_cpr) if offer.joint_letter and offer.couple_cpr else None
        partner = units[m][0] if m is not None and m not in done and m != n else None
        if (
            m is not None
            and partner is not None
            and partner.joint_letter
            and partner.letter == offer.letter
            and not offer.citizen.address_protected
            and not partner.citizen.address_protected
        ):
            groups.append([*unit, *units[m]])
            done.update((n, m))
        else:
            groups.append(unit)
            done.add(n)
    return groups


def shared_visits(offers: list[Offer], standard: QualityStandard) -> dict[int, int]:
    """Each offer's planned visit (its earliest), for the offers whose letter carries the visit's time."""
    timed = [o.pk for o in offers if compose.offer_kind(o, standard) is LetterKind.OFFER_WITH_TIME]
    links = (
        Visit.offers.through.objects.filter(offer_id__in=timed, visit__status=Visit.Status.PLANNED)
        .order_by("visit__start", "visit_id")
        .values_list("offer_id", "visit_id")
    )
    out: dict[int, int] = {}
    for offer_id, visit_id in links:
        out.setdefault(offer_id, visit_id)
    return out


#: Told how many of the letters are written: ``progress(done, total)`` (a background job's counter).
Progress = Callable[[int, int], None]


@dataclass
class Written:
    """Offer letters written and not yet queued: each group's letter, or why it must wait."""

    letters: list[tuple[list[Offer], uuid.UUID, CoreLetter, Visit | None]] = field(default_factory=list)
    waiting: Counter[str] = field(default_factory=Counter)
    seen: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Each offer's status and answer when its letter was written."""


def write_offer_letters(
    offers: list[Offer], *, today: date, standard: QualityStandard, progress: Progress | None = None
) -> Written:
    """Write the letters of ``offers`` (those ready), reading only: no transaction is needed, and
    ``progress`` is told how far it is."""
    the_sender = compose.sender(standard)
    groups = letter_groups(offers, shared_visits(offers, standard))
    written = Written(seen={o.pk: (o.status, o.reply) for o in offers})
    for n, group in enumerate(groups, 1):
        reference = new_reference()
        try:
            letter = compose.offer_letter(
                group, standard, today=today, reference=str(reference), the_sender=the_sender
            )
        except compose.NotReady as why:
            written.waiting[str(why)] += len(group)
        else:
            visit = compose.planned_visit(group[0]) if letter.appointment else None
            written.letters.append((group, reference, letter, visit))
        if progress is not None:
            progress(n, len(groups))
    return written


def queue_written(
    written: Written,
    *,
    today: date,
    user: User | None = None,
    run: EligibilityRun | None = None,
    description: str = "",
) -> Dispatch:
    """Queue written letters and record in a dispatch what was and was not queued; the caller holds the
    transaction. An offer answered, closed or lettered since its letter was written is left out."""
    waiting = Counter(written.waiting)
    by_kind: Counter[str] = Counter()
    queued = 0
    unchanged = _unchanged(written.seen)
    dispatch = Dispatch.objects.create(user=user, run=run, description=description or _("Tilbudsbreve"))
    changed = str(_("Tilbuddet blev besvaret, lukket eller fik brev, mens brevene blev skrevet"))
    for group, reference, letter, visit in written.letters:
        if any(o.pk not in unchanged for o in group):
            waiting[changed] += len(group)
            continue
        rows = queue(letter, letter_uuid=reference, offers=group, visit=visit, dispatch=dispatch, user=user)
        queued += len(rows)
        by_kind[letter.kind.value] += len(rows)
        for offer in group:
            _plan_follow_up(offer, today)
    dispatch.summary = {
        "queued": queued,
        "by_kind": dict(by_kind),
        "waiting": dict(waiting),
        "waiting_total": sum(waiting.values()),
    }
    dispatch.save(update_fields=["summary"])
    return dispatch


def send_offer_letters(
    offers: list[Offer],
    *,
    today: date,
    standard: QualityStandard,
    user: User | None = None,
    run: EligibilityRun | None = None,
    description: str = "",
) -> Dispatch:
    """Write and queue the letters of ``offers`` (those ready), recording in a dispatch what was and was
    not queued."""
    written = write_offer_letters(offers, today=today, standard=standard)
    with transaction.atomic():
        return queue_written(written, today=today, user=user, run=run, description=description)


def _unchanged(seen: dict[int, tuple[str, str]]) -> set[int]:
    """The offers whose status and answer are as they were when their letters were written and which have
    no letter yet (cancelled letters do not count)."""
    lettered = Letter.objects.exclude(status=Letter.Status.CANCELLED).values("offers")
    now = Offer.objects.filter(pk__in=seen).exclude(pk__in=lettered).values_list("pk", "status", "reply")
    return {pk for pk, status, reply in now if seen[pk] == (status, reply)}


def _plan_follow_up(offer: Offer, today: date) -> None:
    if offer.follow_up_months:
        FollowUp.objects.get_or_create(
            offer=offer, defaults={"due": add_months(today, offer.follow_up_months)}
        )


def send_visit_letter(
    kind: LetterKind,
    visit: Visit,
    *,
    today: date,
    standard: QualityStandard,
    user: User | None = None,
    previous: Appointment | None = None,
    reason: str = "",
) -> list[Letter]:
    """Queue a new-time or cancellation letter to each citizen of ``visit``: one each, also to a citizen
    whose several offers the visit answers."""
    the_sender = compose.sender(standard)
    rows: list[Letter] = []
    by_citizen: dict[int, list[Offer]] = {}
    for offer in visit.offers.select_related("citizen__dwelling").order_by("pk"):
        by_citizen.setdefault(offer.citizen_id, []).append(offer)
    with transaction.atomic():
        for offers in by_citizen.values():
            reference = new_reference()
            letter = compose.visit_letter(
                kind,
                visit,
                offers[0].citizen,
                standard,
                today=today,
                reference=str(reference),
                the_sender=the_sender,
                previous=previous,
                reason=reason,
            )
            rows += queue(letter, letter_uuid=reference, offers=offers, visit=visit, user=user)
    return rows


def send_follow_up_letter(
    follow_up: FollowUp, *, today: date, standard: QualityStandard, user: User | None = None
) -> list[Letter]:
    reference = new_reference()
    letter = compose.follow_up_letter(
        follow_up.offer, standard, today=today, reference=str(reference), the_sender=compose.sender(standard)
    )
    return queue(letter, letter_uuid=reference, offers=[follow_up.offer], user=user)


def closed_door_note(
    visit: Visit, *, today: date, standard: QualityStandard, user: User | None = None, signed_by: str = ""
) -> Letter | None:
    """Write the note left at the door (dated, timed, signed); once the transaction commits it is rendered
    and kept as delivered by hand. None when the visit has no offer (nobody to address it to)."""
    offer = visit.offers.select_related("citizen__dwelling").first()
    if offer is None:
        return None
    reference = new_reference()
    letter = compose.visit_letter(
        LetterKind.CLOSED_DOOR,
        visit,
        offer.citizen,
        standard,
        today=today,
        reference=str(reference),
        the_sender=compose.sender(standard),
        signed_by=signed_by,
    )
    rows = queue(
        letter, letter_uuid=reference, offers=[offer], visit=visit, user=user, channel=Channel.BY_HAND
    )
    # Rendered once the outcome has committed, so the transaction does not hold the database while Typst
    # works. A render that fails marks the note failed with the error, for the worker to try again.
    transaction.on_commit(partial(render_by_hand, rows[0]), robust=True)
    return rows[0]
