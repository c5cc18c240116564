"""The consultant's day in the browser (Django's test client): today's list, the visit page, outcomes."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fhb.journal.models import JournalNote, JournalRead
from fhb.letters.models import Letter
from fhb.offers.models import Offer
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import HomeNotes, Visit
from tests.conftest import PASSWORD
from tests.letters.world import ALONE70, PAPER80, WIFE80, offer, world

pytestmark = pytest.mark.django_db


def today_at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, minute)))


def consultant(client: Any, make_user: Any, role: str = "consultant") -> Any:
    user = make_user(role)
    Consultant.objects.create(user=user, base_name="Rådhuset", base_lat=57.4643, base_lon=9.9822)
    assert client.login(username=role, password=PASSWORD)
    return user


def visit_for(target: Offer, start: datetime, user: Any) -> Visit:
    visit = Visit.objects.create(start=start, end=start + timedelta(hours=1), consultant=user)
    visit.offers.add(target)
    return visit


def test_today_lists_my_visits_in_order_with_what_matters_at_the_door(client: Any, make_user: Any) -> None:
    world()
    user = consultant(client, make_user)
    late = visit_for(offer(WIFE80["cpr"], "age80"), today_at(13), user)
    early = visit_for(offer(ALONE70["cpr"], "alone70"), today_at(9), user)
    late.interpreter = "tyrkisk"
    late.save()
    HomeNotes.objects.create(
        citizen=early.offers.get().citizen, phone="12 34 56 78", pets="Hund", smoking=True
    )
    page = client.get(reverse("today")).content.decode()
    assert page.index(ALONE70["name"]) < page.index(WIFE80["name"]), "route order: by time"
    assert "12 34 56 78" in page and "Hund" in page and "Ryger" in page and "tyrkisk" in page
    assert "geo:" in page and reverse("visit-detail", args=[early.pk]) in page


def test_a_consultant_without_a_calendar_is_told_so(client: Any, make_user: Any) -> None:
    make_user("consultant")
    client.login(username="consultant", password=PASSWORD)
    assert "ingen kalender" in client.get(reverse("today")).content.decode()


def test_held_with_a_note_from_the_visit_page(client: Any, make_user: Any) -> None:
    world()
    user = consultant(client, make_user)
    visit = visit_for(offer(ALONE70["cpr"], "alone70"), today_at(0, 5), user)
    page = client.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert "Registrér som gennemført" in page and "Ingen samtykke til dokumentation" in page
    response = client.post(
        reverse("visit-outcome", args=[visit.pk]),
        {"outcome": "held", "minutes": "55", "another_visit": "on"},
        follow=True,
    )
    assert "gennemført" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.HELD and visit.held_minutes == 55 and visit.outcome_by == user
    assert Offer.objects.filter(origin=Offer.Origin.VISIT).count() == 1


def test_closed_door_from_the_visit_page_queues_the_note_and_writes_the_journal(
    client: Any, make_user: Any
) -> None:
    world()
    user = consultant(client, make_user)
    visit = visit_for(offer(ALONE70["cpr"], "alone70"), today_at(0, 5), user)
    standard = current_standard()
    assert standard.closed_door is not None
    url = reverse("visit-outcome", args=[visit.pk])
    left = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    refused = client.post(
        url,
        {"outcome": "closed_door", "steps": standard.closed_door.steps[:1], "note_left_at": left},
        follow=True,
    )
    assert "mangler" in refused.content.decode()
    client.post(url, {"outcome": "closed_door", "steps": standard.closed_door.steps, "note_left_at": left})
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CLOSED_DOOR
    assert Letter.objects.get(kind="closed_door", visit=visit).channel == "by_hand"
    assert JournalNote.objects.get(visit=visit).kind == JournalNote.Kind.PROCEDURE


def test_an_unknown_outcome_is_refused_with_a_reason(client: Any, make_user: Any) -> None:
    world()
    user = consultant(client, make_user)
    visit = visit_for(offer(ALONE70["cpr"], "alone70"), today_at(0, 5), user)
    response = client.post(reverse("visit-outcome", args=[visit.pk]), {"outcome": "exploded"}, follow=True)
    assert "Vælg et udfald" in response.content.decode()
    response = client.post(
        reverse("visit-outcome", args=[visit.pk]), {"outcome": "held", "minutes": "-3"}, follow=True
    )
    assert "Udfaldet blev ikke gemt" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED


def test_a_protected_address_is_shown_only_on_the_visit_and_the_day_of_the_consultant_who_visits(
    client: Any, make_user: Any
) -> None:
    """Problem 2 of the protection issue: a planned visit no longer opens the citizen's page to the address;
    only the visit's page and the consultant's own day show it, and each showing is logged."""
    world()
    user = consultant(client, make_user)
    protected = offer(PAPER80["cpr"], "age80")
    page = reverse("citizen-detail", args=[PAPER80["cpr"]])
    assert "Skjult Vej" not in client.get(page).content.decode()
    visit = visit_for(protected, today_at(15), user)
    assert "Skjult Vej" not in client.get(page).content.decode(), "not on the citizen's page"
    assert "Skjult Vej" in client.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert "Skjult Vej" in client.get(reverse("today")).content.decode()
    shown = JournalRead.objects.filter(page__startswith="beskyttet adresse", user=user)
    assert shown.count() == 2, "each showing of the address is logged"
    client.logout()
    make_user("leader")
    client.login(username="leader", password=PASSWORD)
    for url in (page, reverse("visit-detail", args=[visit.pk])):
        text = client.get(url).content.decode()
        assert "Skjult Vej" not in text and "Adressebeskyttet" in text, url


def test_home_notes_and_an_interpreter(client: Any, make_user: Any, settings: Any) -> None:
    world()
    user = consultant(client, make_user)
    # Tomorrow: Herning's interpreter must be agreed before the visit begins.
    visit = visit_for(offer(ALONE70["cpr"], "alone70"), today_at(15) + timedelta(days=1), user)
    person = visit.offers.get().citizen
    client.post(
        reverse("home-notes", args=[person.cpr]),
        {f"c{person.pk}-phone": "87 65 43 21", f"c{person.pk}-pets": "Kat"},
    )
    assert HomeNotes.objects.get(citizen=person).pets == "Kat"
    refused = client.post(
        reverse("visit-interpreter", args=[visit.pk]), {"interpreter": "arabisk"}, follow=True
    )
    assert "giver ikke mulighed for tolk" in refused.content.decode(), (
        "Hjørring's standard has no interpreter"
    )
    settings.FHB_STANDARD = "herning"
    client.post(reverse("visit-interpreter", args=[visit.pk]), {"interpreter": "arabisk"})
    visit.refresh_from_db()
    assert visit.interpreter == "arabisk"


def test_an_interpreter_requiring_prior_agreement_is_refused_once_the_visit_has_begun() -> None:
    from fhb.core.standard.loader import load_standard
    from fhb.visits.views import interpreter_refusal

    world()
    visit = Visit.objects.create(start=today_at(10), end=today_at(11))
    visit.offers.add(offer(ALONE70["cpr"], "alone70"))
    herning = load_standard("herning")
    assert herning.interpreter is not None and herning.interpreter.requires_prior_agreement
    assert interpreter_refusal(visit, herning, today_at(9)) == ""
    assert "aftalt inden besøget" in interpreter_refusal(visit, herning, today_at(10, 30))
    any_time = herning.interpreter.model_copy(update={"requires_prior_agreement": False})
    assert (
        interpreter_refusal(visit, herning.model_copy(update={"interpreter": any_time}), today_at(10, 30))
        == ""
    )
    unavailable = herning.interpreter.model_copy(update={"available": False})
    assert "giver ikke mulighed" in interpreter_refusal(
        visit, herning.model_copy(update={"interpreter": unavailable}), today_at(9)
    )


def test_the_dementia_coordinator_takes_over_a_handed_over_citizen(client: Any, make_user: Any) -> None:
    world()
    handed = offer(WIFE80["cpr"], "age80")
    handed.decision = Offer.Decision.DEMENTIA_COORDINATOR
    handed.save()
    make_user("dementia_coordinator", "demens")
    client.login(username="demens", password=PASSWORD)
    queue = client.get(reverse("dementia-queue")).content.decode()
    assert WIFE80["name"] in queue and "Overtag" in queue
    client.post(reverse("dementia-take", args=[handed.pk]))
    handed.refresh_from_db()
    assert handed.coordinator is not None and handed.coordinator.username == "demens" and handed.taken_on
    again = client.post(reverse("dementia-take", args=[handed.pk]), follow=True).content.decode()
    assert "allerede overtaget" in again
    assert client.get(reverse("citizen-detail", args=[WIFE80["cpr"]])).status_code == 200


def test_a_protected_address_is_neither_searchable_nor_shown_in_the_calendar(
    client: Any, make_user: Any
) -> None:
    world()
    user = consultant(client, make_user)
    colleague = make_user("leader")
    visit_for(offer(PAPER80["cpr"], "age80"), today_at(15), user)
    found = client.get(reverse("citizen-list"), {"q": "Skjult"}).content.decode()
    assert PAPER80["name"] not in found
    client.logout()
    client.login(username=colleague.username, password=PASSWORD)
    week = client.get(reverse("plan-week", args=[user.pk])).content.decode()
    day = client.get(reverse("plan-day", args=[user.pk, timezone.localdate()])).content.decode()
    assert PAPER80["name"] in week and "Skjult Vej" not in week and "Adressebeskyttet" in week
    assert "Skjult Vej" not in day and "Adressebeskyttet" in day
