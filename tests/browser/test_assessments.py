"""Issue 19 in the browser: the Ishøj run's assessments reach a consultant's "Mine opgaver"; she finds a
need for one (an offer with its letter follows) and no need for another (it leaves the list with the
reason); the leader's front page counts both."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.offers.actions import start_run
from fhb.offers.models import Assessment, Offer
from fhb.standards.current import standard_named
from tests.citizens.builders import citizens_csv, events_csv, person


def ishoej_world() -> tuple[str, str]:
    """Two married citizens turning 70 this year (in no plain Ishøj group), each with a fact Ishøj's
    special-needs group assesses: a sensory loss, a serious illness ten days ago. Returns their names."""
    today = timezone.localdate()
    born = f"{today.year - 70}"
    inger = person(f"0101{born[2:]}1234", "Inger Sansetab", "adr-1", civil_status="G")
    ole = person(f"0202{born[2:]}1235", "Ole Sygdom", "adr-2", civil_status="G")
    inger["spouse_cpr"], ole["spouse_cpr"] = f"0303{born[2:]}1236", f"0404{born[2:]}1237"
    spouses = [
        person(inger["spouse_cpr"], "Ægtefælle Et", "adr-1", civil_status="G", spouse_cpr=inger["cpr"]),
        person(ole["spouse_cpr"], "Ægtefælle To", "adr-2", civil_status="G", spouse_cpr=ole["cpr"]),
    ]
    when = (today - timedelta(days=10)).isoformat()
    events = [
        {"cpr": inger["cpr"], "kind": "sensory_loss", "start": when},
        {"cpr": ole["cpr"], "kind": "serious_illness", "start": when},
    ]
    import_extract(
        ImportFile("citizens.csv", citizens_csv([inger, ole, *spouses])),
        ImportFile("events.csv", events_csv(events)),
        force=True,
    )
    run = start_run(today.year, "daily", on=today, standard=standard_named("ishoej"))
    assert run.summary["assessments"] == 2
    return inger["name"], ole["name"]


def open_task(page: Page, name: str) -> None:
    page.get_by_role("link", name="Mine opgaver").first.click()
    expect(page.get_by_role("heading", name="Mine opgaver", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=name).filter(has_text="Vurdér")
    row.get_by_role("link", name="Gør det her").click()
    expect(page.get_by_role("heading", name=f"Vurdering af behov: {name}")).to_be_visible()


def test_a_consultant_decides_the_runs_assessments_and_the_leader_counts_them(
    page: Page, log_in: Callable[..., Any], settings: Any
) -> None:
    settings.FHB_STANDARD = "ishoej"
    consultant = log_in("consultant", "konsulent")
    inger, ole = ishoej_world()
    assert set(Assessment.objects.values_list("consultant", flat=True)) == {consultant.pk}

    page.goto("/")
    expect(page.get_by_text("Vurdér behovet", exact=False).first).to_be_visible()

    open_task(page, inger)
    page.get_by_label("Hvilket behov fandt du").fill("Har svært ved at komme ud efter synstabet.")
    page.get_by_label("Brev med tidspunkt").check()
    page.get_by_role("button", name="Behov fundet: giv tilbud").click()
    expect(page.get_by_text("Behov fundet: tilbuddet er givet.")).to_be_visible()
    offer = Offer.objects.get(citizen__name=inger, origin=Offer.Origin.ASSESSMENT)
    assert (offer.decision, offer.letter, offer.response) == ("offer", "with_time", "opt_out")

    open_task(page, ole)
    page.get_by_label("Hvorfor er der ikke behov for et besøg").fill("Har god hjælp fra familien.")
    page.get_by_role("button", name="Intet behov").click()
    expect(page.get_by_text("Vurderingen er afsluttet: intet behov.")).to_be_visible()
    expect(page.get_by_text("Har god hjælp fra familien.").first).to_be_visible()

    page.get_by_role("link", name="Mine opgaver").first.click()
    expect(page.get_by_role("row").filter(has_text="Vurdér")).to_have_count(0)
    no_need = Assessment.objects.get(citizen__name=ole)
    assert (no_need.outcome, no_need.outcome_reason) == ("no_need", "Har god hjælp fra familien.")

    page.get_by_role("button", name="Log ud").click()
    log_in("leader", "leder")
    expect(
        page.get_by_role("heading", name=f"Vurderinger af behov i {timezone.localdate().year}")
    ).to_be_visible()
    expect(page.get_by_role("row", name="Behov: tilbud givet 1")).to_be_visible()
    expect(page.get_by_role("row", name="Intet behov 1")).to_be_visible()
    expect(page.get_by_text("2 af 2 afgjorte vurderinger blev afgjort inden fristen.")).to_be_visible()
