"""Sending a run's letters: what is queued and what waits, the worker's file drop, and what was sent."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from django.utils import timezone

from fhb.core.letters.memo import parse_memo, validate_memo
from fhb.events.models import Event
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Batch, Letter
from fhb.letters.outbox import render_pending, work_once
from fhb.letters.transports import FileDropTransport
from fhb.letters.transports.file_drop import MANIFEST, PRINT_BATCH
from fhb.offers.models import Offer
from fhb.standards.current import current_standard
from tests.letters.world import ALONE70, HUSBAND85, PAPER80, TURNS75, WIFE80, at, offer, plan, world

pytestmark = pytest.mark.django_db
TODAY = at(1, 2, 9).date()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_run_letters_queue_what_is_ready_and_say_what_waits() -> None:
    run = world()
    dispatch = send_run_letters(run, today=TODAY, standard=current_standard())
    queued = {(letter.citizen.cpr, letter.kind) for letter in Letter.objects.all()}
    assert queued == {
        (ALONE70["cpr"], "offer_without_time"),
        (HUSBAND85["cpr"], "offer_without_time"),
    }, "82+ in Hjørring: a letter with phone and mail; the others wait"
    waiting = dispatch.summary["waiting"]
    assert sum(waiting.values()) == 3
    assert any("ikke planlagt et besøg" in why for why in waiting), waiting
    assert any("Seniormesse" in why for why in waiting), waiting


def test_sending_again_queues_only_what_became_ready() -> None:
    run = world()
    send_run_letters(run, today=TODAY, standard=current_standard())
    plan(offer(WIFE80["cpr"], "age80"), at(9, 3, 10))
    Event.objects.create(
        activity="seniormesse",
        name="Seniormesse",
        place="Sundhedscentret",
        start=at(20, 4, 10),
        end=at(20, 4, 13),
    )
    second = send_run_letters(run, today=TODAY, standard=current_standard())
    assert second.summary["queued"] == 2 and second.summary["waiting_total"] == 1
    assert Letter.objects.count() == 4
    third = send_run_letters(run, today=TODAY, standard=current_standard())
    assert third.summary["queued"] == 0, "no offer gets a second letter"


def test_worker_drops_pdfs_memo_and_manifest_with_names_dates_and_times(tmp_path: Path) -> None:
    run = world()
    plan(offer(WIFE80["cpr"], "age80"), at(9, 3, 10))
    send_run_letters(run, today=TODAY, standard=current_standard())
    transport = FileDropTransport(tmp_path)
    rendered, delivered = work_once(transport)
    assert rendered == 3 and delivered.letters == 3 and delivered.batches == 1

    batch = Batch.objects.get()
    folder = tmp_path / f"batch-{batch.uuid}"
    assert batch.location == str(folder), "the folder is named by the batch's uuid, which never repeats"
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["batch_uuid"] == str(batch.uuid) and manifest["batch"] == batch.pk, manifest
    assert len(manifest["letters"]) == 3 and manifest["digital_post"] == 3

    letter = Letter.objects.get(citizen__cpr=WIFE80["cpr"])
    assert letter.status == Letter.Status.DELIVERED
    pdf = (folder / f"{letter.uuid}.pdf").read_bytes()
    assert pdf == bytes(letter.pdf), "the stored bytes are the bytes sent"
    text = flat(pdf_text(pdf))
    assert "Birte Øster" in text and "Kløvervej 2" in text
    assert "9. marts 2027" in text and "10.00" in text

    memo = (folder / f"{letter.uuid}.memo.xml").read_bytes()
    validate_memo(memo)
    summary = parse_memo(memo)
    assert summary.recipient_cpr == WIFE80["cpr"] and summary.sender_cvr == "11223344"
    assert summary.pdf == pdf and str(summary.message_uuid) == str(letter.uuid)

    made = Offer.objects.exclude(offered_on=None)
    assert made.count() == 3 and set(made.values_list("offered_on", flat=True)) == {timezone.localdate()}
    assert set(made.values_list("letters__status", flat=True)) == {Letter.Status.DELIVERED}
    assert Offer.objects.filter(offered_on=None, letters__isnull=False).count() == 0


def test_paper_letters_go_in_one_print_batch_and_the_manifest_names_nobody(tmp_path: Path) -> None:
    run = world()
    plan(offer(PAPER80["cpr"], "age80"), at(10, 3, 13))
    send_run_letters(run, today=TODAY, standard=current_standard())
    work_once(FileDropTransport(tmp_path))
    folder = next(tmp_path.glob("batch-*"))
    letter = Letter.objects.get(citizen__cpr=PAPER80["cpr"])
    assert letter.channel == "paper" and letter.memo is None
    printed = flat(pdf_text((folder / PRINT_BATCH).read_bytes()))
    assert "Ella Papir" in printed and "Skjult Vej 4" in printed, "her own letter carries her address"
    manifest = (folder / MANIFEST).read_text()
    assert "Skjult Vej" not in manifest and "Ella" not in manifest
    assert not list(folder.glob(f"{letter.uuid}*")), "paper letters are not dropped as Digital Post files"


def test_a_failing_render_is_kept_with_its_error_and_the_others_go_on(tmp_path: Path) -> None:
    run = world()
    send_run_letters(run, today=TODAY, standard=current_standard())
    broken = Letter.objects.get(citizen__cpr=ALONE70["cpr"])
    broken.content = {**broken.content, "kind": "no_such_kind"}
    broken.save()
    assert render_pending() == 1, "the other letter renders"
    broken.refresh_from_db()
    assert broken.status == Letter.Status.FAILED and broken.attempts == 1
    assert "no_such_kind" in broken.last_error and broken.next_attempt_at is not None


def test_joint_letter_to_a_couple_when_the_standard_says_so() -> None:
    run = world()
    wife, husband = offer(WIFE80["cpr"], "age80"), offer(HUSBAND85["cpr"], "age82plus")
    for o in (wife, husband):
        o.joint_letter, o.letter = True, "without_time"
        o.save()
    send_run_letters(run, today=TODAY, standard=current_standard())
    copies = Letter.objects.filter(citizen__cpr__in=[WIFE80["cpr"], HUSBAND85["cpr"]])
    assert copies.count() == 2, "one copy for each spouse's own mailbox"
    assert all(set(c.offers.values_list("pk", flat=True)) == {wife.pk, husband.pk} for c in copies)
    render_pending()
    text = flat(pdf_text(bytes(Letter.objects.get(citizen__cpr=HUSBAND85["cpr"]).pdf)))  # type: ignore[arg-type]
    assert "Birte Øster" in text and "Carl Øster" in text


def test_no_joint_letter_when_a_spouse_is_address_protected() -> None:
    run = world()
    wife, husband = offer(WIFE80["cpr"], "age80"), offer(HUSBAND85["cpr"], "age82plus")
    wife.citizen.address_protected = True
    wife.citizen.save()
    for o in (wife, husband):
        o.joint_letter, o.letter = True, "without_time"
        o.save()
    send_run_letters(run, today=TODAY, standard=current_standard())
    for letter in Letter.objects.filter(citizen__cpr__in=[WIFE80["cpr"], HUSBAND85["cpr"]]):
        assert len(letter.content["recipients"]) == 1


def test_invitation_names_the_seniormesse_place_date_and_time() -> None:
    run = world()
    Event.objects.create(
        activity="seniormesse",
        name="Seniormesse",
        place="Sundhedscentret",
        start=at(20, 4, 10),
        end=at(20, 4, 13),
    )
    send_run_letters(run, today=TODAY, standard=current_standard())
    render_pending()
    letter = Letter.objects.get(citizen__cpr=TURNS75["cpr"])
    text = flat(pdf_text(bytes(letter.pdf)))  # type: ignore[arg-type]
    assert letter.kind == "invitation"
    assert "Sundhedscentret" in text and "20. april 2027" in text and "10.00" in text
