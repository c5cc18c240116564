"""Leaving the extract cancels nothing at once: the citizen keeps her planned visits and open offers and is
listed on the leader's page "Ikke i seneste udtræk", where the leader closes them or waits. A death the
extract states still cancels at once; a citizen who comes back leaves the list with her visits intact."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fhb.citizens.models import Citizen, ImportRun
from fhb.offers.models import Offer
from fhb.visits.models import Visit
from tests.citizens.plan_world import DAN, NEXT, PEOPLE, World, build, load
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/borgere/ikke-i-udtraek/"


@pytest.fixture
def world() -> World:
    """The plan world after the next extract (forced past the brake: 3 of 6 gone)."""
    built = build()
    load(NEXT, force=True)
    return built


@pytest.fixture
def leader(client: Client, make_user) -> Client:  # type: ignore[no-untyped-def]
    user = make_user("leader", "leder")
    user.first_name, user.last_name = "Lene", "Leder"
    user.save()
    client.login(username="leder", password=PASSWORD)
    return client


def fresh(*rows: Offer | Visit) -> list[str]:
    for row in rows:
        row.refresh_from_db()
    return [row.status for row in rows]


def test_the_url_is_the_named_page() -> None:
    assert reverse("not-in-extract") == URL


def test_a_gone_citizen_keeps_her_visits_and_offers_and_is_listed(world: World, leader: Client) -> None:
    assert fresh(world.dan_visit, world.dan_past_visit, world.dan_offer, world.petra_offer) == [
        Visit.Status.PLANNED,
        Visit.Status.PLANNED,
        Offer.Status.ACTIVE,
        Offer.Status.ACTIVE,
    ], "an import that leaves a citizen out cancels nothing"
    dan = Citizen.objects.get(cpr=DAN["cpr"])
    assert not dan.in_extract and dan.missing_since == ImportRun.objects.latest("pk")
    page = leader.get(URL).content.decode()
    assert "Dan Eksempelsen" in page and "05.03.2027 10:00" in page and "Målgruppe 4" in page
    assert "Petra Skjult" in page, "Petra has an open offer"
    assert "Hemmelig" not in page and "Adressebeskyttet, Hjørring" in page, (
        "a protected address is never shown"
    )
    assert "Hans Husfælle" not in page, "gone with nothing at stake: nothing to decide"
    assert "Bent Testesen" not in page, "a death is no question for the leader"
    assert "2 borgere" in page


def test_the_leader_closes_the_work_through_the_same_path_as_a_death(world: World, leader: Client) -> None:
    dan = Citizen.objects.get(cpr=DAN["cpr"])
    response = leader.post(
        URL, {"citizen": dan.pk, "decision": "close", "note": "Flyttet til Aalborg"}, follow=True
    )
    assert "Dan Eksempelsen: 2 tilbud lukket og 2 planlagte besøg aflyst." in response.content.decode()
    assert fresh(world.dan_visit, world.dan_past_visit, world.dan_offer) == [
        Visit.Status.CANCELLED,
        Visit.Status.CANCELLED,
        Offer.Status.WITHDRAWN,
    ]
    world.dan_exempt.refresh_from_db()
    assert world.dan_exempt.status == Offer.Status.WITHDRAWN, "every active decision, as a death withdraws"
    reason = world.dan_offer.withdrawn_reason
    assert "ikke i udtrækket" in reason and "Lene Leder" in reason and "Flyttet til Aalborg" in reason, reason
    assert world.dan_visit.status_reason == reason
    assert world.dan_offer.history.first().history_user.username == "leder", "the leader is the actor"
    assert world.dan_visit.history.first().history_user.username == "leder"
    page = leader.get(URL).content.decode()
    assert "Dan Eksempelsen" not in page, "nothing left at stake: off the list"
    assert "Petra Skjult" in page


def test_the_leader_waits_and_the_visits_stay(world: World, leader: Client) -> None:
    dan = Citizen.objects.get(cpr=DAN["cpr"])
    response = leader.post(
        URL, {"citizen": dan.pk, "decision": "wait", "note": "Indlagt; vender hjem"}, follow=True
    )
    assert "Dan Eksempelsen: besøg og tilbud bevares" in response.content.decode()
    dan.refresh_from_db()
    assert dan.missing_kept_on is not None and dan.missing_kept_by.username == "leder"
    assert dan.missing_note == "Indlagt; vender hjem"
    assert dan.history.first().history_user.username == "leder"
    assert fresh(world.dan_visit, world.dan_offer) == [Visit.Status.PLANNED, Offer.Status.ACTIVE]
    page = leader.get(URL).content.decode()
    assert "Venter siden" in page and "Indlagt; vender hjem" in page
    assert page.index("Petra Skjult") < page.index("Dan Eksempelsen"), "not yet decided first"


def test_the_history_on_the_citizen_and_visit_pages_names_the_leader(world: World, leader: Client) -> None:
    dan = Citizen.objects.get(cpr=DAN["cpr"])
    leader.post(URL, {"citizen": dan.pk, "decision": "wait"}, follow=True)
    citizen = leader.get(reverse("citizen-detail", args=[dan.cpr])).content.decode()
    assert "<td>Lene Leder</td>" in citizen and "<td>leder</td>" not in citizen, "her name, not her user name"
    leader.post(URL, {"citizen": dan.pk, "decision": "close", "note": "Flyttet"}, follow=True)
    visit = leader.get(reverse("visit-detail", args=[world.dan_visit.pk])).content.decode()
    assert "· Lene Leder:" in visit and "· leder" not in visit, "her name, not her user name"


def test_back_in_the_extract_leaves_the_list_with_the_visits_intact(world: World, leader: Client) -> None:
    dan = Citizen.objects.get(cpr=DAN["cpr"])
    leader.post(URL, {"citizen": dan.pk, "decision": "wait"}, follow=True)
    load([*NEXT, DAN])
    dan.refresh_from_db()
    assert dan.in_extract and dan.missing_since is None and dan.missing_kept_on is None
    assert dan.missing_kept_by is None and dan.missing_note == ""
    assert fresh(world.dan_visit, world.dan_offer) == [Visit.Status.PLANNED, Offer.Status.ACTIVE]
    assert "Dan Eksempelsen" not in leader.get(URL).content.decode()
    response = leader.post(URL, {"citizen": dan.pk, "decision": "close"}, follow=True)
    assert "er med i seneste udtræk igen; intet er aflyst" in response.content.decode()
    assert fresh(world.dan_visit, world.dan_offer) == [Visit.Status.PLANNED, Offer.Status.ACTIVE]


def test_a_death_the_extract_states_still_cancels_at_once(world: World) -> None:
    assert fresh(world.bent_offer, world.couple_visit) == [Offer.Status.WITHDRAWN, Visit.Status.CANCELLED]
    assert "Borgeren er død 2027-02-25" in world.bent_offer.withdrawn_reason


def test_a_death_stated_by_civil_status_d_alone_cancels_too() -> None:
    world = build()
    load([p if p is not PEOPLE[1] else {**p, "civil_status": "D"} for p in PEOPLE])
    assert fresh(world.bent_offer, world.couple_visit) == [Offer.Status.WITHDRAWN, Visit.Status.CANCELLED]
    assert world.bent_offer.withdrawn_reason.startswith("Borgeren er død (indlæsning")


def test_a_bad_decision_changes_nothing_and_keeps_the_note(world: World, leader: Client) -> None:
    dan = Citizen.objects.get(cpr=DAN["cpr"])
    page = leader.post(URL, {"citizen": dan.pk, "decision": "slet", "note": "min note"}).content.decode()
    assert "Intet er ændret" in page and 'value="min note"' in page
    page = leader.post(URL, {"citizen": dan.pk, "decision": "close", "note": "x" * 301}).content.decode()
    assert "Intet er ændret" in page and "300" in page
    response = leader.post(URL, {"citizen": 999999, "decision": "close"}, follow=True)
    assert "borgeren findes ikke" in response.content.decode()
    assert fresh(world.dan_visit, world.dan_offer) == [Visit.Status.PLANNED, Offer.Status.ACTIVE]


@pytest.mark.parametrize(
    ("role", "status"),
    [("consultant", 403), ("dementia_coordinator", 403), ("leader", 200), ("admin", 200)],
)
def test_only_leaders_and_administrators_see_and_decide(  # type: ignore[no-untyped-def]
    world: World, client: Client, make_user, role: str, status: int
) -> None:
    make_user(role)
    client.login(username=role, password=PASSWORD)
    assert client.get(URL).status_code == status
    dan = Citizen.objects.get(cpr=DAN["cpr"])
    posted = client.post(URL, {"citizen": dan.pk, "decision": "close"})
    assert posted.status_code == (403 if status == 403 else 302)
    if status == 403:
        assert fresh(world.dan_visit) == [Visit.Status.PLANNED], "a refused post changes nothing"


def test_anonymous_users_are_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_leaders_menu_and_the_import_run_link_to_the_list(world: World, leader: Client) -> None:
    run = ImportRun.objects.latest("pk")
    assert f'href="{URL}"' in leader.get(reverse("import-run", args=[run.pk])).content.decode()
    assert f'href="{URL}"' in leader.get(reverse("home")).content.decode(), "the leader's menu"
    dan = leader.get(reverse("citizen-detail", args=[DAN["cpr"]])).content.decode()
    assert f'href="{URL}"' in dan and "ikke med i seneste udtræk" in dan, "the citizen's page"
