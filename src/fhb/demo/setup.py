"""The demo, built in one go: a synthetic municipality imported, the yearly run, made-up sender details,
demo users, the consultants' calendars with a first plan, events, synthetic history and a day to run.

``fhb demo-setup`` (what ``make demo`` runs) calls :func:`build_demo`; every name, phone number and address
it writes is made up.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone

from fhb.accounts.models import User
from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.core.standard.schema import QualityStandard
from fhb.demo.events import demo_events
from fhb.demo.history import default_history_years, write_history
from fhb.demo.synth.figures import Municipality
from fhb.demo.synth.generator import SynthOptions, write_municipality
from fhb.demo.synth.geography import area_of
from fhb.demo.synth.municipality_file import municipality_for_standard
from fhb.demo.worklist import demo_worklist
from fhb.events.models import Event
from fhb.history import save_with_reason
from fhb.letters.models import SenderSettings
from fhb.offers.actions import start_run
from fhb.offers.models import Channel, Offer
from fhb.offers.years import default_extract_date
from fhb.planning.actions import answer_with_time, run_plan
from fhb.planning.models import Consultant
from fhb.visits.models import HomeNotes, Visit

DEMO_USERS = [
    ("konsulent", "Karen", "Konsulent", "consultant"),
    ("konsulent2", "Kim", "Kragh", "consultant"),
    ("konsulent3", "Kirsten", "Kjær", "consultant"),
    ("leder", "Lars", "Leder", "leader"),
    ("admin", "Anne", "Administrator", "admin"),
]

#: Only where the standard hands citizens over to a dementia coordinator (Ishøj).
COORDINATOR = ("demens", "Dorthe", "Demensen", "dementia_coordinator")

#: Made-up notes for the door, for the demo day's first visits.
DEMO_HOME_NOTES = [
    {"phone": "20 00 00 01", "pets": "Hund (venlig), lukkes ud i haven", "smoking": False},
    {"phone": "20 00 00 02", "pets": "", "smoking": True, "access": "Ring på hos naboen, nr. 3"},
    {"phone": "20 00 00 03", "pets": "Kat", "smoking": False},
]

#: Where no offer of the plan year carries a time (the citizen is phoned, or is to get in touch), the
#: planner has nothing to place: the demo books this many visits as agreed with the citizen on the phone,
#: on the first working days of the plan, so the calendars and the day's visits are not empty.
AGREED_VISITS = 12
#: The times of day (hour, minute) of those visits, one consultant after the other.
AGREED_TIMES = ((9, 0), (11, 0), (13, 0))

#: Made-up contact details for the demo's letters (never a real phone number or mailbox).
DEMO_SENDER = {
    "cvr": "12345678",
    "unit": "Forebyggende hjemmebesøg (demo)",
    "street": "Demovej 1",
    "postcode": "9999",
    "city": "Demoby",
    "phone": "70 00 00 00",
    "phone_hours": "mandag-fredag kl. 8.00-9.30",
    "email": "forebyg@example.dk",
    "signature": "De forebyggende medarbejdere",
}


def build_demo(
    standard: QualityStandard,
    *,
    name: str,
    year: int,
    seed: int,
    size: float,
    data_dir: Path,
    today: date,
    municipality: Municipality | None = None,
) -> None:
    """Build the demo database for ``standard`` (``name``: the shipped name or the file) and print what
    was made. The synthetic population imitates ``municipality``; by default the one described beside the
    standard file, else the shipped figures of its code (:func:`municipality_for_standard`)."""
    if municipality is None:
        municipality = municipality_for_standard(name, standard.municipality.code)
    call_command("migrate", interactive=False, verbosity=0)

    # The extract is taken today (or on 1 January once the plan year has begun): no death in the future.
    out = data_dir / "extract"
    options = SynthOptions(
        standard=municipality.key,
        seed=seed,
        size=size,
        year=year,
        on=min(today, date(year, 1, 1)),
        municipality=municipality,
    )
    write_municipality(options, out)
    result = import_extract(
        ImportFile.from_path(out / "citizens.csv"), ImportFile.from_path(out / "events.csv")
    )
    counts = result.summary["counts"]
    print(
        f"Demo: {result.summary['total_citizens']} syntetiske borgere i {name} "
        f"({counts['new']} nye, {counts['other_changes']} ændrede) fra {out}"
    )
    eligibility = start_run(year, "yearly", on=default_extract_date(year, today), standard=standard)
    print(
        f"Årskørsel {year}: {eligibility.summary['new']} nye afgørelser gemt"
        " (tilbud, undtagelser, vurderinger)"
    )
    demo_letters(standard, name, year)
    demo_users(standard)
    demo_planning(standard, municipality, year, today)
    demo_events(standard, today)
    history = write_history(default_history_years(year), standard=standard, seed=seed, today=today)
    print(f"Historik: {len(history.years)} tidligere planår (syntetiske) gemt på {history.seconds:.1f} s")
    demo_day(today)
    demo_worklist(standard, today)


def demo_users(standard: QualityStandard) -> None:
    """The demo users with fresh passwords, printed: they are the only way into the demo."""
    print("Demo-brugere (adgangskoder gælder denne demo):")
    users = DEMO_USERS + ([COORDINATOR] if standard.handovers else [])
    for username, first, last, role in users:
        password = secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.role = first, last, role
        user.is_superuser = role == "admin"
        user.set_password(password)
        user.save()
        print(f"  {role:<11} brugernavn: {username:<10} adgangskode: {password}")


def demo_day(today: date) -> None:
    """Give the first demo consultant a day of visits today, so the day can be run in the browser: the
    visits of her first planned day, moved to today at the same times and fixed there."""
    user = User.objects.get(username="konsulent")
    planned = Visit.objects.open().filter(consultant=user, start__date__gt=today).order_by("start")
    first = planned.first()
    if first is None:
        print("Ingen besøg at flytte til i dag.")
        return
    day = timezone.localdate(first.start)
    moved = 0
    for visit in planned.filter(start__date=day):
        start = timezone.localtime(visit.start)
        visit.start = timezone.make_aware(datetime.combine(today, start.time()))
        visit.end = visit.start + (visit.end - start)
        visit.fixed = True
        save_with_reason(visit, "Demo: dagens besøg", update_fields=["start", "end", "fixed"])
        citizen = visit.offers.select_related("citizen").first().citizen  # type: ignore[union-attr]
        if moved < len(DEMO_HOME_NOTES):
            HomeNotes.objects.update_or_create(citizen=citizen, defaults=DEMO_HOME_NOTES[moved])
        moved += 1
    print(f"Dagens besøg: {moved} besøg hos {user.get_full_name()} i dag ({today:%d.%m.%Y}); se »I dag«.")


def demo_planning(standard: QualityStandard, municipality: Municipality, year: int, today: date) -> None:
    """The demo consultants' calendars (based at the centre of the town named like the municipality, else
    of its first town) and a first four-week plan."""
    centres = area_of(municipality).centres
    town_name = standard.municipality.name.removesuffix(" Kommune")
    town = next((c for c in centres if c.city == town_name), centres[0])
    for user in User.objects.filter(role="consultant"):
        Consultant.objects.update_or_create(
            user=user,
            defaults={
                "base_name": f"Sundhedscentret, {town.city}",
                "base_lat": town.lat,
                "base_lon": town.lon,
            },
        )
    start = max(today, date(year, 1, 1))
    monday = start + timedelta(days=-start.weekday() % 7)
    plan_run, _ = run_plan(monday, 4, standard=standard, seconds=5, today=today)
    summary = plan_run.summary
    print(
        f"Plan fra {monday:%d.%m.%Y} i 4 uger: {summary['visits']} besøg på {summary['days']} konsulentdage, "
        f"{summary['driving_min_per_visit']} min kørsel pr. besøg"
    )
    if not summary["visits"]:
        demo_agreed_visits(standard, year, monday, today)


def demo_agreed_visits(standard: QualityStandard, year: int, monday: date, today: date) -> None:
    """Book :data:`AGREED_VISITS` visits as agreed with citizens on the phone (a *yes* with a time) on the
    working days from ``monday``: the open offers of the plan year without a time whose window holds the
    day, the earliest first."""
    consultants = list(User.objects.filter(role="consultant").order_by("username"))
    cph = ZoneInfo("Europe/Copenhagen")
    slots = [
        (day, hour, minute, consultant)
        for day in (monday + timedelta(days=n) for n in range(28))
        if day.weekday() < 5
        for hour, minute in AGREED_TIMES
        for consultant in consultants
    ]
    offers = list(
        Offer.objects.filter(
            year=year,
            status=Offer.Status.ACTIVE,
            decision=Offer.Decision.OFFER,
            letter__in=(Offer.Letter.PHONE, Offer.Letter.WITHOUT_TIME),
            reply="",
            visits__isnull=True,
            citizen__death_date__isnull=True,
        ).order_by("due_from", "pk")
    )
    booked: set[int] = set()
    for day, hour, minute, consultant in slots:
        if len(booked) >= AGREED_VISITS:
            break
        offer = next(
            (o for o in offers if o.pk not in booked and o.due_from <= day <= o.due_to),
            None,
        )
        if offer is None:
            continue
        answer_with_time(
            offer,
            Offer.Reply.YES,
            datetime(day.year, day.month, day.day, hour, minute, tzinfo=cph),
            channel=Channel.PHONE,
            received=today,
            today=today,
            standard=standard,
            note="Demo: aftalt i telefonen",
            user=consultant,
        )
        booked.add(offer.pk)
    print(f"Aftalte besøg: {len(booked)} besøg aftalt med borgerne i telefonen (tilbuddene giver ingen tid)")


def demo_letters(standard: QualityStandard, name: str, year: int) -> None:
    """Made-up sender details and, where the standard invites to one, a seniormesse in the plan year."""
    SenderSettings.objects.update_or_create(pk=1, defaults=DEMO_SENDER)
    cph = ZoneInfo("Europe/Copenhagen")
    for activity in standard.activities:
        if activity.kind == "senior_fair":
            Event.objects.get_or_create(
                activity=activity.id,
                start=datetime(year, 4, 20, 10, tzinfo=cph),
                defaults={
                    "name": activity.name,
                    "place": "Sundhedscentret, Demovej 1",
                    "end": datetime(year, 4, 20, 13, tzinfo=cph),
                },
            )
    print(f"Afsenderoplysninger (opdigtede) sat for {name}; send breve fra kørslens side.")
