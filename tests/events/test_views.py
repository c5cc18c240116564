"""The event pages in the browser (Django's test client): events, sign-ups, attendance, club visits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fhb.citizens.models import Citizen
from fhb.events.models import ClubVisit, Event, Registration
from tests.conftest import PASSWORD
from tests.events.world import club_visit, dorte, invited_world, local_start, seniormesse
from tests.letters.world import ALONE70, HUSBAND85, world

pytestmark = pytest.mark.django_db


def login(client: Any, make_user: Any, role: str) -> Any:
    user = make_user(role)
    assert client.login(username=role, password=PASSWORD)
    return user


def page(client: Any, name: str, *args: Any, **params: Any) -> str:
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_leader_creates_the_seniormesse_with_the_standards_three_hours(client: Any, make_user: Any) -> None:
    login(client, make_user, "leader")
    form = page(client, "event-new")
    assert 'value="180"' in form and 'value="Seniormesse"' in form
    response = client.post(
        reverse("event-new"),
        {
            "activity": "seniormesse",
            "name": "Seniormesse",
            "place": "Sundhedscenter Hjørring",
            "day": "2027-04-20",
            "start_time": "10:00",
            "duration_min": "180",
            "capacity": "150",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("event-detail", args=[event.pk])
    start = timezone.localtime(event.start)
    assert (start.date().isoformat(), start.hour) == ("2027-04-20", 10)
    assert event.end - event.start == timedelta(hours=3) and event.capacity == 150


def test_consultants_may_not_create_or_edit_events(client: Any, make_user: Any) -> None:
    event = seniormesse()
    login(client, make_user, "consultant")
    assert client.get(reverse("event-new")).status_code == 403
    assert client.post(reverse("event-edit", args=[event.pk]), {}).status_code == 403
    assert client.get(reverse("event-detail", args=[event.pk])).status_code == 200


def test_moving_an_event_with_invitations_warns_that_they_are_not_sent_again(
    client: Any, make_user: Any
) -> None:
    event = invited_world()
    login(client, make_user, "leader")
    response = client.post(
        reverse("event-edit", args=[event.pk]),
        {
            "activity": "seniormesse",
            "name": "Seniormesse",
            "place": "Sundhedscentret",
            "day": "2027-04-21",
            "start_time": "10:00",
            "duration_min": "180",
        },
        follow=True,
    )
    assert "1 borgere har fået en invitation med det tidligere tidspunkt" in response.content.decode()


def test_the_event_page_shows_invited_sign_ups_and_free_places(client: Any, make_user: Any) -> None:
    event = invited_world(capacity=10)
    Registration.objects.create(
        event=event, citizen=dorte(), registered_on=event.start.date(), channel="mail"
    )
    carl = Citizen.objects.get(cpr=HUSBAND85["cpr"])
    Registration.objects.create(event=event, citizen=carl, registered_on=event.start.date(), channel="phone")
    login(client, make_user, "consultant")
    html = page(client, "event-detail", event.pk)
    assert "Dorte Femoghalvfjerds" in html and "Carl Øster" in html
    assert "ikke inviteret" in html, "Carl signed up without an invitation"
    assert "heraf 1 inviterede" in html and "8 ledige" in html


def test_search_shows_the_invited_first_and_only_those_65_or_over(client: Any, make_user: Any) -> None:
    event = invited_world()
    login(client, make_user, "consultant")
    html = page(client, "event-register", event.pk, q="9800")
    assert html.index("Dorte Femoghalvfjerds") < html.index("Aksel Ålund"), "the invited first"
    by_cpr = page(client, "event-register", event.pk, q=dorte().cpr[:6])
    assert "Dorte Femoghalvfjerds" in by_cpr and "Aksel" not in by_cpr


def test_a_consultant_is_refused_a_place_beyond_capacity_a_leader_may_overbook(
    client: Any, make_user: Any
) -> None:
    event = invited_world(capacity=1)
    Registration.objects.create(
        event=event, citizen=dorte(), registered_on=event.start.date(), channel="mail"
    )
    aksel = Citizen.objects.get(cpr=ALONE70["cpr"])
    post = {"citizen": aksel.pk, "registered_on": "2027-02-01", "channel": "phone", "over_capacity": "on"}
    login(client, make_user, "consultant")
    response = client.post(reverse("event-register", args=[event.pk]), post, follow=True)
    assert "Der er ikke flere ledige pladser: alle 1 pladser er optaget" in response.content.decode()
    assert event.registrations.count() == 1, "a consultant cannot tick over capacity"
    client.logout()
    login(client, make_user, "leader")
    response = client.post(reverse("event-register", args=[event.pk]), post)
    assert response.status_code == 302
    assert event.registrations.filter(citizen=aksel).exists()


def test_signing_up_twice_is_refused_and_a_sign_up_can_be_cancelled(client: Any, make_user: Any) -> None:
    event = invited_world()
    login(client, make_user, "consultant")
    post = {"citizen": dorte().pk, "registered_on": "2027-02-01", "channel": "phone"}
    client.post(reverse("event-register", args=[event.pk]), post)
    response = client.post(reverse("event-register", args=[event.pk]), post, follow=True)
    assert "allerede tilmeldt" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.user is not None and registration.user.username == "consultant"
    citizen_page = page(client, "citizen-detail", dorte().cpr)
    assert "Arrangementer" in citizen_page and reverse("event-detail", args=[event.pk]) in citizen_page
    assert client.get(reverse("registration-cancel", args=[registration.pk])).status_code == 405
    client.post(reverse("registration-cancel", args=[registration.pk]))
    assert not Registration.objects.exists()


def test_attendance_for_all_sign_ups_in_one_form_from_the_events_day(client: Any, make_user: Any) -> None:
    world()
    today = timezone.localdate()
    tomorrow = seniormesse(local_start(today + timedelta(days=1)))
    held = seniormesse(local_start(today - timedelta(days=1)))
    people = [dorte(), Citizen.objects.get(cpr=ALONE70["cpr"])]
    for event in (tomorrow, held):
        for who in people:
            Registration.objects.create(event=event, citizen=who, registered_on=today, channel="phone")
    login(client, make_user, "consultant")

    assert "først registreres på arrangementets dag" in page(client, "event-attendance", tomorrow.pk)
    first = tomorrow.registrations.first()
    assert first is not None
    response = client.post(
        reverse("event-attendance", args=[tomorrow.pk]), {"attended": [first.pk]}, follow=True
    )
    assert "først registreres på arrangementets dag" in response.content.decode()
    assert not tomorrow.registrations.filter(attended__isnull=False).exists()

    came = held.registrations.get(citizen=people[0])
    response = client.post(reverse("event-attendance", args=[held.pk]), {"attended": [came.pk]}, follow=True)
    assert "1 af 2 mødte" in response.content.decode()
    assert list(held.registrations.order_by("citizen__name").values_list("attended", flat=True)) == [
        False,
        True,
    ]


def test_club_visits_are_not_offered_where_the_standard_has_none(client: Any, make_user: Any) -> None:
    login(client, make_user, "consultant")
    html = page(client, "club-visit-new")
    assert "beskriver ikke klubbesøg" in html
    client.post(
        reverse("club-visit-new"),
        {"date": "2027-03-01", "club": "X", "kind": "other", "topic": "Kost", "attendees": "5"},
    )
    assert not ClubVisit.objects.exists()


def test_a_consultant_logs_a_club_visit_in_herning(client: Any, make_user: Any, settings: Any) -> None:
    settings.FHB_STANDARD = "herning"
    user = login(client, make_user, "consultant")
    other = make_user("consultant", "kim")
    html = page(client, "club-visit-new")
    assert f'<option value="{user.pk}" selected>' in html, "the logged-in consultant by default"
    post = {
        "date": "2027-03-01",
        "club": "Pensionistforeningen",
        "kind": "pensioners",
        "topic": "Faldforebyggelse",
        "attendees": "0",
        "consultant": user.pk,
    }
    assert "deltagere" in client.post(reverse("club-visit-new"), post).content.decode().lower()
    assert not ClubVisit.objects.exists(), "at least one attendee"
    post["attendees"] = "23"
    response = client.post(reverse("club-visit-new"), post)
    assert response.status_code == 302
    visit = ClubVisit.objects.get()
    assert visit.consultant == user and visit.attendees == 23
    club_visit(visit.date, 7, consultant=other, club="Seniorklubben Vest")

    listing = page(client, "club-visit-list", year=2027)
    assert "Pensionistforeningen" in listing and "Seniorklubben Vest" in listing
    assert "2 foredrag med i alt 30 deltagere" in listing
    mine = page(client, "club-visit-list", year=2027, consultant=user.pk)
    assert "Seniorklubben Vest" not in mine and "1 foredrag med i alt 23 deltagere" in mine
    assert "Klubbesøg" in page(client, "event-list", year=2027)

    post["topic"] = "Ensomhed"
    client.post(reverse("club-visit-edit", args=[visit.pk]), post)
    visit.refresh_from_db()
    assert visit.topic == "Ensomhed"


def test_the_club_visit_filter_names_people_not_user_names(
    client: Any, make_user: Any, settings: Any
) -> None:
    settings.FHB_STANDARD = "herning"
    login(client, make_user, "leader")
    kim = make_user("consultant", "kim")
    kim.first_name, kim.last_name = "Kim", "Kirkegaard"
    kim.save()
    nameless = make_user("consultant", "bruger7")
    listing = page(client, "club-visit-list", year=2027)
    assert f'<option value="{kim.pk}">Kim Kirkegaard</option>' in listing, "the person's name in the menu"
    assert f'<option value="{nameless.pk}">bruger7</option>' in listing, "the user name when there is no name"


def test_the_event_list_splits_the_year_into_upcoming_and_held(client: Any, make_user: Any) -> None:
    today = timezone.localdate()
    seniormesse(local_start(today + timedelta(days=2)), name="Kommende messe")
    seniormesse(local_start(today - timedelta(days=2)), name="Afholdt messe")
    login(client, make_user, "consultant")
    html = page(client, "event-list", year=today.year)
    if (today + timedelta(days=2)).year == today.year and (today - timedelta(days=2)).year == today.year:
        assert html.index("Kommende messe") < html.index("Afholdte") < html.index("Afholdt messe")
    assert "Opret arrangement" not in html, "only leaders create events"
