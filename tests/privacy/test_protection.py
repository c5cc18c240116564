"""Name and address protection, problem by problem (the sweep, tests/privacy/test_protection_sweep.py,
looks at every page at once)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fhb.journal.models import JournalRead
from fhb.letters.models import Letter
from fhb.planning.models import Consultant
from tests.conftest import PASSWORD
from tests.privacy.protection_world import LAT, STREET, ProtectionWorld, build_protection_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ProtectionWorld:
    return build_protection_world()


def as_user(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def test_the_day_map_leaves_the_protected_stop_off_and_says_so(world: ProtectionWorld) -> None:
    """Problem 1: the map kept the stop's dot at 0.1 px, and the outline let anyone invert the projection."""
    karen = Consultant.objects.get(user=world.visit.consultant)
    for name in ("karen", "kim", "leder"):
        page = as_user(name).get(reverse("plan-day", args=[karen.user_id, world.today])).content.decode()
        assert not any(dot in page for dot in world.map_dots()), f"{name} sees the dot of the protected home"
        assert "adressebeskyttelse er ikke tegnet på kortet" in page, "the map says a stop is left off"
        assert page.count('<g class="stop">') == 1, "the other stop of the day is still drawn"


def test_the_calendar_feed_says_adressebeskyttet(world: ProtectionWorld) -> None:
    """Problem 3: the feed carried the street into phone calendars, which sync to the cloud."""
    token = Consultant.objects.get(user=world.visit.consultant).ical_token
    feed = Client().get(reverse("consultant-ical", args=[token])).content.decode()
    unfolded = feed.replace("\r\n ", "")
    assert "LOCATION:Adressebeskyttet\\, Hjørring" in unfolded and STREET not in unfolded


def test_a_protected_citizens_letter_does_not_open_and_the_refusal_says_why(world: ProtectionWorld) -> None:
    """Problem 9: letter PDFs opened for every staff role and printed the protected street."""
    letter = Letter.objects.get(citizen=world.ella, kind="new_time")
    assert letter.pdf, "the letter was rendered (it goes out as written)"
    for name in ("karen", "leder", "admin"):
        response = as_user(name).get(reverse("letter-pdf", args=[letter.uuid]))
        assert response.status_code == 403 and "beskyttet adresse" in response.content.decode(), name
    page = as_user("karen").get(reverse("citizen-detail", args=[world.ella.cpr])).content.decode()
    assert reverse("letter-pdf", args=[letter.uuid]) not in page, "the citizen page does not link to it"


def test_a_housemates_page_shows_neither_the_address_nor_the_protected_person(world: ProtectionWorld) -> None:
    """Problem 9: an unprotected housemate's page showed the shared address and linked to her."""
    page = as_user("kim").get(reverse("citizen-detail", args=[world.frede.cpr])).content.decode()
    assert STREET not in page and "Adressebeskyttet" in page
    assert world.ella.name not in page and world.ella.cpr not in page


def test_pages_about_citizens_are_not_cached_and_every_opening_is_logged(world: ProtectionWorld) -> None:
    """Problem 10: no Cache-Control on pages with personal data; opening a citizen whose journal is empty
    left no trace."""
    JournalRead.objects.all().delete()
    client = as_user("kim")
    response = client.get(reverse("citizen-detail", args=[world.frede.cpr]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    opened = JournalRead.objects.get()
    assert (opened.citizen, opened.user.username, opened.notes) == (world.frede, "kim", 0)  # type: ignore[union-attr]
    as_user("leder").get(reverse("citizen-export", args=[world.ella.cpr]))
    as_user("karen").get(reverse("citizen-detail", args=[world.ella.cpr]))
    log = as_user("leder").get(reverse("journal-reads") + f"?cpr={world.ella.cpr}").content.decode()
    assert "indsigt" in log and "borger" in log, "the leader's log answers who looked at this person"
    assert "karen" in log


def test_the_assigned_consultant_sees_the_address_on_her_day_with_the_map_link(
    world: ProtectionWorld,
) -> None:
    page = as_user("karen").get(reverse("today")).content.decode()
    assert STREET in page and f"geo:{LAT:.6f}" in page
    assert JournalRead.objects.filter(user__username="karen", page__startswith="beskyttet adresse").exists()
