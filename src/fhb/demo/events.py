"""Made-up events for the demo (``fhb demo-setup`` calls :func:`demo_events`).

Where the standard has a seniormesse (Hjørring): the plan year's event (the one the demo's letters step made,
or a new one on 20 April), its invitations queued through the ordinary sending service, a share of the
invited signed up and, once the day has passed, their attendance. Where it has information meetings (a
collective arrangement, Køge): a meeting in each of the largest towns of the invited, a few weeks apart,
the invitations sent, a share signed up, and a few citizens who ask for an individual visit instead. Where it
has club visits (Herning): a handful of talks in made-up clubs over the last months, by the demo consultants.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from fhb.accounts.models import Role, User
from fhb.citizens.models import Citizen
from fhb.core.standard.schema import QualityStandard
from fhb.events import actions as event_actions
from fhb.events import services
from fhb.events.models import ClubVisit, Event
from fhb.letters.compose import NotReady
from fhb.letters.invitations import invitation_groups, invited_by_event, invited_citizen_ids
from fhb.letters.sending import offers_without_letter, send_offer_letters
from fhb.offers.answers import apply_answer
from fhb.offers.models import Channel, EligibilityRun, Offer
from fhb.offers.years import default_plan_year

#: Places at the demo's seniormesse.
DEMO_CAPACITY = 200
#: Share of the invited the demo signs up, and of those the share who come.
SIGN_UP_SHARE = 0.2
ATTEND_SHARE = 0.85
#: Information meetings: at most this many towns, so many places each, this many days apart, the first
#: at least this many days after today (time for the letters).
MEETING_TOWNS = 4
MEETING_CAPACITY = 60
MEETING_DAYS_APART = 14
MEETING_FIRST_AFTER_DAYS = 28
#: Share of the invited who ask for an individual visit instead of the arrangement.
VISIT_INSTEAD_SHARE = 0.05
#: An event already held gets its invitations dated this many days before it (the demo's made-up past).
INVITE_DAYS_BEFORE = 42

#: Made-up clubs (no real association's name).
DEMO_CLUBS = [
    ("Ældreklubben Solsikken", ClubVisit.Kind.SENIOR_CLUB),
    ("Pensionistforeningen Demoby", ClubVisit.Kind.PENSIONERS),
    ("Seniorklubben Vestergade", ClubVisit.Kind.SENIOR_CLUB),
    ("Demoby Seniordans", ClubVisit.Kind.OTHER),
    ("Pensionistforeningen Nordby", ClubVisit.Kind.PENSIONERS),
]
#: Made-up meeting places for information meetings (the town's name follows).
DEMO_HALLS = ["Medborgerhuset", "Aktivitetscentret", "Biblioteket", "Kulturhuset"]
DEMO_TOPICS = ["Faldforebyggelse", "Kost og appetit", "Ensomhed og fællesskab", "Tryghed i hjemmet", "Motion"]


def demo_events(standard: QualityStandard, today: dt.date) -> None:
    """Create the demo's events for ``standard`` (the one in force). Safe to repeat."""
    run = EligibilityRun.objects.order_by("-started_at").first()
    year = run.year if run is not None else default_plan_year(today)
    rng = random.Random(f"{standard.id}-{year}")
    for activity in services.senior_fairs(standard):
        _demo_fair(
            activity.id, activity.name, services.activity_duration(activity), year, today, rng, standard
        )
    for activity in standard.activities:
        if activity.kind == "information_meeting":
            groups = invitation_groups(activity.id, standard)
            minutes = services.activity_duration(activity)
            _demo_meetings(activity.id, activity.name, minutes, year, today, rng, groups)
            _demo_sign_ups(activity.id, groups, year, today, rng, standard)
    if services.club_visit_activity(standard) is not None:
        _demo_club_visits(today, rng)


def _demo_fair(
    activity: str,
    name: str,
    minutes: int,
    year: int,
    today: dt.date,
    rng: random.Random,
    standard: QualityStandard,
) -> None:
    event = Event.objects.filter(activity=activity, start__year=year).order_by("start").first()
    if event is None:
        start = timezone.make_aware(dt.datetime(year, 4, 20, 10))
        event = Event.objects.create(
            activity=activity,
            name=name,
            place="Sundhedscentret, Demovej 1",
            start=start,
            end=start + dt.timedelta(minutes=minutes),
        )
    if event.capacity is None:
        event.capacity = DEMO_CAPACITY
        event.save(update_fields=["capacity"])
    day = services.event_day(event)
    groups = invitation_groups(activity, standard)
    waiting = [
        o
        for o in offers_without_letter(year, contact_tries=standard.deadlines.contact_tries)
        if o.group in groups
    ]
    letter_day = today if today < day else day - dt.timedelta(days=INVITE_DAYS_BEFORE)
    try:
        send_offer_letters(
            waiting, today=letter_day, standard=standard, description=f"Demo: invitationer til {name} {year}"
        )
    except NotReady as why:
        print(f"{name}: invitationerne blev ikke sendt ({why}).")
    invited = sorted(invited_citizen_ids(event))
    signed = set(event.registrations.values_list("citizen_id", flat=True))
    wanted = min(max(1, round(len(invited) * SIGN_UP_SHARE)), event.capacity or DEMO_CAPACITY)
    candidates = [pk for pk in invited if pk not in signed]
    rng.shuffle(candidates)
    for citizen in Citizen.objects.filter(pk__in=candidates[: max(0, wanted - len(signed))]):
        if services.may_sign_up(citizen, event, standard):
            continue
        registered_on = min(today, day, letter_day + dt.timedelta(days=rng.randint(3, 30)))
        try:
            event_actions.register(
                event,
                citizen,
                standard=standard,
                registered_on=registered_on,
                channel=rng.choice([Channel.PHONE, Channel.PHONE, Channel.MAIL, Channel.DIGITAL_POST]),
            )
        except services.RegistrationError:
            continue
    registrations = list(event.registrations.all())
    if today >= day and registrations and all(r.attended is None for r in registrations):
        came = [r.pk for r in registrations if rng.random() < ATTEND_SHARE]
        event_actions.record_attendance(event, came, today=today)
    print(
        f"{event.name} {day:%d.%m.%Y}: {len(invited)} inviterede, {len(registrations)} tilmeldte"
        + (" (fremmøde registreret)" if today >= day else "")
    )


def _demo_meetings(
    activity: str, name: str, minutes: int, year: int, today: dt.date, rng: random.Random, groups: list[str]
) -> None:
    """The plan year's information meetings, one in each of the largest towns of the citizens offered the
    activity (made-up places), unless the year has some already."""
    if Event.objects.filter(activity=activity, start__year=year).exists():
        return
    towns = list(
        Citizen.objects.filter(offers__year=year, offers__group__in=groups)
        .values("dwelling__city")
        .annotate(n=Count("pk"))
        .order_by("-n", "dwelling__city")
        .values_list("dwelling__city", flat=True)[:MEETING_TOWNS]
    ) or ["Demoby"]
    first = max(today + dt.timedelta(days=MEETING_FIRST_AFTER_DAYS), dt.date(year, 3, 1))
    for i, town in enumerate(towns):
        day = first + dt.timedelta(days=i * MEETING_DAYS_APART)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(10 if i % 2 == 0 else 14)))
        Event.objects.create(
            activity=activity,
            name=name,
            place=f"{DEMO_HALLS[i % len(DEMO_HALLS)]}, {town}",
            start=start,
            end=start + dt.timedelta(minutes=minutes),
            capacity=MEETING_CAPACITY,
        )
    print(f"{name}: {len(towns)} datoer i {', '.join(towns)} (fra {first:%d.%m.%Y}).")


def _demo_sign_ups(
    activity: str, groups: list[str], year: int, today: dt.date, rng: random.Random, standard: QualityStandard
) -> None:
    """Send the arrangement's invitations, sign a share of the invited up for a date with a free place, and
    register a few who ask for an individual visit instead."""
    waiting = [
        o
        for o in offers_without_letter(year, contact_tries=standard.deadlines.contact_tries)
        if o.group in groups
    ]
    try:
        send_offer_letters(waiting, today=today, standard=standard, description=f"Demo: invitationer {year}")
    except NotReady as why:
        print(f"Invitationerne blev ikke sendt ({why}).")
        return
    events = list(Event.objects.filter(activity=activity, start__year=year).order_by("start"))
    invited = sorted(set().union(*invited_by_event(events).values())) if events else []
    rng.shuffle(invited)
    signed = asked = 0
    for citizen in Citizen.objects.filter(pk__in=invited[: round(len(invited) * SIGN_UP_SHARE)]):
        event = rng.choice(events)
        if services.may_sign_up(citizen, event, standard):
            continue
        try:
            event_actions.register(
                event, citizen, standard=standard, registered_on=today, channel=Channel.PHONE
            )
        except services.RegistrationError:
            continue
        signed += 1
    rest = invited[round(len(invited) * SIGN_UP_SHARE) :]
    # The answers are the demo's made-up past: stored in one transaction, with the line below for all.
    with transaction.atomic():
        for offer in Offer.objects.filter(
            citizen__in=rest[: round(len(invited) * VISIT_INSTEAD_SHARE)], year=year, group__in=groups
        ):
            apply_answer(
                offer, Offer.Reply.YES, channel=Channel.PHONE, received=today, today=today, standard=standard
            )
            asked += 1
    print(
        f"Fællesarrangement: {len(invited)} inviterede, {signed} tilmeldte, "
        f"{asked} ønsker et individuelt besøg i stedet."
    )


def _demo_club_visits(today: dt.date, rng: random.Random) -> None:
    if ClubVisit.objects.exists():
        return
    consultants = list(User.objects.filter(role=Role.CONSULTANT, is_active=True).order_by("username"))
    count = 8
    for i in range(count):
        club, kind = DEMO_CLUBS[i % len(DEMO_CLUBS)]
        ClubVisit.objects.create(
            date=today - dt.timedelta(days=7 + i * 19 + rng.randint(0, 6)),
            club=club,
            kind=kind,
            topic=DEMO_TOPICS[i % len(DEMO_TOPICS)],
            attendees=rng.randint(8, 45),
            consultant=consultants[i % len(consultants)] if consultants else None,
        )
    print(f"Klubbesøg: {count} opdigtede foredrag i foreninger og klubber.")
