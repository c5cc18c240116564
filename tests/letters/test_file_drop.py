"""The file drop trusts a folder's manifest only when it is the batch's own: the batch's uuid and exactly its
letters with their checksums. Any other manifest is an error that says what, where and why; the letters wait.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fhb.letters.models import Batch, Letter
from fhb.letters.outbox import Delivered, work_once
from fhb.letters.transports import BatchKey, DeliveryError, FileDropTransport, Parcel
from fhb.letters.transports.file_drop import MANIFEST, n_letters
from tests.letters.test_faults import assert_each_letter_delivered_once, queue_letters


def parcel(text: str) -> Parcel:
    pdf = f"%PDF-1.7 {text}".encode()
    return Parcel(
        uuid=str(uuid.uuid4()),
        kind="offer_with_time",
        channel="digital_post",
        cpr="0101501234",
        title="Tilbud",
        pdf=pdf,
        memo=b"<Message/>",
        pages=1,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )


@pytest.fixture
def drop(tmp_path: Path) -> FileDropTransport:
    return FileDropTransport(tmp_path / "outbox")


def delivered(drop: FileDropTransport, parcels: list[Parcel], number: int = 36) -> BatchKey:
    batch = BatchKey(uuid.uuid4(), number)
    drop.deliver(batch, parcels)
    return batch


def refused(drop: FileDropTransport, batch: BatchKey, parcels: list[Parcel]) -> str:
    with pytest.raises(DeliveryError) as raised:
        drop.deliver(batch, parcels)
    message = str(raised.value)
    assert f"Forsendelse {batch.number} ({n_letters(len(parcels))}) er ikke afleveret" in message, message
    assert str(drop.folder(batch)) in message, f"says where: {message}"
    assert "flyt den væk" in message and "venter i udbakken" in message, f"says what to do: {message}"
    return message


def rewrite_manifest(folder: Path, change: Any) -> None:
    path = folder / MANIFEST
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def test_each_batch_has_a_folder_of_its_own_though_the_numbers_repeat(drop: FileDropTransport) -> None:
    first, second = [parcel("a")], [parcel("b")]
    one = delivered(drop, first, number=36)
    two = delivered(drop, second, number=36)
    for batch, parcels in ((one, first), (two, second)):
        folder = drop.folder(batch)
        assert folder.name == f"batch-{batch.uuid}"
        assert (folder / f"{parcels[0].uuid}.pdf").read_bytes() == parcels[0].pdf
        manifest = json.loads((folder / MANIFEST).read_text())
        assert manifest["batch_uuid"] == str(batch.uuid) and manifest["batch"] == 36, manifest
        assert [(e["uuid"], e["sha256"]) for e in manifest["letters"]] == [
            (parcels[0].uuid, parcels[0].sha256)
        ]


def test_a_batch_delivered_before_a_crash_is_left_alone(drop: FileDropTransport) -> None:
    parcels = [parcel("a"), parcel("b")]
    batch = delivered(drop, parcels)
    folder = drop.folder(batch)
    (folder / f"{parcels[0].uuid}.pdf").unlink()  # the pick-up has begun taking the files
    manifest = (folder / MANIFEST).read_bytes()
    assert drop.deliver(batch, list(reversed(parcels))) == str(folder), "its own manifest: done"
    assert not (folder / f"{parcels[0].uuid}.pdf").exists(), "nothing is written again"
    assert (folder / MANIFEST).read_bytes() == manifest


def test_a_manifest_of_another_batch_in_the_folder_is_not_trusted(drop: FileDropTransport) -> None:
    """A folder copied or restored into the drop under this batch's name: the letters are not in it."""
    old = delivered(drop, [parcel("old")])
    batch, parcels = BatchKey(uuid.uuid4(), 36), [parcel("new")]
    shutil.copytree(drop.folder(old), drop.folder(batch))
    message = refused(drop, batch, parcels)
    assert f"er for forsendelse {old.uuid}, ikke for denne ({batch.uuid})" in message, message
    assert not (drop.folder(batch) / f"{parcels[0].uuid}.pdf").exists(), "the foreign folder is left as it is"
    assert json.loads((drop.folder(batch) / MANIFEST).read_text())["batch_uuid"] == str(old.uuid)


def test_a_manifest_without_a_batch_uuid_is_not_trusted(drop: FileDropTransport) -> None:
    """A manifest of format 1 (folders named by number) or of another system."""
    parcels = [parcel("a")]
    batch = delivered(drop, parcels)
    rewrite_manifest(drop.folder(batch), lambda m: m.pop("batch_uuid"))
    assert "en forsendelse uden id" in refused(drop, batch, parcels)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda m: m["letters"].pop(), "1 af forsendelsens breve mangler"),
        (
            lambda m: m["letters"].append({**m["letters"][0], "uuid": str(uuid.uuid4())}),
            "1 brev hører ikke til",
        ),
        (lambda m: m["letters"][0].update(sha256="0" * 64), "1 brev har en anden kontrolsum (SHA-256)"),
        (lambda m: m["letters"].append(dict(m["letters"][0])), "1 brev står der to gange"),
    ],
    ids=["a letter missing", "a letter too many", "another checksum", "a letter twice"],
)
def test_a_manifest_of_this_batch_with_other_letters_is_not_trusted(
    drop: FileDropTransport, change: Any, why: str
) -> None:
    parcels = [parcel("a"), parcel("b")]
    batch = delivered(drop, parcels)
    rewrite_manifest(drop.folder(batch), change)
    message = refused(drop, batch, parcels)
    assert "det lister andre breve end forsendelsens" in message and why in message, message


def test_a_manifest_that_cannot_be_read_is_not_trusted(drop: FileDropTransport) -> None:
    parcels = [parcel("a")]
    batch = delivered(drop, parcels)
    (drop.folder(batch) / MANIFEST).write_text('{"format": 2, "letters": [')
    assert "det kan ikke læses" in refused(drop, batch, parcels)


@pytest.mark.django_db
def test_the_worker_keeps_the_letters_of_a_batch_whose_folder_holds_a_stale_manifest(tmp_path: Path) -> None:
    queued = queue_letters(6)
    outbox = tmp_path / "outbox"
    drop = FileDropTransport(outbox)

    class Refusing:
        name = drop.name

        def deliver(self, batch: BatchKey, parcels: list[Parcel]) -> str:
            raise DeliveryError("Drevet er væk")

    assert work_once(Refusing(), batch_size=10) == (6, Delivered(0, 0))  # type: ignore[arg-type]
    batch = Batch.objects.get(status=Batch.Status.OPEN)
    stale = delivered(drop, [parcel("gammel")], number=batch.pk)  # the same number, before a restore
    shutil.copytree(drop.folder(stale), drop.folder(batch.key))

    assert work_once(drop, batch_size=10) == (0, Delivered(0, 0)), "no letter is reported delivered"
    batch.refresh_from_db()
    assert batch.status == Batch.Status.OPEN and batch.attempts == 2
    assert str(drop.folder(batch.key)) in batch.last_error and str(stale.uuid) in batch.last_error
    statuses = Counter(Letter.objects.values_list("status", flat=True))
    assert statuses == Counter({Letter.Status.RENDERED: 6}), f"the letters wait: {statuses}"

    # A person looks at the folder and moves it away: the next round writes the batch.
    shutil.move(drop.folder(batch.key), tmp_path / "set-til-side")
    assert work_once(drop, batch_size=10) == (0, Delivered(1, 6))
    shutil.rmtree(drop.folder(stale))  # the other batch's folder is not this test's concern
    assert_each_letter_delivered_once(outbox, queued)
