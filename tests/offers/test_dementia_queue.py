"""The dementia coordinator's queue: one row a citizen for the plan year, and taking a citizen takes all
her handed-over offers of that year (issue 19: Ishøj's queue listed 299 rows, the same citizen 8 times)."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import pytest
from django.urls import reverse

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.offers.models import EligibilityRun, Offer
from tests.citizens.builders import BASE, citizens_csv
from tests.conftest import PASSWORD
from tests.visible_text import problems_in, shipped_group_ids, visible_text

pytestmark = pytest.mark.django_db

ASE, BENT, CLARA = "0101501234", "0202481235", "0303441236"


@pytest.fixture
def coordinator(client: Any, make_user: Any) -> Any:
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    EligibilityRun.objects.create(year=2027, on=dt.date(2027, 1, 1), kind="yearly", standard="ishoej")
    make_user("dementia_coordinator", "demens")
    assert client.login(username="demens", password=PASSWORD)
    return client


def handed_over(cpr: str, year: int, group: str, due_from: dt.date | None = None) -> Offer:
    start = due_from or dt.date(year, 1, 1)
    return Offer.objects.create(
        citizen=Citizen.objects.get(cpr=cpr),
        year=year,
        group=group,
        trigger=f"t{start.month}",
        decision=Offer.Decision.DEMENTIA_COORDINATOR,
        due_from=start,
        due_to=dt.date(year, 12, 31),
        reason=f"Demens, fra {start.isoformat()}",
        rule_id="handover.dementia",
    )


def queue_rows(client: Any, **params: Any) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    response = client.get(reverse("dementia-queue"), params)
    assert response.status_code == 200
    waiting = [(row.citizen.name, row.count) for row in response.context["waiting"]]
    taken = [(row.citizen.name, row.count) for row in response.context["taken"]]
    return waiting, taken


def test_one_row_a_citizen_for_the_current_plan_year(coordinator) -> None:  # type: ignore[no-untyped-def]
    for month in (1, 3, 5):
        handed_over(ASE, 2027, "age80", dt.date(2027, month, 1))
    handed_over(ASE, 2026, "age80")
    handed_over(BENT, 2027, "age75")
    handed_over(CLARA, 2026, "age80")
    assert queue_rows(coordinator) == ([("Bent Testesen", 1), ("Åse Testesen", 3)], [])
    page = coordinator.get(reverse("dementia-queue")).content.decode()
    row = next(r for r in coordinator.get(reverse("dementia-queue")).context["waiting"] if r.count == 3)
    assert row.offer.due_from == dt.date(2027, 5, 1), "the row shows the newest offer"
    text = visible_text(page)
    assert text.count("Åse Testesen") == 1 and "Clara Prøvesen" not in text, "other years are not shown"
    assert not problems_in(text, group_ids=shipped_group_ids())


def test_the_year_filter_shows_another_year(coordinator) -> None:  # type: ignore[no-untyped-def]
    handed_over(ASE, 2026, "age80")
    handed_over(CLARA, 2026, "age80")
    handed_over(BENT, 2027, "age75")
    assert queue_rows(coordinator, year="2026") == ([("Clara Prøvesen", 1), ("Åse Testesen", 1)], [])
    response = coordinator.get(reverse("dementia-queue"), {"year": "1999"})
    assert response.status_code == 200 and "Vælg et år fra listen" in response.content.decode()
    assert [row.citizen.name for row in response.context["waiting"]] == ["Bent Testesen"], "the current year"


def test_taking_a_citizen_takes_all_her_offers_of_the_year(coordinator) -> None:  # type: ignore[no-untyped-def]
    first = handed_over(ASE, 2027, "age80")
    second = handed_over(ASE, 2027, "age80", dt.date(2027, 4, 1))
    older = handed_over(ASE, 2026, "age80")
    other = handed_over(BENT, 2027, "age75")
    response = coordinator.post(reverse("dementia-take", args=[first.pk]))
    assert response.status_code == 302
    taken = Offer.objects.filter(coordinator__username="demens")
    assert set(taken) == {first, second}, "all of the year's, not the other year's nor another citizen's"
    older.refresh_from_db()
    other.refresh_from_db()
    assert older.coordinator_id is None and other.coordinator_id is None
    assert queue_rows(coordinator) == ([("Bent Testesen", 1)], [("Åse Testesen", 2)])
    again = coordinator.post(reverse("dementia-take", args=[second.pk]), follow=True)
    assert "allerede overtaget" in again.content.decode()


def test_a_new_offer_after_taking_puts_the_citizen_back_in_the_queue(coordinator) -> None:  # type: ignore[no-untyped-def]
    first = handed_over(ASE, 2027, "age80")
    coordinator.post(reverse("dementia-take", args=[first.pk]))
    handed_over(ASE, 2027, "age80", dt.date(2027, 6, 1))
    waiting, taken = queue_rows(coordinator)
    assert waiting == [("Åse Testesen", 2)] and taken == []
    assert "Tidligere overtaget af" in coordinator.get(reverse("dementia-queue")).content.decode()


def test_empty_queue(coordinator) -> None:  # type: ignore[no-untyped-def]
    text = visible_text(coordinator.get(reverse("dementia-queue")).content.decode())
    assert "Ingen venter." in text and "Ingen endnu." in text


def test_the_heading_names_the_standards_receiver(coordinator, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.FHB_STANDARD = "ishoej"
    text = visible_text(coordinator.get(reverse("dementia-queue")).content.decode())
    assert "Overdraget til demenskoordinatoren" in text
    assert "som kvalitetsstandarden overdrager til demenskoordinatoren." in text
    shipped = (resources.files("fhb") / "standards" / "ishoej.toml").read_text("utf-8")
    named = shipped.replace(
        'decision = "dementia_coordinator"\n',
        'decision = "dementia_coordinator"\nreceiver = "Ishøj Kommunes demenskoordinator"\n',
        1,
    )
    assert named != shipped
    (tmp_path / "ishoej_named.toml").write_text(named, encoding="utf-8")
    settings.FHB_STANDARD = str(tmp_path / "ishoej_named.toml")
    text = visible_text(coordinator.get(reverse("dementia-queue")).content.decode())
    assert "Overdraget til Ishøj Kommunes demenskoordinator" in text
    assert "som kvalitetsstandarden overdrager til Ishøj Kommunes demenskoordinator." in text
