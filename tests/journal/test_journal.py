"""The journal: notes only with consent, choices from the standard, and every read logged."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fhb.journal.forms import ConsentForm, WithdrawForm
from fhb.journal.models import Consent, JournalNote, JournalRead
from fhb.journal.service import JournalError, record_consent, withdraw_consent, write_note
from fhb.standards.current import current_standard
from tests.conftest import PASSWORD
from tests.letters.world import ALONE70, at, offer, plan, world

pytestmark = pytest.mark.django_db


def citizen() -> Any:
    return offer(ALONE70["cpr"], "alone70").citizen


def test_no_note_without_consent_and_none_after_it_is_withdrawn() -> None:
    world()
    person = citizen()
    with pytest.raises(JournalError, match="samtykke"):
        write_note(person, current_standard(), text="Har det godt", today=date(2027, 3, 9))
    consent = record_consent(person, Consent.Kind.DOCUMENTATION, given_on=date(2027, 3, 9))
    note = write_note(
        person,
        current_standard(),
        topics=["Trivsel", "Dagligdag"],
        themes=["Ensomhed"],
        text="Godt",
        today=date(2027, 3, 9),
    )
    assert note.topics == ["Dagligdag", "Trivsel"], "kept in the standard's order"
    withdraw_consent(consent, on=date(2027, 4, 1))
    with pytest.raises(JournalError):
        write_note(person, current_standard(), text="Mere", today=date(2027, 4, 2))
    assert JournalNote.objects.count() == 1, "what was written with consent stays"


def test_choices_come_from_the_standard() -> None:
    world()
    person = citizen()
    record_consent(person, Consent.Kind.DOCUMENTATION, given_on=date(2027, 3, 9))
    with pytest.raises(JournalError, match="Henvisninger"):
        write_note(person, current_standard(), referrals=["Noget helt andet"], today=date(2027, 3, 9))
    note = write_note(person, current_standard(), referrals=["Seniormesse"], today=date(2027, 3, 9))
    assert note.referrals == ["Seniormesse"]
    with pytest.raises(JournalError, match="tomt"):
        write_note(person, current_standard(), today=date(2027, 3, 9))


def test_pass_on_in_a_note_records_that_consent() -> None:
    world()
    person = citizen()
    record_consent(person, Consent.Kind.DOCUMENTATION, given_on=date(2027, 3, 9))
    write_note(person, current_standard(), pass_on=True, pass_on_scope="Hjemmeplejen", today=date(2027, 3, 9))
    consent = Consent.objects.in_force().get(kind=Consent.Kind.PASS_ON)
    assert consent.scope == "Hjemmeplejen"


def test_one_consent_of_a_kind_in_force() -> None:
    world()
    person = citizen()
    record_consent(person, Consent.Kind.DOCUMENTATION, given_on=date(2027, 3, 9))
    with pytest.raises(JournalError, match="allerede"):
        record_consent(person, Consent.Kind.DOCUMENTATION, given_on=date(2027, 3, 10))


def login(client: Any, make_user: Any, role: str) -> Any:
    user = make_user(role)
    assert client.login(username=role, password=PASSWORD)
    return user


def test_a_consent_given_or_withdrawn_tomorrow_is_refused() -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    given = ConsentForm({"kind": "documentation", "given": "verbal", "given_on": tomorrow.isoformat()})
    assert not given.is_valid() and "fremtiden" in str(given.errors["given_on"]), given.errors
    today = ConsentForm({"kind": "documentation", "given": "verbal", "given_on": timezone.localdate()})
    assert today.is_valid(), today.errors
    withdrawn = WithdrawForm({"withdrawn_on": tomorrow.isoformat()})
    assert not withdrawn.is_valid() and "fremtiden" in str(withdrawn.errors["withdrawn_on"]), withdrawn.errors


def test_a_note_from_the_browser_and_every_read_is_logged_for_the_leader(client: Any, make_user: Any) -> None:
    world()
    person = citizen()
    consultant = login(client, make_user, "consultant")
    visit = plan(offer(ALONE70["cpr"], "alone70"), at(9, 3, 10), consultant=consultant)
    page = reverse("citizen-detail", args=[person.cpr])
    refused = client.post(reverse("journal-note-new", args=[person.cpr]), {"text": "Hemmeligt"}, follow=True)
    assert "samtykke" in refused.content.decode() and not JournalNote.objects.exists()
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(
        reverse("consent-new", args=[person.cpr]),
        {"kind": "documentation", "given": "verbal", "given_on": tomorrow.isoformat()},
    )
    assert not Consent.objects.exists(), "no consent given tomorrow"
    client.post(
        reverse("consent-new", args=[person.cpr]),
        {"kind": "documentation", "given": "verbal", "given_on": timezone.localdate().isoformat()},
    )
    client.post(
        reverse("journal-note-new", args=[person.cpr]),
        {"topics": ["Trivsel"], "agreements": "Ringer i maj", "text": "Glad for haven", "visit": visit.pk},
    )
    note = JournalNote.objects.get()
    assert note.visit == visit and note.written_by is not None and note.written_by.username == "consultant"
    opened = JournalRead.objects.get()
    assert opened.page == "borger" and opened.notes == 0, "opening the page is logged, notes or none"
    shown = client.get(page).content.decode()
    assert "Glad for haven" in shown and "Ringer i maj" in shown
    read = JournalRead.objects.exclude(pk=opened.pk).get()
    assert (
        read.user is not None
        and read.user.username == "consultant"
        and read.citizen == person
        and read.notes == 1
    )
    assert client.get(reverse("journal-reads")).status_code == 403
    client.logout()
    login(client, make_user, "leader")
    log = client.get(reverse("journal-reads")).content.decode()
    assert person.name in log and "borger" in log
