"""Who was invited to an event (a seniormesse, an information meeting): the recipients of its invitation
letters.

The invitation is a letter: ``fhb.letters.compose.offer_letter`` writes a letter of kind ``invitation`` for
an offer whose target group invites to an activity (``TargetGroup.invitation``, or ``arrangement`` when the
activity is the offer itself), naming every event of that activity the citizen can still come to
(``invitation_events``: the offer's plan year, on or after its ``due_from``, with a free place; an
information meeting held in several places is several events); ``fhb.letters.sending`` leaves the offer
waiting, without a letter, while there is no such event. So the citizens invited to an event are the
recipients of the letters that

1. are of kind ``invitation`` and not cancelled (queued, rendered, failed and due a retry, or delivered),
2. hang on an offer of the event's plan year (the year of the event's local start), and
3. name this event: one of the events in the letter's stored content (what the letter says, fixed when it
   was queued: ``event`` and ``other_events``) starts when this event starts. A letter whose content names
   no stored event (the events were moved after the letters went out, or the citizen was anonymised and the
   content emptied) is counted for the first event of the year on or after the offer's ``due_from``.

A letter listing four information meetings invites its citizen to each of them: each meeting's figure
counts her, and the activity's figure counts her once.

The link goes through the stored letters and offers, not through the current standard, so the figures of a
past year do not change when the standard or a citizen's data change later. Rule 3's fallback looks at
every event of the year whatever its activity: club talks are :class:`~fhb.events.models.ClubVisit` rows,
so today only the seniormesse has events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from fhb.core.letters.model import LetterKind
from fhb.core.standard.schema import QualityStandard
from fhb.events.models import Event
from fhb.events.services import event_day, event_year
from fhb.letters.models import Letter
from fhb.local_time import naive_local
from fhb.offers.models import Offer


def _local_iso(moment: dt.datetime) -> str:
    """How a letter's content stores an event's start: the naive local time in ISO form."""
    return naive_local(moment).isoformat()


def invitation_letters(years: Iterable[int]) -> QuerySet[Any]:
    """One row per (invitation letter, offer of ``years``), rules 1 and 2 of the module's docstring."""
    through = Letter.offers.through
    return (
        through.objects.filter(letter__kind=LetterKind.INVITATION.value, offer__year__in=list(years))
        .exclude(letter__status=Letter.Status.CANCELLED)
        .order_by()
    )


def invited_by_event(events: Iterable[Event]) -> dict[int, set[int]]:
    """The ids of the citizens invited to each of ``events`` (event id -> citizen ids)."""
    wanted = {e.pk for e in events}
    years = {event_year(e) for e in events}
    result: dict[int, set[int]] = {pk: set() for pk in wanted}
    if not wanted:
        return result
    of_year: dict[int, list[Event]] = defaultdict(list)
    for event in Event.objects.filter(start__year__in=years).order_by("start", "pk"):
        of_year[event_year(event)].append(event)
    by_start = {(year, _local_iso(e.start)): e for year, evs in of_year.items() for e in reversed(evs)}
    rows = invitation_letters(years).values_list(
        "letter__citizen_id",
        "letter__content__event__start",
        "letter__content__other_events",
        "offer__year",
        "offer__due_from",
    )
    for citizen_id, first_start, others, year, due_from in rows:
        starts = (
            [first_start, *(e.get("start") for e in others if isinstance(e, dict))]
            if others
            else [first_start]
        )
        named = [by_start[(year, s)] for s in starts if isinstance(s, str) and (year, s) in by_start]
        if not named:
            fallback = next((e for e in of_year[year] if event_day(e) >= due_from), None)
            named = [fallback] if fallback is not None else []
        for event in named:
            if event.pk in wanted:
                result[event.pk].add(citizen_id)
    return result


def invited_citizen_ids(event: Event) -> set[int]:
    return invited_by_event([event])[event.pk]


def invitation_groups(activity: str, standard: QualityStandard) -> list[str]:
    """The target groups whose letter invites to ``activity``: as its ``invitation`` or ``arrangement``."""
    return [g.id for g in standard.groups if activity in (g.invitation, g.arrangement)]


def arrangement_groups(standard: QualityStandard) -> dict[str, list[str]]:
    """The groups whose offer is a collective arrangement, by activity (``arrangement`` -> group ids)."""
    found: dict[str, list[str]] = {}
    for group in standard.groups:
        if group.arrangement is not None:
            found.setdefault(group.arrangement, []).append(group.id)
    return found


def waiting_for_invitation(event: Event, standard: QualityStandard) -> int:
    """Open offers of the event's year in a group that invites to its activity, with no letter yet: the
    citizens still to be invited (their letters are sent from the run's page once an event exists)."""
    groups = invitation_groups(event.activity, standard)
    if not groups:
        return 0
    lettered = Letter.objects.filter(offers=OuterRef("pk")).exclude(status=Letter.Status.CANCELLED)
    return (
        Offer.objects.filter(
            year=event_year(event),
            group__in=groups,
            status=Offer.Status.ACTIVE,
            decision=Offer.Decision.OFFER,
            reply=Offer.Reply.NONE,
        )
        .exclude(Exists(lettered))
        .count()
    )
