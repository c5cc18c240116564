"""The worker's render processes end with the worker, however it ends.

A test starts the real ``fhb worker`` with enough queued letters that it renders them in processes, waits
until those processes exist and render, and then ends the worker: killed (SIGKILL: nothing of the worker
runs again), stopped (SIGTERM to the worker, as systemd's ``KillMode=mixed`` sends it: it finishes the
round), or stopped with Ctrl-C in a terminal (SIGINT to the whole process group: the render processes get
it too, and the worker must still finish its round cleanly). In each case no process the worker started
may be left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.offers.actions import start_run
from fhb.standards.current import current_standard
from tests.citizens.builders import person
from tests.letters.test_crash import database_url
from tests.letters.world import at, load, sender_settings
from tests.processes import Process, alive, children, still_running

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)"),
]

#: Three chunks of 400 for two render processes: the first is stored while the others render.
LETTERS = 1200
RENDER_PROCESSES = 2
#: How long the render processes may outlive the worker.
GRACE_S = 5.0


def queue_letters(n: int) -> None:
    """Queue ``n`` letters to citizens turning 70 (born 1957: the serial's first digit 1-3 says 1900s)."""
    load(
        [
            person(f"{1 + i % 28:02d}{1 + i // 28 % 12:02d}57{1000 + i:04d}", f"Borger {i}", f"adr-{i}")
            for i in range(n)
        ]
    )
    sender_settings()
    run = start_run(2027, "yearly", on=at(1, 1, 0).date(), standard=current_standard())
    send_run_letters(run, today=at(1, 2, 9).date(), standard=current_standard())
    assert Letter.objects.filter(status=Letter.Status.QUEUED).count() == n


def is_render_process(process: Process) -> bool:
    return "spawn_main" in process.command


def start_worker(outbox: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "FHB_OUTBOX_DIR": str(outbox),
        "FHB_LETTER_TRANSPORT": "file_drop",
        "FHB_RENDER_PROCESSES": str(RENDER_PROCESSES),
    }
    command = [sys.executable, "-m", "fhb.cli", "worker", "--interval", "60"]
    with log.open("wb") as out:
        # A session of its own, as in a terminal: a signal to the group reaches the worker and its render
        # processes, and not this test.
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_for_rendering(worker: subprocess.Popen[bytes], log: Path) -> list[Process]:
    """Wait until the worker renders in its processes (a chunk stored while the next renders); return every
    process the worker started by then."""
    deadline = time.monotonic() + 120
    seen: dict[tuple[int, int], Process] = {}
    while time.monotonic() < deadline:
        assert worker.poll() is None, f"the worker stopped before it rendered:\n{log.read_text()}"
        for process in children(worker.pid):
            seen[process.pid, process.started] = process  # the command read again: caught before its exec
        renderers = [p for p in seen.values() if is_render_process(p) and alive(p)]
        if (
            len(renderers) >= RENDER_PROCESSES
            and Letter.objects.filter(status=Letter.Status.RENDERED).exists()
        ):
            assert Letter.objects.filter(status=Letter.Status.QUEUED).exists(), "caught while rendering"
            return list(seen.values())
        time.sleep(0.005)
    raise AssertionError(f"the worker never started its render processes:\n{log.read_text()}")


def kill_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.send_signal(signal.SIGKILL)


def term_worker(worker: subprocess.Popen[bytes]) -> None:
    """systemd's stop with ``KillMode=mixed``: SIGTERM to the worker alone."""
    worker.send_signal(signal.SIGTERM)


def interrupt_group(worker: subprocess.Popen[bytes]) -> None:
    """Ctrl-C in the terminal: SIGINT to the foreground process group."""
    os.killpg(worker.pid, signal.SIGINT)


ENDINGS: dict[str, tuple[Callable[[subprocess.Popen[bytes]], None], bool]] = {
    # name: (how the worker is ended, whether it finishes its round first)
    "SIGKILL": (kill_worker, False),
    "SIGTERM": (term_worker, True),
    "SIGINT to the group (Ctrl-C)": (interrupt_group, True),
}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_render_processes_end_with_the_worker(ending: str, tmp_path: Path) -> None:
    end, finishes_round = ENDINGS[ending]
    queue_letters(LETTERS)
    log = tmp_path / "worker.log"
    worker = start_worker(tmp_path / "outbox", log)
    try:
        started = wait_for_rendering(worker, log)
        end(worker)
        returncode = worker.wait(timeout=120)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert sum(is_render_process(p) for p in started) >= RENDER_PROCESSES, started

    left = still_running(started, after_s=GRACE_S)
    for process in left:  # leave nothing behind for the next test
        os.kill(process.pid, signal.SIGKILL)
    assert not left, f"processes of the worker still running {GRACE_S:g} s after it ended ({ending}): {left}"

    if finishes_round:
        output = log.read_text(errors="replace")
        assert returncode == 0, f"the worker stopped cleanly after the round ({ending}):\n{output}"
        assert "Traceback" not in output, output
        statuses = set(Letter.objects.values_list("status", flat=True))
        assert statuses == {Letter.Status.DELIVERED}, f"the round it was in was finished: {statuses}"
