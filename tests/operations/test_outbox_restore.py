"""A restore makes batch numbers repeat; the file drop must still deliver every letter queued after it.

Issue 18: back up, deliver 40 letters, restore the backup, queue 40 other letters, deliver. The new batches
get the numbers the first ones had (the database forgot them), and the file drop used to name its folders
by number and leave a folder with a manifest alone: the worker reported 40 letters sent, none of which was
in the drop.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fhb.cli import main
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Batch, Letter
from fhb.letters.outbox import Delivered, work_once
from fhb.letters.transports import FileDropTransport
from fhb.letters.transports.file_drop import MANIFEST
from fhb.offers.actions import start_run
from fhb.standards.current import current_standard
from tests.citizens.builders import person
from tests.letters.world import at, load, sender_settings

pytestmark = pytest.mark.django_db(transaction=True)

LETTERS = 40
BATCH = 20


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    """The restore replaces the media folder: point it at a temporary one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def queue_letters(first: int) -> set[str]:
    """Import ``LETTERS`` citizens turning 70 (numbered from ``first``), run the year, queue its letters."""
    people = [
        person(f"{1 + i % 28:02d}{1 + i // 28:02d}57{1000 + i:04d}", f"Borger {i}", f"adr-{i}")
        for i in range(first, first + LETTERS)
    ]
    load(people)
    run = start_run(2027, "yearly", on=at(1, 1, 0).date(), standard=current_standard())
    send_run_letters(run, today=at(1, 2, 9).date(), standard=current_standard())
    queued = {
        str(u) for u in Letter.objects.filter(status=Letter.Status.QUEUED).values_list("uuid", flat=True)
    }
    assert len(queued) == LETTERS, f"expected {LETTERS} queued letters, got {len(queued)}"
    return queued


def in_manifests(outbox: Path) -> Counter[str]:
    return Counter(
        entry["uuid"]
        for manifest in outbox.glob(f"batch-*/{MANIFEST}")
        for entry in json.loads(manifest.read_text())["letters"]
    )


def test_letters_queued_after_a_restore_reach_the_drop_though_batch_numbers_repeat(
    tmp_path: Path, media: Path
) -> None:
    sender_settings()
    archive = tmp_path / "backup" / "fhb.tar.gz"
    assert main(["backup", "--out", str(archive)]) == 0
    outbox = tmp_path / "outbox"
    transport = FileDropTransport(outbox)

    before = queue_letters(0)
    assert work_once(transport, batch_size=BATCH)[1] == Delivered(2, LETTERS)
    numbers_before = set(Batch.objects.values_list("pk", flat=True))

    assert main(["restore", str(archive), "--yes"]) == 0
    assert not Letter.objects.exists() and not Batch.objects.exists(), "the restore forgot the delivery"

    after = queue_letters(LETTERS)
    assert not before & after
    rendered, delivered = work_once(transport, batch_size=BATCH)
    assert rendered == LETTERS and delivered == Delivered(2, LETTERS), (rendered, delivered)
    assert set(Batch.objects.values_list("pk", flat=True)) == numbers_before, (
        "the restore made the batch numbers repeat: the case this test is about"
    )

    statuses = Counter(Letter.objects.values_list("status", flat=True))
    assert statuses == Counter({Letter.Status.DELIVERED: LETTERS}), statuses
    for batch in Batch.objects.all():
        folder = Path(batch.location)
        for letter in batch.letters.all():
            pdf = folder / f"{letter.uuid}.pdf"
            assert pdf.is_file(), f"letter {letter.uuid} was reported delivered but is not in the drop"
            assert pdf.read_bytes() == bytes(letter.pdf or b""), f"the PDF of {letter.uuid} is the one stored"
        manifest = json.loads((folder / MANIFEST).read_text())
        listed = {(entry["uuid"], entry["sha256"]) for entry in manifest["letters"]}
        assert listed == {(str(letter.uuid), letter.sha256) for letter in batch.letters.all()}, (
            f"the manifest of {folder.name} lists exactly its batch's letters"
        )
        assert folder.parent == outbox and folder.name == f"batch-{batch.uuid}", folder
        assert manifest["batch_uuid"] == str(batch.uuid) and manifest["batch"] == batch.pk, manifest
    listed = in_manifests(outbox)
    assert set(listed) == before | after and set(listed.values()) == {1}, (
        "each letter, before and after the restore, is in one manifest"
    )
    assert len(list(outbox.glob("batch-*"))) == 4, "two folders before the restore, two after"
