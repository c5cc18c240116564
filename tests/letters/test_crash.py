"""Kill the worker with SIGKILL in the middle of a batch, start it again: every letter is delivered once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from fhb.letters.actions import send_run_letters
from fhb.letters.models import Batch, Letter
from fhb.letters.transports.file_drop import MANIFEST
from fhb.offers.actions import start_run
from fhb.standards.current import current_standard
from tests.citizens.builders import person
from tests.letters.world import at, load, sender_settings

LETTERS = 120
BATCH = 40


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def start_worker(outbox: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "FHB_OUTBOX_DIR": str(outbox),
        "FHB_LETTER_TRANSPORT": "file_drop",
    }
    command = [sys.executable, "-m", "fhb.cli", "worker", "--once", "--batch-size", str(BATCH)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def mid_batch(outbox: Path) -> bool:
    """A batch folder holds some letters but no manifest yet: the worker is in the middle of a batch."""
    for folder in outbox.glob("batch-*"):
        if not (folder / MANIFEST).exists() and len(list(folder.glob("*.pdf"))) >= 3:
            return True
    return False


def kill_when(process: subprocess.Popen[bytes], condition: object, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if condition():  # type: ignore[operator]
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.001)
    process.kill()
    raise AssertionError("the worker neither finished nor reached the point to kill it")


@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_batch_then_restart_delivers_every_letter_exactly_once(tmp_path: Path) -> None:
    people = [
        person(f"{1 + i % 28:02d}{1 + i // 28:02d}57{1000 + i:04d}", f"Borger {i}", f"adr-{i}")
        for i in range(LETTERS)
    ]
    load(people)
    sender_settings()
    run = start_run(2027, "yearly", on=at(1, 1, 0).date(), standard=current_standard())
    send_run_letters(run, today=at(1, 2, 9).date(), standard=current_standard())
    assert Letter.objects.count() == LETTERS
    outbox = tmp_path / "outbox"

    # First kill: while letters are being rendered (some rendered, none delivered).
    rendered = lambda: Letter.objects.filter(status=Letter.Status.RENDERED).exists()  # noqa: E731
    assert kill_when(start_worker(outbox), rendered), "the worker finished before it could be killed"
    # Then kill in the middle of a batch, as often as it takes to see it twice.
    kills_mid_batch = 0
    for _ in range(10):
        if kills_mid_batch >= 2:
            break
        if kill_when(start_worker(outbox), lambda: mid_batch(outbox)):
            kills_mid_batch += 1
            assert Batch.objects.filter(status=Batch.Status.OPEN).exists(), "killed with the batch open"
    assert kills_mid_batch >= 1, "never caught the worker in the middle of a batch"

    final = start_worker(outbox)
    output = final.communicate(timeout=120)[0].decode()
    assert final.returncode == 0, output

    letters = {str(u) for u in Letter.objects.values_list("uuid", flat=True)}
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.DELIVERED}
    assert not Batch.objects.filter(status=Batch.Status.OPEN).exists()
    in_manifests = Counter(
        entry["uuid"]
        for manifest in outbox.glob(f"batch-*/{MANIFEST}")
        for entry in json.loads(manifest.read_text())["letters"]
    )
    assert set(in_manifests) == letters and set(in_manifests.values()) == {1}, "each letter in one manifest"
    pdfs = Counter(p.name for p in outbox.glob("batch-*/*.pdf"))
    memos = Counter(p.name for p in outbox.glob("batch-*/*.memo.xml"))
    assert pdfs == Counter(f"{u}.pdf" for u in letters), "each PDF dropped once"
    assert memos == Counter(f"{u}.memo.xml" for u in letters), "each MeMo message dropped once"
    assert not list(outbox.glob("batch-*/.*.tmp")), "no half-written file is left behind"
    for letter in Letter.objects.all():
        folder = Path(letter.batch.location)  # type: ignore[union-attr]
        assert (folder / f"{letter.uuid}.pdf").read_bytes() == bytes(letter.pdf)  # type: ignore[arg-type]
