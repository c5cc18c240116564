"""Faults around the outbox: the database goes away under the worker, the file drop's disk is full or
read-only. Letters wait, the error is shown, and when the fault is gone each letter goes out exactly once.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from fhb.commands import worker
from fhb.jobs import worker as jobs_worker
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Batch, Letter
from fhb.letters.outbox import Delivered, work_once
from fhb.letters.transports import BatchKey, DeliveryError, FileDropTransport, file_drop
from fhb.letters.transports.file_drop import MANIFEST, PRINT_BATCH
from fhb.offers.actions import start_run
from fhb.standards.current import current_standard
from tests.citizens.builders import person
from tests.conftest import PASSWORD
from tests.letters.test_crash import database_url, mid_batch
from tests.letters.world import at, load, sender_settings

#: The worker's PostgreSQL application name (libpq reads ``PGAPPNAME``): the test kills only its backends.
WORKER_APP = "fhb-test-faults-worker"
#: What the worker logs when the database fails it (fhb/commands/worker.py).
DB_LOST = "mistede forbindelsen til databasen"


def queue_letters(n: int, *, paper_every: int = 0) -> set[str]:
    """Queue ``n`` offering letters (every ``paper_every``-th on paper); return their ids."""
    people = [
        person(
            f"{1 + i % 28:02d}{1 + i // 28:02d}57{1000 + i:04d}",
            f"Borger {i}",
            f"adr-{i}",
            **({"digital_post_exempt": "1"} if paper_every and i % paper_every == 0 else {}),
        )
        for i in range(n)
    ]
    load(people)
    sender_settings()
    run = start_run(2027, "yearly", on=at(1, 1, 0).date(), standard=current_standard())
    send_run_letters(run, today=at(1, 2, 9).date(), standard=current_standard())
    letters = {str(u) for u in Letter.objects.values_list("uuid", flat=True)}
    assert len(letters) == n, f"expected {n} queued letters, got {len(letters)}"
    return letters


def manifests(outbox: Path) -> list[Path]:
    return sorted(outbox.glob(f"batch-*/{MANIFEST}")) if outbox.is_dir() else []


def assert_each_letter_delivered_once(outbox: Path, letters: set[str]) -> None:
    statuses = Counter(Letter.objects.values_list("status", flat=True))
    assert statuses == Counter({Letter.Status.DELIVERED: len(letters)}), f"all delivered: {statuses}"
    assert not Batch.objects.filter(status=Batch.Status.OPEN).exists(), "no batch is left open"
    in_manifests = Counter(
        entry["uuid"]
        for manifest in manifests(outbox)
        for entry in json.loads(manifest.read_text())["letters"]
    )
    assert set(in_manifests) == letters and set(in_manifests.values()) == {1}, "each letter in one manifest"
    digital = {str(u) for u in Letter.objects.filter(channel="digital_post").values_list("uuid", flat=True)}
    pdfs = Counter(p.name for p in outbox.glob("batch-*/*.pdf") if p.name != PRINT_BATCH)
    assert pdfs == Counter(f"{u}.pdf" for u in digital), "each Digital Post PDF dropped once"
    memos = Counter(p.name for p in outbox.glob("batch-*/*.memo.xml"))
    assert memos == Counter(f"{u}.memo.xml" for u in digital), "each MeMo message dropped once"
    assert not list(outbox.glob("batch-*/.*.tmp")), "no half-written file is left behind"
    for letter in Letter.objects.select_related("batch"):
        assert letter.batch is not None and letter.batch.location, f"letter {letter.uuid} has a batch"
        folder = Path(letter.batch.location)
        if letter.channel == "digital_post":
            assert (folder / f"{letter.uuid}.pdf").read_bytes() == bytes(letter.pdf or b""), letter.uuid
            assert (folder / f"{letter.uuid}.memo.xml").read_bytes() == bytes(letter.memo or b""), letter.uuid
        else:
            assert (folder / PRINT_BATCH).exists(), f"paper letter {letter.uuid} is in the print batch"


# --- The database goes away while the worker delivers --------------------------------------------------


def worker_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = %s",
            [WORKER_APP],
        )
        return [row[0] for row in cursor.fetchall()]


def terminate_worker_backends() -> int:
    """What a database restart does to the worker: its connections are cut. Returns how many were."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = %s",
            [WORKER_APP],
        )
        return sum(1 for (done,) in cursor.fetchall() if done)


def delivered_batches() -> int:
    return Batch.objects.filter(status=Batch.Status.DELIVERED).count()


@pytest.mark.django_db(transaction=True)
def test_database_restarts_while_the_worker_delivers_no_letter_lost_or_doubled(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("cutting the worker's connections needs PostgreSQL (pg_terminate_backend)")
    letters = queue_letters(300)
    outbox = tmp_path / "outbox"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PGAPPNAME": WORKER_APP,
        "FHB_OUTBOX_DIR": str(outbox),
        "FHB_LETTER_TRANSPORT": "file_drop",
    }
    command = [sys.executable, "-m", "fhb.cli", "worker", "--once", "--batch-size", "10"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        # Cut the connections three times: while it renders, between batches, in the middle of a batch.
        before_third = 0

        def third() -> bool:
            return mid_batch(outbox) or delivered_batches() >= before_third + 3

        moments: list[tuple[str, Callable[[], bool]]] = [
            ("while rendering", lambda: not Letter.objects.exclude(status=Letter.Status.QUEUED).exists()),
            ("after a delivered batch", lambda: delivered_batches() >= 1),
            ("in the middle of a batch", third),
        ]
        deadline = time.monotonic() + 45
        for moment, condition in moments:
            before_third = delivered_batches()
            while not (worker_backends() and condition()):
                output = log_path.read_text(errors="replace")
                assert process.poll() is None, f"the worker stopped before the cut {moment}:\n{output}"
                assert time.monotonic() < deadline, f"never reached the cut {moment}:\n{output}"
                time.sleep(0.002)
            assert terminate_worker_backends() >= 1, f"cut the worker's connection {moment}"
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log_path.read_text(errors="replace")
    assert process.returncode == 0, f"the worker survived the cuts and finished:\n{output}"
    assert output.count(DB_LOST) >= len(moments), f"the worker noticed each cut and went on:\n{output}"
    assert_each_letter_delivered_once(outbox, letters)


def worker_args(*words: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    worker.add_arguments(parser)
    return parser.parse_args(words)


@pytest.fixture
def worker_without_database(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Run ``worker.run`` in-process with the database left alone; return the pauses it makes."""
    pauses: list[float] = []
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # the handlers would outlive the test
    monkeypatch.setattr(worker, "_fresh_connection", lambda: None)
    monkeypatch.setattr(worker, "_drop_connections", lambda: None)
    monkeypatch.setattr(worker, "_pause", lambda seconds, stop: pauses.append(seconds))
    # No job is queued, and the worker's sign of life is not written (tests/jobs covers both).
    monkeypatch.setattr(jobs_worker, "run_next", lambda name: False)
    for name in ("announce", "beat", "goodbye", "recover", "tidy"):
        monkeypatch.setattr(jobs_worker, name, lambda *args: None)
    return pauses


def test_worker_cut_off_from_the_database_reconnects_and_goes_on(
    worker_without_database: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds: list[str] = []

    def round_(transport: Any, *, batch_size: int) -> tuple[int, Delivered]:
        rounds.append("round")
        if len(rounds) <= 2:
            raise OperationalError("terminating connection due to administrator command")
        return (1, Delivered(1, 1)) if len(rounds) == 3 else (0, Delivered(0, 0))

    monkeypatch.setattr("fhb.letters.outbox.work_once", round_)
    assert worker.run(worker_args("--once")) == 0, "the worker finishes once the database is back"
    assert len(rounds) == 4, f"two rounds cut short, one that worked, one that found nothing: {rounds}"
    assert worker_without_database == [1.0, 1.0], "connected again at once: a second's pause each time"


def test_worker_waits_longer_while_the_database_stays_away_and_once_gives_up(
    worker_without_database: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused() -> None:
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(worker, "_fresh_connection", refused)
    assert worker.run(worker_args("--once")) == 1, "exit code 1 for cron or systemd"
    assert worker_without_database == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0], "1, 2, 4 ... at most 60 s"


# --- The file drop's disk is full or read-only ---------------------------------------------------------


class FailingWrites:
    """Replace the file drop's ``write_atomic``: the first ``whole`` files are written, then each write
    leaves a half-written temporary file behind (as a killed or failing write would) and raises ``code``.
    """

    def __init__(self, code: int, whole: int) -> None:
        self.code, self.whole, self.calls = code, whole, 0
        self.real = file_drop.write_atomic
        self.lock = threading.Lock()

    def __call__(self, path: Path, data: bytes) -> None:
        with self.lock:
            self.calls += 1
            whole = self.calls <= self.whole
        if whole:
            self.real(path, data)
            return
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data[: len(data) // 2])
        raise OSError(self.code, os.strerror(self.code), str(tmp))


def fail_disk_full(monkeypatch: pytest.MonkeyPatch, outbox: Path) -> Path:
    monkeypatch.setattr(file_drop, "write_atomic", FailingWrites(errno.ENOSPC, whole=3))
    return outbox


def fail_read_only(monkeypatch: pytest.MonkeyPatch, outbox: Path) -> Path:
    monkeypatch.setattr(file_drop, "write_atomic", FailingWrites(errno.EROFS, whole=0))
    return outbox


def fail_not_a_folder(monkeypatch: pytest.MonkeyPatch, outbox: Path) -> Path:
    """A real error, no patching: the configured folder lies under a file (a share that is not mounted)."""
    outbox.write_bytes(b"not a folder")
    return outbox / "drop"


def fix_not_a_folder(outbox: Path) -> None:
    outbox.unlink()


FAULTS: dict[str, tuple[Callable[[pytest.MonkeyPatch, Path], Path], str]] = {
    "disk full": (fail_disk_full, "disken er fuld"),
    "read-only": (fail_read_only, "skrivebeskyttet"),
    "not a folder": (fail_not_a_folder, "ikke en mappe"),
}


@pytest.fixture
def leader_client(client: Any, make_user: Any) -> Iterator[Any]:
    make_user("leader")
    assert client.login(username="leader", password=PASSWORD)
    yield client


@pytest.mark.django_db
@pytest.mark.parametrize("fault", list(FAULTS))
def test_file_drop_full_or_read_only_letters_wait_with_the_error_then_go_once(
    fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leader_client: Any
) -> None:
    letters = queue_letters(12, paper_every=4)
    make_fault, reason = FAULTS[fault]
    outbox = tmp_path / "outbox"
    target = make_fault(monkeypatch, outbox)
    transport = FileDropTransport(target)

    rendered, delivered = work_once(transport, batch_size=5)
    assert rendered == 12, "rendering does not need the file drop"
    assert delivered == Delivered(0, 0), f"nothing is delivered while the file drop fails: {delivered}"
    statuses = Counter(Letter.objects.values_list("status", flat=True))
    assert statuses == Counter({Letter.Status.RENDERED: 12}), f"the letters wait, rendered: {statuses}"
    assert not manifests(target), "no manifest: the pick-up sees no finished batch"
    open_batches = list(Batch.objects.filter(status=Batch.Status.OPEN).order_by("id"))
    assert open_batches, "the claimed letters wait in an open batch"
    for batch in open_batches:
        folder = str(transport.folder(batch.key))
        error = batch.last_error
        assert batch.attempts == 1, f"one attempt counted: {batch.attempts}"
        assert f"Forsendelse {batch.pk}" in error, f"the error says what failed: {error}"
        assert folder in error, f"the error says where: {error}"
        assert reason in error, f"the error says why ({reason!r}): {error}"
    if fault == "disk full":
        assert list(target.glob("batch-*/*")), "the failed batch left files behind for the retry to meet"

    page = leader_client.get(reverse("outbox")).content.decode()
    assert reason in page and f"batch-{open_batches[0].uuid}" in page, "the Udbakke page shows the error"

    # The fault is fixed (space freed, the share mounted read-write): the next round delivers everything.
    monkeypatch.undo()
    if fault == "not a folder":
        fix_not_a_folder(outbox)
    rendered, delivered = work_once(transport, batch_size=5)
    assert rendered == 0 and delivered.letters == 12, f"all 12 go when it is fixed: {delivered}"
    assert not Batch.objects.exclude(last_error="").exists(), "a delivered batch shows no old error"
    assert_each_letter_delivered_once(target, letters)
    page = leader_client.get(reverse("outbox")).content.decode()
    assert reason not in page, "the error is gone from the Udbakke page"


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError):
        file_drop.write_atomic(tmp_path / "letter.pdf", b"%PDF-1.7")
    assert not list(tmp_path.iterdir()), "neither the file nor its temporary copy is left"


def test_file_drop_turns_an_os_error_into_a_delivery_error_that_says_what_where_why(tmp_path: Path) -> None:
    (tmp_path / "share").write_bytes(b"")
    transport = FileDropTransport(tmp_path / "share" / "outbox")
    batch = BatchKey(uuid.uuid4(), 7)
    with pytest.raises(DeliveryError) as raised:
        transport.deliver(batch, [])
    message = str(raised.value)
    assert "Forsendelse 7" in message and str(transport.folder(batch)) in message, message
    assert "ikke en mappe" in message and "Not a directory" in message, message
