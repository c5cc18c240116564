"""The assessment pages: the list, one assessment with its forms, a referral, and the citizen page's part."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.offers.actions import start_run
from fhb.offers.assessment_actions import register_referral
from fhb.offers.models import Assessment, Offer
from fhb.standards.current import current_standard
from tests.citizens.builders import BASE, citizens_csv
from tests.conftest import PASSWORD
from tests.offers.test_assessments_from_runs import ANNA, HANS, LEARNT, load
from tests.visible_text import problems_in, shipped_group_ids, visible_text

pytestmark = pytest.mark.django_db

AASE = "0101501234"  # Åse Testesen, inside the risk groups' ages


@pytest.fixture
def world(settings: Any, make_user: Any) -> dict[str, Any]:
    settings.FHB_STANDARD = "herning"
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    return {
        "anna": make_user("consultant", "anna"),
        "bo": make_user("consultant", "bo"),
        "leder": make_user("leader", "leder"),
    }


def logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def referral(user: Any, days_ago: int = 2) -> Assessment:
    today = timezone.localdate()
    return register_referral(
        Citizen.objects.get(cpr=AASE),
        group="risk",
        referred_by="gp",
        referrer_name="Dr. Holm",
        received=today - timedelta(days=days_ago),
        today=today,
        standard=current_standard(),
        what="Egen læge er bekymret efter et fald",
        user=user,
    )


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


@pytest.mark.parametrize("username", ["anna", "leder"])
def test_the_pages_render_in_plain_danish(world: dict[str, Any], username: str) -> None:
    assessment = referral(world["anna"], days_ago=60)
    client = logged_in(username)
    urls = [
        reverse("assessment-list") + "?hvem=alle",
        reverse("assessment-list") + "?hvem=alle&status=afsluttede",
        reverse("assessment-detail", args=[assessment.pk]),
        reverse("referral-new", args=[AASE]),
        reverse("citizen-detail", args=[AASE]),
    ]
    for url in urls:
        text = page(client, url)
        assert problems_in(text, group_ids=shipped_group_ids()) == [], url
    listed = page(client, urls[0])
    assert "Åse Testesen" in listed and "Efter behov" in listed, "the group by its name"
    assert "overskredet" in listed, "a deadline passed is said in words"


def test_the_list_shows_mine_and_says_so_when_empty(world: dict[str, Any]) -> None:
    referral(world["anna"])
    assert "Åse Testesen" in page(logged_in("anna"), reverse("assessment-list"))
    empty = page(logged_in("bo"), reverse("assessment-list"))
    assert "Du har ingen åbne vurderinger." in empty and "Åse Testesen" not in empty
    assert "Åse Testesen" in page(logged_in("bo"), reverse("assessment-list") + f"?hvem={world['anna'].pk}")


def test_need_found_through_the_page_and_a_double_post_makes_one_offer(world: dict[str, Any]) -> None:
    assessment = referral(world["anna"])
    client = logged_in("anna")
    url = reverse("assessment-detail", args=[assessment.pk])
    before = page(client, url)
    assert "Behov fundet" in before and "Brev med tidspunkt" in before, "Herning's letter is named"
    data = {"action": "need", "need-reason": "Ensom efter faldet"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    after = page(client, url)
    assert "Behov fundet: tilbuddet er givet." in after and "Hvad sker der nu" in after
    assert "brev med tidspunktet for besøget" in after
    again = client.post(url, data)
    assert again.status_code == 200
    assert "Vurderingen er allerede afsluttet" in visible_text(again.content.decode())
    assert Offer.objects.filter(origin=Offer.Origin.ASSESSMENT).count() == 1


def test_no_need_without_a_reason_is_refused_on_the_page(world: dict[str, Any]) -> None:
    assessment = referral(world["anna"])
    client = logged_in("anna")
    url = reverse("assessment-detail", args=[assessment.pk])
    response = client.post(url, {"action": "no_need", "no_need-reason": ""})
    assert response.status_code == 200 and "Dette felt er påkrævet" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.is_open
    assert client.post(url, {"action": "no_need", "no_need-reason": "Klarer sig fint"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.outcome == Assessment.Outcome.NO_NEED


def test_a_try_says_which_one_it_is(world: dict[str, Any]) -> None:
    assessment = referral(world["anna"])
    client = logged_in("anna")
    url = reverse("assessment-detail", args=[assessment.pk])
    assert "Dette bliver forsøg 1 af 3." in page(client, url)
    assert client.post(url, {"action": "try", "try-note": "Telefonsvarer"}).status_code == 302
    text = page(client, url)
    assert "Forsøget er registreret." in text and "Dette bliver forsøg 2 af 3." in text
    assert "Forsøg 1 af 3: ikke truffet. Telefonsvarer" in text, "the history shows the try"
    again = client.post(url, {"action": "try", "try-note": ""})
    assert "allerede registreret et forsøg i dag" in visible_text(again.content.decode())
    assessment.refresh_from_db()
    assert assessment.tries == 1


def test_declined_through_the_page(world: dict[str, Any]) -> None:
    assessment = referral(world["anna"])
    url = reverse("assessment-detail", args=[assessment.pk])
    assert logged_in("anna").post(url, {"action": "declined", "declined-reason": ""}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.outcome == Assessment.Outcome.DECLINED


def test_a_colleague_sees_the_page_read_only(world: dict[str, Any]) -> None:
    assessment = referral(world["anna"])
    client = logged_in("bo")
    url = reverse("assessment-detail", args=[assessment.pk])
    text = page(client, url)
    assert "Vurderingen er givet til anna" in text and "Behov fundet: giv tilbud" not in text
    response = client.post(url, {"action": "no_need", "no_need-reason": "Klarer sig"})
    assert "givet til en anden konsulent" in visible_text(response.content.decode())
    assessment.refresh_from_db()
    assert assessment.is_open


def test_a_leader_gives_it_to_another_consultant(world: dict[str, Any]) -> None:
    assessment = referral(world["anna"])
    client = logged_in("leder")
    url = reverse("assessment-detail", args=[assessment.pk])
    assert "Giv til en anden konsulent" in page(client, url)
    response = client.post(url, {"action": "reassign", "reassign-consultant": world["bo"].pk})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.consultant == world["bo"]
    assert "Behov fundet: giv tilbud" in page(logged_in("bo"), url), "now bo decides it"


def test_ishoej_asks_for_the_letter(world: dict[str, Any], settings: Any) -> None:
    settings.FHB_STANDARD = "ishoej"
    assessment = referral(world["anna"])
    client = logged_in("anna")
    url = reverse("assessment-detail", args=[assessment.pk])
    text = page(client, url)
    assert "Brev uden tidspunkt, borgeren kontakter os" in text
    response = client.post(url, {"action": "need", "need-reason": "Isoleret"})
    assert response.status_code == 200 and not Offer.objects.filter(origin="assessment").exists()
    data = {"action": "need", "need-reason": "Isoleret", "need-letter": "without_time"}
    assert client.post(url, data).status_code == 302
    assert Offer.objects.get(origin="assessment").letter == Offer.Letter.WITHOUT_TIME


def test_a_referral_is_registered_from_the_form(world: dict[str, Any]) -> None:
    client = logged_in("anna")
    url = reverse("referral-new", args=[AASE])
    today = timezone.localdate()
    data = {
        "group": "risk",
        "referred_by": "relative",
        "referrer_name": "Datteren",
        "received": today.isoformat(),
        "what": "Datteren mener, at hun er blevet ensom",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "kræver borgerens samtykke" in refused.content.decode()
    assert not Assessment.objects.exists()
    tomorrow = client.post(
        url, {**data, "consent": "on", "received": (today + timedelta(days=1)).isoformat()}
    )
    assert (
        "Datoen kan ikke ligge i fremtiden" in tomorrow.content.decode() and not Assessment.objects.exists()
    )
    response = client.post(url, {**data, "consent": "on"})
    made = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "assessment-detail", args=[made.pk]
    )
    assert made.consent and made.referred_by == "relative" and made.consultant == world["anna"]
    text = page(client, response["Location"])
    assert "Pårørende: Datteren" in text and "Ja, givet" in text


def test_the_citizen_page_lists_the_assessments(world: dict[str, Any]) -> None:
    assessment = referral(world["anna"])
    html = logged_in("anna").get(reverse("citizen-detail", args=[AASE])).content.decode()
    assert reverse("assessment-detail", args=[assessment.pk]) in html
    assert reverse("referral-new", args=[AASE]) in html and "Afventer vurdering" in html


def test_an_assessment_from_a_run_says_why_with_the_standards_words(settings: Any, make_user: Any) -> None:
    settings.FHB_STANDARD = "ishoej"
    load(
        [
            {**ANNA, "civil_status": "E", "civil_status_date": "2027-03-01"},
            {**HANS, "death_date": "2027-03-01"},
        ],
        [],
    )
    start_run(2027, "daily", on=LEARNT, standard=current_standard())
    assessment = Assessment.objects.get(citizen__cpr=ANNA["cpr"])
    make_user("leader", "leder")
    text = page(logged_in("leder"), reverse("assessment-detail", args=[assessment.pk]))
    assert "Hvorfor kørslen bad om en vurdering" in text
    assert "Livskrise efter tab af ægtefælle" in text, "the trigger by the standard's name"
    assert "Borgere i livskrise efter tab af ægtefælle, gentagne indlæggelse" in text, "the clause"
    assert "bereavement" not in text and problems_in(text, group_ids=shipped_group_ids()) == []
