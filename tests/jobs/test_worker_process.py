"""The real ``fhb worker`` runs queued jobs; killed in the middle of a job's write, it has stored nothing of
it, and the next worker marks the job failed with the step it was in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.jobs import latest_run_id
from fhb.citizens.models import Citizen, ImportRun
from fhb.jobs.models import Job, WorkerBeat
from fhb.jobs.starting import start_job
from tests.citizens.builders import BASE, citizens_csv, person
from tests.letters.test_crash import database_url

pytestmark = pytest.mark.django_db(transaction=True)

#: Citizens in the extract the worker is killed importing: seconds of writing.
BIG = 40_000


def worker(tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url(), "FHB_OUTBOX_DIR": str(tmp_path / "outbox")}
    command = [sys.executable, "-m", "fhb.cli", "worker", "--interval", "60", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(condition: object, timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_the_worker_runs_a_queued_job_and_stops_once_nothing_is_left(tmp_path: Path) -> None:
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    job = start_job("eligibility_run", "Årskørsel for 2027", params={"year": 2027, "kind": "yearly"})
    process = worker(tmp_path, "--once")
    output = process.communicate(timeout=120)[0].decode()
    assert process.returncode == 0, output
    job.refresh_from_db()
    assert job.state == Job.State.DONE and "Kørslen for 2027 er gennemført" in job.message, output
    assert not WorkerBeat.objects.exists(), "a worker that stops says goodbye"


def test_a_worker_killed_while_an_import_writes_stores_nothing_and_the_job_is_failed(tmp_path: Path) -> None:
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    runs, citizens = ImportRun.objects.count(), Citizen.objects.count()
    folder = tmp_path / "imports" / "big"
    folder.mkdir(parents=True)
    rows = BASE + [
        person(
            f"{1 + i % 28:02d}{1 + i // 28 % 12:02d}4{i // 336 % 10}{1000 + i % 9000:04d}",
            f"Borger {i}",
            f"a{i}",
        )
        for i in range(BIG)
    ]
    (folder / "citizens.csv").write_bytes(citizens_csv(rows))
    preview = Job.objects.create(
        kind="import_preview",
        title="Forhåndsvisning",
        state=Job.State.DONE,
        params={"folder": str(folder), "citizens_name": "citizens.csv", "events_name": ""},
        result={"preview": {}, "latest_run": latest_run_id()},
    )
    job = start_job(
        "import_apply", "Indlæsning: citizens.csv", params={"preview": preview.pk, "confirmed_gone": None}
    )

    process = worker(tmp_path)
    writing = wait_for(lambda: Job.objects.filter(pk=job.pk, step__startswith="Gemmer").exists())
    time.sleep(0.5)  # inside the import's transaction
    process.send_signal(signal.SIGKILL)
    output = process.communicate(timeout=30)[0].decode()
    assert writing, output
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING, "killed: nobody could mark it"
    assert ImportRun.objects.count() == runs and Citizen.objects.count() == citizens, "nothing half-stored"

    again = worker(tmp_path, "--once")
    again.communicate(timeout=120)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "stoppede, mens jobbet var i gang (trin: Gemmer ændringerne" in job.error
    assert ImportRun.objects.count() == runs and Citizen.objects.count() == citizens
