"""The demo's events: Hjørring's seniormesse with invitations and sign-ups, Herning's club visits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fhb.demo.events import demo_events
from fhb.events.models import ClubVisit, Event
from fhb.letters.models import Letter
from fhb.standards.current import standard_named
from tests.events.world import dorte
from tests.letters.world import world

pytestmark = pytest.mark.django_db


def test_hjoerring_demo_invites_and_signs_up_before_the_day() -> None:
    world()
    demo_events(standard_named("hjoerring"), date(2027, 2, 1))
    event = Event.objects.get()
    assert event.capacity and (event.end - event.start).total_seconds() == 3 * 3600, "the standard's 3 h"
    letter = Letter.objects.get(kind="invitation")
    assert letter.citizen == dorte() and letter.content["date"] == "2027-02-01"
    registration = event.registrations.get()
    assert registration.citizen == dorte() and registration.attended is None
    demo_events(standard_named("hjoerring"), date(2027, 2, 1))
    assert Event.objects.count() == 1 and Letter.objects.filter(kind="invitation").count() == 1
    assert event.registrations.count() == 1, "safe to repeat"


def test_hjoerring_demo_after_the_day_records_attendance() -> None:
    world()
    demo_events(standard_named("hjoerring"), date(2027, 6, 1))
    registration = Event.objects.get().registrations.get()
    assert registration.attended is not None
    assert Letter.objects.get(kind="invitation").content["date"] == "2027-03-09", "six weeks before"


def test_herning_demo_logs_club_visits(settings: Any, make_user: Any) -> None:
    settings.FHB_STANDARD = "herning"
    karen = make_user("consultant", "konsulent")
    demo_events(standard_named("herning"), date(2027, 5, 1))
    assert ClubVisit.objects.count() == 8 and not Event.objects.exists()
    assert set(ClubVisit.objects.values_list("consultant", flat=True)) == {karen.pk}
    assert all(v.date < date(2027, 5, 1) for v in ClubVisit.objects.all())
    demo_events(standard_named("herning"), date(2027, 5, 1))
    assert ClubVisit.objects.count() == 8
