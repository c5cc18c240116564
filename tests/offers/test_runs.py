"""The leader's eligibility runs: offers stored with their reasons, and the difference between runs."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.core.cpr import format_cpr
from fhb.jobs.models import Job
from fhb.offers.actions import close_for_missing_citizen, start_run
from fhb.offers.models import EligibilityRun, Offer
from fhb.offers.years import default_extract_date
from fhb.standards.current import current_standard
from tests.citizens.builders import citizens_csv, events_csv, person
from tests.conftest import PASSWORD, run_queued_jobs

pytestmark = pytest.mark.django_db

# Plan year 2027 (Hjørring): a man living alone turning 70, a couple turning 80 and 85, a woman turning 75.
ALONE70 = person("0303571231", "Aksel Alene", "adr-1")
WIFE80 = person("0404472342", "Birte Par", "adr-2", civil_status="G", spouse_cpr="0505421233")
HUSBAND85 = person("0505421233", "Carl Par", "adr-2", civil_status="G", spouse_cpr="0404472342")
TURNS75 = person("0606522344", "Dorte Femoghalvfjerds", "adr-3")
PEOPLE = [ALONE70, WIFE80, HUSBAND85, TURNS75]


def load(people=PEOPLE, events=()):  # type: ignore[no-untyped-def]
    # force: past the brake, as leaving one of four citizens out (25 %) would trip it
    import_extract(
        ImportFile("citizens.csv", citizens_csv(people)),
        ImportFile("events.csv", events_csv(events)),
        force=True,
    )


def active(year: int = 2027) -> dict[tuple[str, str], Offer]:
    offers = Offer.objects.filter(year=year, status=Offer.Status.ACTIVE).select_related("citizen")
    return {(o.citizen.cpr, o.group): o for o in offers}


def test_yearly_run_stores_an_offer_per_group_with_reason_and_clause() -> None:
    load()
    run = start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    offers = active()
    assert set(offers) == {
        (ALONE70["cpr"], "alone70"),
        (WIFE80["cpr"], "age80"),
        (HUSBAND85["cpr"], "age82plus"),
        (TURNS75["cpr"], "age75"),
    }
    age80 = offers[(WIFE80["cpr"], "age80")]
    assert age80.letter == "with_time", "Hjørring group 3 gets a letter with a date and time"
    assert age80.duration_min == 90, "both spouses are in a target group: the couple's visit length"
    assert "Målgruppe 3" in age80.reason and "besøgsdato og tidspunkt" in age80.clause
    assert run.summary["new"] == 4 and run.summary["withdrawn"] == 0


def test_second_run_without_changes_reports_nothing_new() -> None:
    load()
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    second = start_run(2027, "daily", on=date(2027, 1, 2), standard=current_standard())
    assert (second.summary["new"], second.summary["withdrawn"], second.summary["changed"]) == (0, 0, 0)
    assert Offer.objects.count() == 4
    assert set(Offer.objects.values_list("last_run", flat=True)) == {second.pk}


def test_offer_that_vanishes_is_withdrawn_with_the_reason() -> None:
    load()
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    # Dorte now receives both personal care and practical help: Hjørring exempts groups 2-5.
    help_ = [
        {"cpr": TURNS75["cpr"], "kind": "personal_care", "start": "2026-12-01"},
        {"cpr": TURNS75["cpr"], "kind": "practical_help", "start": "2026-12-01"},
    ]
    load(PEOPLE, help_)
    run = start_run(2027, "daily", on=date(2027, 2, 1), standard=current_standard())
    offer = Offer.objects.get(citizen__cpr=TURNS75["cpr"], group="age75")
    assert offer.decision == "exempt", "the group still applies, now decided as exempt"
    assert run.summary["changed"] == 1


def test_citizen_gone_from_the_extract_keeps_the_offer_for_the_leader_to_decide() -> None:
    load()
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    load([WIFE80, HUSBAND85, TURNS75])
    run = start_run(2027, "daily", on=date(2027, 1, 5), standard=current_standard())
    offer = Offer.objects.get(citizen__cpr=ALONE70["cpr"])
    assert offer.status == Offer.Status.ACTIVE, (
        "neither the re-import nor the run withdraws it: the leader decides"
    )
    assert run.summary["withdrawn"] == 0


def test_co_resident_turning_adult_withdraws_living_alone_offer() -> None:
    grandchild = person("0202094345", "Emil Barnebarn", "adr-1")  # turns 18 on 2 February 2027
    load([*PEOPLE, grandchild])
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    assert (ALONE70["cpr"], "alone70") in active()
    start_run(2027, "daily", on=date(2027, 3, 1), standard=current_standard())
    offer = Offer.objects.get(citizen__cpr=ALONE70["cpr"], group="alone70")
    assert offer.status == Offer.Status.WITHDRAWN
    assert "bor alene" in offer.withdrawn_reason and format_cpr(grandchild["cpr"]) in offer.withdrawn_reason


def test_withdrawn_offer_decided_again_is_reactivated(make_user) -> None:  # type: ignore[no-untyped-def]
    load()
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    load([WIFE80, HUSBAND85, TURNS75])
    close_for_missing_citizen(Citizen.objects.get(cpr=ALONE70["cpr"]), user=make_user("leader"))
    assert Offer.objects.get(citizen__cpr=ALONE70["cpr"]).status == Offer.Status.WITHDRAWN
    start_run(2027, "daily", on=date(2027, 1, 5), standard=current_standard())
    load()
    run = start_run(2027, "daily", on=date(2027, 1, 6), standard=current_standard())
    assert Offer.objects.get(citizen__cpr=ALONE70["cpr"]).status == Offer.Status.ACTIVE
    assert run.summary["new"] == 1


def test_extract_date_stays_inside_the_plan_year() -> None:
    assert default_extract_date(2027, date(2026, 11, 23)) == date(2027, 1, 1)
    assert default_extract_date(2027, date(2027, 5, 3)) == date(2027, 5, 3)
    assert default_extract_date(2026, date(2027, 5, 3)) == date(2026, 12, 31)


def test_leader_starts_a_run_and_sees_the_difference(client, make_user) -> None:  # type: ignore[no-untyped-def]
    load()
    make_user("leader")
    client.login(username="leader", password=PASSWORD)
    response = client.post(reverse("run-list"), {"year": 2027, "kind": "yearly"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[job.pk])
    assert "Årskørsel for 2027" in client.get(response["Location"]).content.decode()
    assert run_queued_jobs() == 1
    run = EligibilityRun.objects.get()
    job.refresh_from_db()
    assert job.result_url == reverse("run-detail", args=[run.pk]) and "4 nye tilbud" in job.message
    page = client.get(job.result_url).content.decode()
    assert "Nye siden sidste kørsel (4)" in page and "Aksel Alene" in page


def test_citizen_page_shows_offers_and_the_explanation(client, make_user) -> None:  # type: ignore[no-untyped-def]
    load()
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    make_user("consultant")
    client.login(username="consultant", password=PASSWORD)
    page = client.get(reverse("citizen-detail", args=[ALONE70["cpr"]])).content.decode()
    assert "Hvorfor: kvalitetsstandarden for planår 2027" in page
    assert "Alle borgere, der bor alene, skal i det år de fylder 70 år" in page, "the clause is quoted"
    assert "Gældende" in page, "the stored offer is listed with its status"
    assert f"Lovgrundlag: {current_standard().legal_basis_text}</p>" in page, "the file's law is cited"


def test_bad_year_is_refused_with_a_message(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("leader")
    client.login(username="leader", password=PASSWORD)
    response = client.post(reverse("run-list"), {"year": "tyve", "kind": "yearly"})
    assert response.status_code == 200 and EligibilityRun.objects.count() == 0
    assert "heltal" in response.content.decode()
