"""Files with personal data are created 0600 in folders fhb creates 0700, whatever the umask (problem 8 of
the protection issue: backups and the outbox's files were 0644 in 0755 folders)."""

from __future__ import annotations

import io
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfWriter

from fhb.core.private_files import FILE_MODE, FOLDER_MODE, private_folder, write_private
from fhb.letters.transports.base import BatchKey, Parcel
from fhb.letters.transports.file_drop import FileDropTransport
from fhb.operations.backup import create_backup


@pytest.fixture(autouse=True)
def lax_umask() -> Iterator[None]:
    """The usual umask (022), which makes 0644 files and 0755 folders."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_helpers_set_the_modes_whatever_the_umask(tmp_path: Path) -> None:
    folder = private_folder(tmp_path / "a" / "b")
    write_private(folder / "x", b"cpr")
    assert (mode(tmp_path / "a"), mode(folder), mode(folder / "x")) == (FOLDER_MODE, FOLDER_MODE, FILE_MODE)
    (folder / "x").chmod(0o644)
    write_private(folder / "x", b"again")
    assert mode(folder / "x") == FILE_MODE, "a file written again is 0600 again"


def one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def parcel(letter: str, channel: str) -> Parcel:
    return Parcel(
        uuid=letter,
        kind="offer_with_time",
        channel=channel,
        cpr="0101501234",
        title="Tilbud",
        pdf=one_page_pdf(),
        memo=b"<Message/>" if channel == "digital_post" else None,
        pages=1,
        sha256="0" * 64,
    )


def test_the_file_drop_writes_0600_files_in_0700_folders(tmp_path: Path) -> None:
    root = tmp_path / "outbox"
    batch = BatchKey(uuid.uuid4(), 7)
    folder = Path(FileDropTransport(root).deliver(batch, [parcel("a", "digital_post"), parcel("b", "paper")]))
    assert mode(root) == FOLDER_MODE and mode(folder) == FOLDER_MODE
    files = sorted(folder.iterdir())
    assert {f.name for f in files} >= {"a.pdf", "a.memo.xml", "print-batch.pdf", "manifest.json"}
    assert {f.name: mode(f) for f in files} == dict.fromkeys((f.name for f in files), FILE_MODE)


@pytest.mark.django_db(transaction=True)  # the SQLite online backup waits for an open write transaction
def test_a_backup_is_0600_in_a_0700_folder(tmp_path: Path, settings: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    out = tmp_path / "backups" / "fhb.tar.gz"
    create_backup(out)
    assert mode(out.parent) == FOLDER_MODE and mode(out) == FILE_MODE
