"""A citizen with something in every place fhb keeps personal data, for the access export and retention.

Aksel Ålund (70, living alone, Hjørring 2027) has care facts, an offer with an answer and a follow-up, a
request from his daughter, a letter rendered to PDF and MeMo, a held visit with a journal note, a consent,
practical notes, a read of his journal, an admin log entry and a planning log that names him. Each free
text names him, so a search for his name finds every place that was not erased.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from fhb.accounts.models import User
from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.journal.models import Consent, JournalNote, JournalRead
from fhb.letters.actions import send_run_letters
from fhb.letters.outbox import render_pending
from fhb.offers.actions import start_run
from fhb.offers.models import Answer, Assessment, EligibilityRun, FollowUp, Offer, Request
from fhb.planning.models import PlanRun
from fhb.standards.current import current_standard
from fhb.visits.models import HomeNotes, Visit
from tests.citizens.builders import citizens_csv, events_csv
from tests.letters.world import ALONE70, HUSBAND85, PEOPLE, WIFE80, at, plan, sender_settings

AKSEL = ALONE70
NAME = AKSEL["name"]
CPR = AKSEL["cpr"]
EVENTS = (
    {"cpr": CPR, "kind": "practical_help", "start": "2025-01-01", "end": "", "note": f"{NAME}: rengøring"},
)


def load(
    people: list[dict[str, Any]], events: tuple[dict[str, Any], ...] = EVENTS, force: bool = False
) -> None:
    import_extract(
        ImportFile("citizens.csv", citizens_csv(people)),
        ImportFile("events.csv", events_csv(events)),
        force=force,
    )


def build_world(consultant: User) -> EligibilityRun:
    """The small municipality of tests/letters/world.py with Aksel's whole case; returns the 2027 run."""
    load(PEOPLE)
    sender_settings()
    run = start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    aksel = Citizen.objects.get(cpr=CPR)
    offer = Offer.objects.filter(citizen=aksel, decision=Offer.Decision.OFFER).first()
    assert offer is not None, "Aksel (70, living alone) is offered a visit in Hjørring 2027"

    send_run_letters(run, today=date(2027, 2, 1), standard=current_standard())
    render_pending()
    Answer.objects.create(
        offer=offer, reply="yes", channel="phone", received=date(2027, 2, 10), note=f"{NAME} ringede"
    )
    FollowUp.objects.create(offer=offer, due=date(2027, 5, 1), note=f"Ring til {NAME}")
    Request.objects.create(
        citizen=aksel,
        received=date(2027, 3, 1),
        came_from=Request.From.RELATIVE,
        contact_name="Eva Datter",
        consent=True,
        channel="phone",
        note=f"Datteren er bekymret for {NAME}",
    )
    Assessment.objects.create(
        citizen=aksel,
        year=2027,
        group="risk",
        what=f"Hjemmeplejen er bekymret for {NAME}",
        known_on=date(2027, 3, 1),
        deadline=date(2027, 3, 15),
        due_to=date(2027, 5, 24),
        origin=Assessment.Origin.REFERRAL,
        referred_by=Assessment.ReferredBy.COLLEAGUE,
        referrer_name="Hanne Hjemmepleje",
        note=f"{NAME} vil gerne have besøg",
        outcome=Assessment.Outcome.NO_NEED,
        outcome_reason=f"{NAME} har det godt",
        decided_on=date(2027, 3, 5),
    )
    visit = plan(offer, at(9, 3, 10), consultant=consultant)
    Visit.objects.filter(pk=visit.pk).update(
        status=Visit.Status.HELD, status_reason=f"{NAME} var glad for besøget", interpreter="tysk"
    )
    Consent.objects.create(
        citizen=aksel, kind=Consent.Kind.DOCUMENTATION, given_on=date(2027, 3, 9), recorded_by=consultant
    )
    JournalNote.objects.create(
        citizen=aksel,
        visit=visit,
        topics=["Trivsel"],
        agreements="Nyt besøg om et år",
        text=f"{NAME} har faldet to gange i år.",
        written_by=consultant,
    )
    HomeNotes.objects.create(
        citizen=aksel, phone="98 76 54 32", pets="Hund (Fido)", access="Nøgle hos naboen"
    )
    JournalRead.objects.create(citizen=aksel, user=consultant, page="citizen", notes=1)
    LogEntry.objects.create(
        user=consultant,
        content_type=ContentType.objects.get_for_model(Citizen),
        object_id=str(aksel.pk),
        object_repr=str(aksel),
        action_flag=CHANGE,
        change_message=f"Rettet {NAME}",
    )
    PlanRun.objects.create(
        first=date(2027, 3, 1),
        last=date(2027, 3, 31),
        seconds=1.0,
        summary={"missing_place": [{"cpr": CPR, "name": NAME}]},
    )
    return run


def gone(*cprs: str) -> None:
    """A new extract without ``cprs``: they are no longer in the extract."""
    # force: past the brake (one of a handful of citizens is far above FHB_IMPORT_MAX_GONE_PERCENT)
    load([p for p in PEOPLE if p["cpr"] not in cprs], EVENTS if CPR not in cprs else (), force=True)


__all__ = ["AKSEL", "CPR", "HUSBAND85", "NAME", "WIFE80", "build_world", "gone", "load"]
