"""One letter per visit (issue 19): a citizen whose two offers share one visit gets one offer letter that
names both reasons, and both offers count as offered once it is sent; so does a couple's joint letter."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.utils import timezone

from fhb.core.letters.model import LetterKind
from fhb.letters.actions import send_run_letters
from fhb.letters.compose import appointment
from fhb.letters.models import Letter
from fhb.letters.outbox import work_once
from fhb.letters.sending import send_visit_letter
from fhb.letters.transports import FileDropTransport
from fhb.offers.actions import start_run
from fhb.offers.models import EligibilityRun, Offer
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.citizens.builders import person
from tests.letters.world import at, load, sender_settings

pytestmark = pytest.mark.django_db
TODAY = date(2027, 2, 1)

# Ruth turns 80 in 2027 (Målgruppe 3) and ended a rehabilitation on 1 February (Målgruppe 5, 15-29 March);
# both offers carry a time. Anna only turns 80.
RUTH = person("1010471234", "Ruth Tovej", "adr-7", civil_status="G", spouse_cpr="1111471235")
SVEND = person("1111471235", "Svend Tovej", "adr-7", civil_status="G", spouse_cpr="1010471234")
ALONE = person("1010471234", "Ruth Tovej", "adr-7")
ANNA = person("0202471232", "Anna Enkelt", "adr-6")
REHAB = {"cpr": RUTH["cpr"], "kind": "rehabilitation", "start": "2026-11-02", "end": "2027-02-01"}
BOTH = "fordi du fylder 80 år i år, og fordi du har afsluttet et rehabiliteringsforløb."


def world(people: list[dict[str, Any]]) -> EligibilityRun:
    load(people, events=(REHAB,))
    sender_settings()
    return start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())


def offers_of(who: dict[str, Any]) -> list[Offer]:
    return list(
        Offer.objects.filter(citizen__cpr=who["cpr"], status=Offer.Status.ACTIVE).order_by("due_from")
    )


def one_visit(*offers: Offer, day: int = 16) -> Visit:
    visit = Visit.objects.create(start=at(day, 3, 10), end=at(day, 3, 11))
    visit.offers.set(offers)
    return visit


def text(letter: Letter) -> str:
    letter.refresh_from_db()
    pages = pypdf.PdfReader(io.BytesIO(bytes(letter.pdf or b""))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_two_offers_on_one_visit_get_one_letter_naming_both_reasons_and_both_count_as_offered(
    tmp_path: Path,
) -> None:
    run = world([ALONE, ANNA])
    age80, risk = offers_of(ALONE)
    one_visit(age80, risk)
    (anna,) = offers_of(ANNA)
    one_visit(anna, day=17)
    send_run_letters(run, today=TODAY, standard=current_standard())
    letter = Letter.objects.get(citizen__cpr=ALONE["cpr"])
    assert letter.kind == "offer_with_time"
    assert set(letter.offers.all()) == {age80, risk}
    assert letter.content["reasons"] == ["du fylder 80 år i år", "du har afsluttet et rehabiliteringsforløb"]
    assert letter.content["duration_min"] == 60

    work_once(FileDropTransport(tmp_path))
    ruths = text(letter)
    assert "Ruth Tovej" in ruths and "16. marts 2027" in ruths
    assert f"Du får tilbuddet, {BOTH}" in ruths, ruths
    assert "tilbyder alle et forebyggende hjemmebesøg i det år, de fylder 80 år" not in ruths
    annas = text(Letter.objects.get(citizen__cpr=ANNA["cpr"]))
    assert "fordi" not in annas, "a letter about one offer words its group as before"
    assert "tilbyder alle et forebyggende hjemmebesøg i det år, de fylder 80 år" in annas

    for offer in (age80, risk):
        offer.refresh_from_db()
        assert offer.offered_on == timezone.localdate(), offer.group
    again = send_run_letters(run, today=TODAY, standard=current_standard())
    assert again.summary["queued"] == 0, "neither offer gets a letter of its own afterwards"


def test_a_couples_joint_letter_names_whose_reason_is_whose(tmp_path: Path) -> None:
    run = world([RUTH, SVEND])
    ruth, svend = offers_of(RUTH), offers_of(SVEND)
    for offer in (*ruth, *svend):
        offer.joint_letter = True
        offer.save()
    one_visit(*ruth, *svend)
    send_run_letters(run, today=TODAY, standard=current_standard())
    copies = list(Letter.objects.order_by("citizen__name"))
    assert [c.citizen.name for c in copies] == ["Ruth Tovej", "Svend Tovej"], "one copy each"
    assert all(set(c.offers.all()) == {*ruth, *svend} for c in copies)
    work_once(FileDropTransport(tmp_path))
    assert (
        "I får tilbuddet, fordi I fylder 80 år i år, og fordi Ruth Tovej har afsluttet et "
        "rehabiliteringsforløb." in text(copies[1])
    )
    assert Offer.objects.filter(offered_on=None).count() == 0


def test_offers_of_one_citizen_on_two_visits_get_a_letter_each() -> None:
    run = world([ALONE])
    age80, risk = offers_of(ALONE)
    one_visit(age80, day=9)
    one_visit(risk, day=22)
    send_run_letters(run, today=TODAY, standard=current_standard())
    letters = Letter.objects.filter(citizen__cpr=ALONE["cpr"])
    assert sorted([o.pk for o in letter.offers.all()] for letter in letters) == [[age80.pk], [risk.pk]]
    assert all(letter.content["reasons"] == [] for letter in letters)


def test_a_visit_for_two_of_her_offers_is_cancelled_in_one_letter() -> None:
    world([ALONE])
    age80, risk = offers_of(ALONE)
    visit = one_visit(age80, risk)
    rows = send_visit_letter(
        LetterKind.CANCELLATION,
        visit,
        today=TODAY,
        standard=current_standard(),
        previous=appointment(visit),
        reason="Konsulenten er syg.",
    )
    assert len(rows) == 1 and set(rows[0].offers.all()) == {age80, risk}
