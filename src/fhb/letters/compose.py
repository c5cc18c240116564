"""Build the core's letter records from what is stored: offers, visits, events and the sender settings.

Each function returns core :class:`~fhb.core.letters.model.Letter` records, or raises :class:`NotReady`
with the reason in Danish when a letter cannot be written yet (an offer with a time that has no planned
visit, an invitation to a seniormesse that has no date).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext as _

from fhb.citizens.models import Citizen
from fhb.core.letters import deadlines
from fhb.core.letters.model import (
    Appointment,
    Event,
    Letter,
    LetterKind,
    Recipient,
    Response,
    Sender,
    VisitingHours,
)
from fhb.core.letters.reasons import offer_reason
from fhb.core.standard.schema import QualityStandard, TargetGroup
from fhb.events.models import Event as StoredEvent
from fhb.letters.models import SenderSettings
from fhb.local_time import naive_local
from fhb.offers.models import Offer
from fhb.visits.models import Visit


class NotReady(Exception):
    """A letter cannot be written yet; the message says why, in Danish."""


def sender(standard: QualityStandard) -> Sender:
    settings = SenderSettings.objects.first()
    if settings is None:
        raise NotReady(_("Afsenderoplysninger (telefon, mail, adresse) er ikke udfyldt endnu."))
    return Sender(
        municipality=standard.municipality.name,
        municipality_code=standard.municipality.code,
        cvr=settings.cvr,
        unit=settings.unit,
        street=settings.street,
        postcode=settings.postcode,
        city=settings.city,
        phone=settings.phone,
        phone_hours=settings.phone_hours,
        email=settings.email,
        signature=settings.signature,
        logo=bytes(settings.logo) if settings.logo else None,
        logo_format=settings.logo_format if settings.logo else "",
    )


def recipient(citizen: Citizen) -> Recipient:
    dwelling = citizen.dwelling
    return Recipient(
        cpr=citizen.cpr,
        name=citizen.name,
        street=dwelling.street,
        postcode=dwelling.postcode,
        city=dwelling.city,
        address_protected=citizen.address_protected,
    )


def appointment(visit: Visit) -> Appointment:
    consultant = visit.consultant.get_full_name() if visit.consultant else ""
    return Appointment(
        start=naive_local(visit.start),
        end=naive_local(visit.end),
        consultant=consultant,
        proposed=visit.proposed,
    )


def planned_visit(offer: Offer) -> Visit | None:
    return offer.visits.filter(status=Visit.Status.PLANNED).order_by("start").first()


def _group(offer: Offer, standard: QualityStandard) -> TargetGroup | None:
    """The offer's target group in the standard (None for a request's offer)."""
    return next((g for g in standard.groups if g.id == offer.group), None)


def offer_kind(offer: Offer, standard: QualityStandard) -> LetterKind:
    group = _group(offer, standard)
    if group is not None and group.invites_to:
        return LetterKind.INVITATION
    if offer.letter == Offer.Letter.WITH_TIME:
        return LetterKind.OFFER_WITH_TIME
    return LetterKind.OFFER_WITHOUT_TIME


def open_events(offer: Offer, standard: QualityStandard, today: date) -> list[StoredEvent]:
    """The events of the activity the offer's group invites to (``arrangement`` or ``invitation``) that the
    citizen can still come to: in the offer's plan year, on or after its ``due_from`` (and, for an
    arrangement, by its ``due_to``), after ``today``, with a free place. In date order."""
    group = _group(offer, standard)
    activity = group.invites_to if group is not None else None
    if activity is None:
        return []
    events = StoredEvent.objects.filter(
        activity=activity, start__year=offer.year, start__date__gte=offer.due_from, start__date__gt=today
    )
    if group is not None and group.arrangement:
        events = events.filter(start__date__lte=offer.due_to)
    events = events.annotate(taken=Count("registrations")).order_by("start", "pk")
    return [e for e in events if e.capacity is None or e.taken < e.capacity]


def is_arrangement(offer: Offer, standard: QualityStandard) -> bool:
    """Whether the offer is a collective arrangement (its group's ``arrangement``), not a visit."""
    group = _group(offer, standard)
    return group is not None and group.arrangement is not None


def invitation_events(offer: Offer, standard: QualityStandard, today: date) -> tuple[Event, ...]:
    """What the invitation names (:func:`open_events`), the first first. :class:`NotReady` when there is
    none: the offer waits for a date (or a free place) and its letter goes when one exists."""
    found = open_events(offer, standard, today)
    if not found:
        group = _group(offer, standard)
        activity = group.invites_to if group is not None else None
        name = next((a.name for a in standard.activities if a.id == activity), activity)
        raise NotReady(
            _("Der er ingen %(name)s i %(year)s med ledige pladser, som borgeren kan nå at komme til.")
            % {"name": name, "year": offer.year}
        )
    return tuple(
        Event(name=e.name, place=e.place, start=naive_local(e.start), end=naive_local(e.end)) for e in found
    )


def group_purpose(offer: Offer, standard: QualityStandard) -> str:
    group = _group(offer, standard)
    return (group.purpose or "") if group is not None else ""


def purposes(offers: list[Offer], standard: QualityStandard) -> str:
    """The purposes the standard gives the offers' groups, each once: "opspore og forebygge ensomhed og at
    afklare behovet for fremtidige besøg"."""
    found = dict.fromkeys(p for p in (group_purpose(o, standard) for o in offers) if p)
    return " og at ".join(found)


def offer_reasons(offers: list[Offer], standard: QualityStandard) -> tuple[str, ...]:
    """Why each offer is made, when one letter carries several offers of one citizen (one visit for her two
    target groups): one clause per reason, about "du", or in a couple's joint letter "I" when it holds for
    both and else the spouse's name. Empty when each citizen has one offer here: then the template words the
    group as it always has."""
    citizens = list(dict.fromkeys(o.citizen_id for o in offers))
    if len(offers) == len(citizens):
        return ()
    names = {o.citizen_id: o.citizen.name for o in offers}
    whose: dict[str, list[int]] = {}
    for offer in offers:
        ids = whose.setdefault(offer_reason(_group(offer, standard), offer.trigger), [])
        if offer.citizen_id not in ids:
            ids.append(offer.citizen_id)
    if len(citizens) == 1:
        return tuple(f"du {reason}" for reason in whose)
    return tuple(
        f"{'I' if len(ids) == len(citizens) else names[ids[0]]} {reason}" for reason, ids in whose.items()
    )


def letter_response(offers: list[Offer]) -> Response | None:
    """What the letter asks of the citizen: opt-out when any of its offers is (the visit stands unless she
    declines), else the first offer's answer form."""
    if any(o.response == Offer.Response.OPT_OUT for o in offers):
        return Response.OPT_OUT
    return Response(offers[0].response) if offers[0].response else None


def visiting_hours(standard: QualityStandard) -> VisitingHours | None:
    """The standard's ``[visiting_hours]`` as a letter states them ("på hverdage kl. 9.30–16.00")."""
    hours = standard.visiting_hours
    if hours is None:
        return None
    return VisitingHours(weekdays=tuple(hours.weekdays), start=hours.start, end=hours.end)


def with_standard_texts(letter: Letter, standard: QualityStandard) -> Letter:
    """An offer letter with what it takes from the standard itself: the visiting hours, the legal basis,
    what the standard asks of the citizen and its notes (``[letters]``)."""
    return replace(
        letter,
        visiting_hours=visiting_hours(standard),
        law=standard.legal_basis,
        citizen_asked=tuple(t.text for t in standard.letters.citizen_asked),
        notes=tuple(t.text for t in standard.letters.notes),
    )


def offer_letter(
    offers: list[Offer], standard: QualityStandard, *, today: date, reference: str, the_sender: Sender
) -> Letter:
    """The letter offering a visit: to one citizen, or a couple's joint letter. One visit may answer several
    offers of one citizen (she is in two target groups): the letter names each reason (:func:`offer_reasons`).

    Raises :class:`NotReady` when the offer has a time but no planned visit yet, or one too soon after the
    letter's date (``today``) to give the notice the standard asks for
    (:func:`fhb.core.letters.deadlines.notice_problem`), or invites to an event that has no date yet. An
    opt-out letter asks for an answer by :func:`fhb.core.letters.deadlines.reply_by`.
    """
    first = offers[0]
    kind = offer_kind(first, standard)
    visit = None
    if kind is LetterKind.OFFER_WITH_TIME:
        visit = planned_visit(first)
        if visit is None:
            raise NotReady(_("Tilbuddet skal have et tidspunkt, men der er ikke planlagt et besøg endnu."))
        problem = deadlines.notice_problem(today, naive_local(visit.start).date(), standard.deadlines)
        if problem is not None:
            raise NotReady(problem)
    events: tuple[Event, ...] = ()
    if kind is LetterKind.INVITATION:
        events = invitation_events(first, standard, today)
    response = letter_response(offers)
    reply_by = None
    if visit is not None and response is Response.OPT_OUT:
        reply_by = deadlines.reply_by(today, naive_local(visit.start).date(), standard.deadlines)
    letter = Letter(
        kind=kind,
        standard=standard.id,
        sender=the_sender,
        recipients=tuple(recipient(c) for c in {o.citizen_id: o.citizen for o in offers}.values()),
        date=today,
        reference=reference,
        group=first.group,
        response=response,
        appointment=appointment(visit) if visit is not None else None,
        event=events[0] if events else None,
        other_events=events[1:],
        arrangement=any(is_arrangement(o, standard) for o in offers),
        duration_min=max(o.duration_min or standard.visit.duration_min for o in offers),
        reply_by=reply_by,
        purpose=purposes(offers, standard),
        reasons=offer_reasons(offers, standard),
        couple=any(o.couple_cpr for o in offers),
    )
    return with_standard_texts(letter, standard)


def visit_letter(
    kind: LetterKind,
    visit: Visit,
    citizen: Citizen,
    standard: QualityStandard,
    *,
    today: date,
    reference: str,
    the_sender: Sender,
    previous: Appointment | None = None,
    reason: str = "",
    signed_by: str = "",
) -> Letter:
    """A letter about one visit: new time, cancellation or the closed-door note."""
    offer = visit.offers.first()
    return Letter(
        kind=kind,
        standard=standard.id,
        sender=the_sender,
        recipients=(recipient(citizen),),
        date=today,
        reference=reference,
        group=offer.group if offer else "",
        appointment=appointment(visit) if kind is not LetterKind.CANCELLATION else None,
        previous=previous
        if previous is not None
        else (appointment(visit) if kind is LetterKind.CANCELLATION else None),
        duration_min=(offer.duration_min if offer else None) or standard.visit.duration_min,
        reason=reason,
        signed_by=signed_by,
        visiting_hours=visiting_hours(standard),
    )


def follow_up_letter(
    offer: Offer, standard: QualityStandard, *, today: date, reference: str, the_sender: Sender
) -> Letter:
    letter = Letter(
        kind=LetterKind.FOLLOW_UP,
        standard=standard.id,
        sender=the_sender,
        recipients=(recipient(offer.citizen),),
        date=today,
        reference=reference,
        group=offer.group,
        response=Response(offer.response) if offer.response else None,
        duration_min=offer.duration_min or standard.visit.duration_min,
        purpose=group_purpose(offer, standard),
        couple=bool(offer.couple_cpr),
    )
    return with_standard_texts(letter, standard)
