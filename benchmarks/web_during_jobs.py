"""Web during jobs: the citizen list and the day page under 20 users while an import and a plan job run.

Target (issue 18, "Safe to operate"): while a 100,000-citizen import job and a plan job run, 20 simulated
users browse the citizen list and the day page; 95th percentile at most 300 ms, every answer 200, and the
jobs finish.

What the script does (no arguments):

1. Builds the PostgreSQL database ``fhb_bench_jobs_base`` once, with web_load's build (``web_load.build``:
   Hjørring at size 4.573, about 100,000 citizens, 12 consultants, this plan year's yearly run, five years
   of history), then: passwords for the consultants, an administrator, and the plan of the current week
   laid (``run_plan``, 10 s search) so that the day pages have visits. It is reused while its marker table
   holds the same version (web_load's build version, this script's revision, the current week and the
   planning code). The extract the build imported is kept beside it (``$TMPDIR/fhb-bench/web_during_jobs``)
   with a copy in which 1 % of the citizen rows (names, moves, deaths) and 1 % of the event rows changed,
   as ``benchmarks/import.py`` makes its re-import: the month's extract the import job applies.
2. Copies it to ``fhb_bench_jobs`` for the run (``CREATE DATABASE ... TEMPLATE``: every run starts alike)
   and starts gunicorn on it as web_load does (5 sync workers, loopback) and a real ``fhb worker``.
3. In a second process (spawned), ``USERS`` threads log in (half as the leader, half as consultants
   ``konsulent01``...) and click, waiting ``THINK_S`` (0.5-1.5 times it) between clicks, through the
   citizen list (``/borgere/``: a page of the whole list, or a search for a surname, a street fragment or
   a CPR prefix drawn from the data) and the day page (the leader: ``/planlaegning/dag/<consultant>/<day>/``;
   a consultant: her own ``/idag/?dag=<day>``), over the weekdays of this week (planned) and next week (the
   week the plan job lays).
4. After the users have logged in and ``WARMUP_S`` of clicking, a child process with Django queues the jobs
   the way the pages do: the extract's two files copied into a folder of their own under
   ``FHB_DATA_DIR/imports/`` (``uploads.import_folder`` and ``uploads.keep``, as the import page) and an
   ``import_preview`` job; at the same moment a ``plan_run`` job for next week (``{"first": <Monday>,
   "weeks": 1}``, as the plan page); and when the preview is done, its confirmation, an ``import_apply``
   job (``{"preview": <id>, "confirmed_gone": None}``, as the preview page). It waits until every job has
   ended, or ``JOBS_TIMEOUT_S`` (then the run fails).
5. Counts the answers to requests begun while a job was running (from its ``started_at`` to its
   ``finished_at``); prints per kind of page count, p50, p95, p99, max and errors, the same per job that
   was running, each job's wait, duration and final state, and the verdict as the last line::

       web_during_jobs: p95 <x> ms over <n> answers while jobs ran, <e> errors, jobs DONE ... PASS

   PASS when the 95th percentile of all counted answers is at most 300 ms, every answer of the run
   (counted or not) was 200, and every job ended DONE.

Two ``fhb worker`` processes run, so that the import and the plan run at the same time (one worker runs
one job at a time; jobs of different locks run side by side when a municipality runs two workers,
docs/operations.md). Environment, for exploring only (the figure is taken with the defaults):
``FHB_WEB_JOBS_WORKERS`` (job workers, default 2; 1 runs the jobs one after the other),
``FHB_WEB_JOBS_THINK_S``, ``FHB_WEB_JOBS_REBUILD=1``,
``FHB_WEB_JOBS_KEEP=1`` (keep the run's database ``fhb_bench_jobs`` afterwards).

Run: .venv/bin/python benchmarks/web_during_jobs.py
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web_load as base  # the database build, the server and the HTTP client are shared

BASE_DB = "fhb_bench_jobs_base"
RUN_DB = "fhb_bench_jobs"
MARKER_TABLE = "fhb_bench_jobs_marker"
CACHE = Path(tempfile.gettempdir()) / "fhb-bench" / "web_during_jobs"
#: Raise when :func:`prepare_base` or :func:`write_changed_extract` changes what it makes.
REVISION = 1
#: Code whose change changes the plan laid in the base (with web_load's build version).
BASE_SOURCES = ("src/fhb/planning", "src/fhb/core/planning")

USERS = 20
LEADER_USERS = 10  # the others log in as konsulent01, konsulent02, ...
CONSULTANT_PASSWORD = "bench-konsulent-ikke-hemmelig-42"  # a throw-away database on loopback
ADMIN = "bench-admin"
THINK_S = float(os.environ.get("FHB_WEB_JOBS_THINK_S", "5.0"))
JOB_WORKERS = int(os.environ.get("FHB_WEB_JOBS_WORKERS", "2"))
WARMUP_S = 10.0
JOBS_TIMEOUT_S = 900.0
LOG_IN_TIMEOUT_S = 180.0
PLAN_WEEKS = 1
PRELAID_PLAN_S = 10.0  # the search time of the current week's plan laid in the base
CHANGED_SHARE = 0.01
TARGET_MS = 300.0


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekdays(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(5)]


# --- the base database and the extract ------------------------------------------------------------------


def base_version(today: date) -> str:
    digest = hashlib.sha256()
    digest.update(repr((base.build_version(today), REVISION, monday_of(today).isoformat())).encode())
    for name in BASE_SOURCES:
        for path in sorted((base.ROOT / name).rglob("*.py")):
            digest.update(str(path.relative_to(base.ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stored_summary(version: str) -> dict[str, Any] | None:
    """The base's summary when its build of this version finished."""
    import psycopg

    url = base.database_url(BASE_DB).replace("postgres://", "postgresql://")
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute(f"SELECT version, summary FROM {MARKER_TABLE}").fetchone()
    except psycopg.Error:
        return None
    if row is None or row[0] != version:
        return None
    summary: dict[str, Any] = json.loads(row[1])
    return summary


def child(function: str, data_dir: Path, url: str, argument: str = "", **extra_env: str) -> None:
    """Run ``function(argument)`` of this module in a child process with Django set up for ``url``."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import django; django.setup(); "
        f"import web_during_jobs; web_during_jobs.{function}(sys.argv[2])"
    )
    env = {**base.server_env(data_dir, url), **extra_env}
    subprocess.run([sys.executable, "-c", code, str(base.ROOT / "benchmarks"), argument], env=env, check=True)


def ensure_base(today: date) -> tuple[Path, dict[str, Any]]:
    """The base database and its folder (the extracts), built when missing or out of date."""
    version = base_version(today)
    folder = CACHE / version
    summary = None if os.environ.get("FHB_WEB_JOBS_REBUILD") else stored_summary(version)
    if summary is not None and (folder / "changed" / "citizens.csv").is_file():
        print(f"reusing {BASE_DB} (version {version}, built {summary['built']})", flush=True)
        return folder, summary
    print(f"building {BASE_DB} (version {version}) with web_load's build ...", flush=True)
    shutil.rmtree(CACHE, ignore_errors=True)
    (folder / "static").mkdir(parents=True)
    started = time.perf_counter()
    base.build(version, folder, BASE_DB)
    built = base.marker(version, base.database_url(BASE_DB))
    if built is None:
        raise SystemExit("web_load's build left no marker")
    changed = write_changed_extract(
        folder / "extract", folder / "changed", date.fromisoformat(built["built"])
    )
    built["changed"] = changed
    child(
        "prepare_base",
        folder,
        base.database_url(BASE_DB),
        json.dumps(built),
        FHB_WEB_JOBS_VERSION=version,
    )
    summary = stored_summary(version)
    if summary is None:
        raise SystemExit("the base's preparation left no marker")
    print(f"built {BASE_DB} in {time.perf_counter() - started:.0f} s", flush=True)
    return folder, summary


def prepare_base(built_json: str) -> None:
    """In the child: consultants' passwords, an administrator, this week's plan; VACUUM; the marker."""
    import psycopg
    from django.db import connection
    from django.utils import timezone

    from fhb.accounts.models import User
    from fhb.planning.actions import run_plan
    from fhb.planning.models import Consultant
    from fhb.standards.current import current_standard

    summary = json.loads(built_json)
    for consultant in Consultant.objects.select_related("user"):
        consultant.user.set_password(CONSULTANT_PASSWORD)
        consultant.user.save(update_fields=["password"])
    User.objects.create_user(
        username=ADMIN, password=CONSULTANT_PASSWORD, role="admin", first_name="Anna", last_name="Admin"
    )
    monday = monday_of(timezone.localdate())
    started = time.perf_counter()
    run, _ = run_plan(monday, 1, standard=current_standard(), seconds=PRELAID_PLAN_S, seed=0)
    summary["prelaid"] = {
        "first": monday.isoformat(),
        "visits": run.summary["visits"],
        "created": run.summary["created"],
        "seconds": round(time.perf_counter() - started, 1),
    }
    connection.close()
    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute(f"CREATE TABLE {MARKER_TABLE} (version text, summary text)")
        conn.execute(
            f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s)",
            [os.environ["FHB_WEB_JOBS_VERSION"], json.dumps(summary)],
        )


def write_changed_extract(source: Path, target: Path, extract_day: date) -> dict[str, int]:
    """The next month's extract: 1 % of the citizen rows changed (a third each renamed, moved, dead) and 1 %
    of the event rows (an open one ended, an ended one re-noted), as ``benchmarks/import.py``."""
    rng = random.Random(18)
    target.mkdir(parents=True, exist_ok=True)
    people = read_rows(source / "citizens.csv")
    counts = {"citizens": len(people), "renamed": 0, "moved": 0, "died": 0, "events": 0, "events_changed": 0}
    for i in rng.sample(range(len(people)), int(len(people) * CHANGED_SHARE)):
        person = people[i]
        what = i % 3
        if what == 0:
            person["name"] = person["name"] + " Ændret"
            counts["renamed"] += 1
        elif what == 1:
            person["address_id"] = f"moved-{i}"
            person["street"] = f"Flyttevej {i % 200 + 1}"
            counts["moved"] += 1
        elif not person.get("death_date"):
            person["death_date"] = (extract_day - timedelta(days=3)).isoformat()
            counts["died"] += 1
    write_rows(target / "citizens.csv", people)
    events = read_rows(source / "events.csv")
    counts["events"] = len(events)
    for i in rng.sample(range(len(events)), int(len(events) * CHANGED_SHARE)):
        event = events[i]
        if not event.get("end"):
            event["end"] = max(event["start"], (extract_day - timedelta(days=3)).isoformat())
        elif "note" in event:
            event["note"] = "rettet"
        counts["events_changed"] += 1
    write_rows(target / "events.csv", events)
    return counts


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def copy_base() -> float:
    """The run's database as a copy of the base; the seconds it took."""
    started = time.perf_counter()
    with base.admin_connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RUN_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {RUN_DB} TEMPLATE {BASE_DB}")
    return time.perf_counter() - started


def drop_run_database() -> None:
    with base.admin_connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RUN_DB} WITH (FORCE)")


# --- the jobs (a child process with Django) ---------------------------------------------------------------


def control(argument: str) -> None:
    """Queue the jobs as the pages do, confirm the preview when it is ready, wait for all to end.

    Writes each job's record (JSON) to ``out``; prints a line whenever a job changes state.
    """
    from django.core.files.uploadedfile import UploadedFile
    from django.db import close_old_connections

    from fhb.accounts.models import User
    from fhb.citizens.uploads import import_folder, keep
    from fhb.jobs.models import Job
    from fhb.jobs.starting import start_job

    options = json.loads(argument)
    extract = Path(options["extract"])
    admin = User.objects.get(username=ADMIN)
    leader = User.objects.get(username=base.LEADER)
    began = time.time()

    def say(text: str) -> None:
        print(f"  [{time.time() - began:6.1f} s] {text}", flush=True)

    # The import page: the uploaded files kept in a folder of their own, then the preview job.
    folder = import_folder()
    for name in ("citizens.csv", "events.csv"):
        with (extract / name).open("rb") as handle:
            keep(UploadedFile(handle, name=name), folder, name)
    params = {"folder": str(folder), "citizens_name": "citizens.csv", "events_name": "events.csv"}
    preview = start_job(
        "import_preview", "Forhåndsvisning af indlæsning: citizens.csv", params=params, user=admin
    )
    say(f"queued import_preview #{preview.pk} ({folder.name})")
    # The plan page, a moment later: next week.
    plan = start_job(
        "plan_run",
        f"Plan for {options['weeks']} uge(r) fra {options['first']}",
        params={"first": options["first"], "weeks": options["weeks"]},
        user=leader,
    )
    say(f"queued plan_run #{plan.pk} ({options['first']}, {options['weeks']} week)")
    ids = [preview.pk, plan.pk]
    seen: dict[int, str] = {}
    apply_id = None
    deadline = began + options["timeout"]
    while time.time() < deadline:
        close_old_connections()
        jobs = {job.pk: job for job in Job.objects.filter(pk__in=ids)}
        for pk in ids:
            job = jobs[pk]
            if seen.get(pk) != job.state:
                seen[pk] = job.state
                detail = job.error or job.message if job.state in ("done", "failed") else job.step
                say(f"{job.kind} #{pk} {job.state}{': ' + detail[:200] if detail else ''}")
        first = jobs[preview.pk]
        if apply_id is None and first.state == Job.State.DONE:
            # The preview page's confirmation (no typed number: a month's extract loses far under 5 %).
            apply = start_job(
                "import_apply",
                "Indlæsning: citizens.csv",
                params={"preview": first.pk, "confirmed_gone": None},
                user=admin,
            )
            Job.objects.filter(pk=first.pk).update(result={**first.result, "applied_by": apply.pk})
            apply_id = apply.pk
            ids.append(apply_id)
            say(f"preview confirmed: queued import_apply #{apply_id}")
            continue
        if all(not jobs[pk].active for pk in ids) and (apply_id is not None or first.state != "done"):
            break
        time.sleep(0.25)
    else:
        say(f"time-out after {options['timeout']:.0f} s")
    records = []
    for job in Job.objects.filter(pk__in=ids).order_by("pk"):
        records.append(
            {
                "id": job.pk,
                "kind": job.kind,
                "state": job.state,
                "created": job.created_at.timestamp(),
                "started": job.started_at.timestamp() if job.started_at else None,
                "finished": job.finished_at.timestamp() if job.finished_at else None,
                "message": job.message,
                "error": job.error,
                "step": job.step,
                "preview": (job.result.get("preview") or {}).get("counts"),
            }
        )
    Path(options["out"]).write_text(json.dumps({"jobs": records, "ended": time.time()}))


# --- the users (a second process) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Browse:
    """What the users draw from."""

    surnames: list[str]
    streets: list[str]
    cpr_prefixes: list[str]
    consultants: list[int]  # user ids, for the leader's day pages
    days: list[str]  # ISO dates: the weekdays of this week and next week


Answer = tuple[float, str, str, float, int, str]  # began (epoch), kind, variant, ms, status, path


def next_path(rng: random.Random, data: Browse, leader: bool) -> tuple[str, str, str]:
    if rng.random() < 0.5:
        day = rng.choice(data.days)
        if leader:
            return "day", "plan", f"/planlaegning/dag/{rng.choice(data.consultants)}/{day}/"
        return "day", "own", f"/idag/?dag={day}"
    draw = rng.random()
    if draw < 0.2:
        return "citizens", "list", f"/borgere/?page={rng.randint(1, 40)}"
    if draw < 0.5:
        variant, q = "surname", rng.choice(data.surnames)
    elif draw < 0.8:
        variant, q = "street", rng.choice(data.streets)
    else:
        variant, q = "cpr", rng.choice(data.cpr_prefixes)
    return "citizens", variant, f"/borgere/?q={urllib.parse.quote(q)}"


def user_loop(
    port: int, data: Browse, number: int, stop: Any, logged_in: threading.Barrier,
    out: list[Answer], errors: list[str],
) -> None:  # fmt: skip
    rng = random.Random(number)
    client = base.Client(port)
    leader = number < LEADER_USERS
    try:
        if leader:
            client.log_in()
        else:
            client.log_in(f"konsulent{number - LEADER_USERS + 1:02d}", CONSULTANT_PASSWORD)
    except Exception as error:  # reported; fails the run
        errors.append(f"user {number}: {error}")
        logged_in.abort()
        return
    try:
        logged_in.wait()
    except threading.BrokenBarrierError:
        return
    stop.wait(rng.random() * THINK_S)
    while not stop.is_set():
        kind, variant, path = next_path(rng, data, leader)
        began, started = time.time(), time.monotonic()
        try:
            status, _ = client.request("GET", path)
        except Exception as error:
            status = 0
            errors.append(f"{path}: {error}")
        out.append((began, kind, variant, (time.monotonic() - started) * 1000, status, path))
        stop.wait(THINK_S * rng.uniform(0.5, 1.5))


def load(port: int, data: Browse, ready: Any, stop: Any, conn: Any) -> None:
    """The second process: log the users in, tell when they are, click until told to stop."""
    answers: list[Answer] = []
    errors: list[str] = []
    logged_in = threading.Barrier(USERS, action=ready.set)
    threads = [
        threading.Thread(target=user_loop, args=(port, data, i, stop, logged_in, answers, errors))
        for i in range(USERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    conn.send((answers, errors))
    conn.close()


# --- the run --------------------------------------------------------------------------------------------


def start_workers(data_dir: Path, url: str) -> list[subprocess.Popen[bytes]]:
    workers = []
    for i in range(JOB_WORKERS):
        log = (data_dir / f"worker-{i}.log").open("wb")
        workers.append(
            subprocess.Popen(
                # One worker drives the outbox too; the others run jobs only (docs/operations.md).
                [str(base.BIN / "fhb"), "worker", *(["--jobs-only"] if i else [])],
                env=base.server_env(data_dir, url),
                cwd=str(base.ROOT),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return workers


def stop_process(process: subprocess.Popen[bytes], grace_s: float) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def browse_data(url: str, plan_year: int, today: date) -> Browse:
    samples = base.samples(plan_year - 1, url)
    days = weekdays(monday_of(today)) + weekdays(monday_of(today) + timedelta(days=7))
    return Browse(
        surnames=samples.surnames,
        streets=samples.streets,
        cpr_prefixes=samples.cpr_prefixes,
        consultants=samples.consultants,
        days=[d.isoformat() for d in days],
    )


def stats(times: list[float]) -> str:
    if not times:
        return f"{0:>6} {'-':>8} {'-':>8} {'-':>8} {'-':>8}"
    return (
        f"{len(times):>6} {base.percentile(times, 0.5):>8.0f} {base.percentile(times, 0.95):>8.0f} "
        f"{base.percentile(times, 0.99):>8.0f} {max(times):>8.0f}"
    )


def running_at(jobs: list[dict[str, Any]], moment: float, ended: float) -> list[str]:
    return [
        job["kind"]
        for job in jobs
        if job["started"] is not None and job["started"] <= moment < (job["finished"] or ended)
    ]


def at(moment: float | None) -> str:
    return "-" if moment is None else datetime.fromtimestamp(moment).strftime("%H:%M:%S")


def main() -> int:
    today = date.today()
    year = base.plan_year(today)
    next_monday = monday_of(today) + timedelta(days=7)
    folder, summary = ensure_base(today)
    print(
        f"database: {summary['citizens']:,} citizens, {summary['offers']:,} offers, {summary['visits']:,} "
        f"visits; plan year {summary['plan_year']}; this week's plan laid in the base: "
        f"{summary['prelaid']['visits']} visits from {summary['prelaid']['first']}"
    )
    changed = summary["changed"]
    print(
        f"extract to import: {changed['citizens']:,} citizens ({changed['renamed']} renamed, "
        f"{changed['moved']} moved, {changed['died']} dead), {changed['events']:,} events "
        f"({changed['events_changed']} changed)"
    )
    copied_s = copy_base()
    url = base.database_url(RUN_DB)
    print(f"{RUN_DB}: copied from {BASE_DB} in {copied_s:.1f} s", flush=True)
    data = browse_data(url, year, today)
    load_before = os.getloadavg()
    answers: list[Answer] = []
    errors: list[str] = []
    record: dict[str, Any] = {"jobs": [], "ended": time.time()}
    with tempfile.TemporaryDirectory(prefix="fhb-bench-jobs-") as tmp:
        data_dir = Path(tmp)
        (data_dir / "static").mkdir()
        port = base.free_port()
        server = base.start_server(data_dir, port, url)
        workers = start_workers(data_dir, url)
        print(
            f"gunicorn: {base.WORKERS} workers (sync) on 127.0.0.1:{port}; {JOB_WORKERS} fhb worker(s); "
            f"{USERS} users ({LEADER_USERS} as the leader), think {THINK_S} s; load average before "
            f"{load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}",
            flush=True,
        )
        context = multiprocessing.get_context("spawn")
        ready, stop = context.Event(), context.Event()
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=load, args=(port, data, ready, stop, sender))
        try:
            process.start()
            if not ready.wait(LOG_IN_TIMEOUT_S):
                stop.set()
                errors.append("the users did not all log in")
            else:
                print(f"users logged in; {WARMUP_S:.0f} s of warm-up, then the jobs:", flush=True)
                time.sleep(WARMUP_S)
                out = data_dir / "jobs.json"
                options = {
                    "extract": str(folder / "changed"),
                    "first": next_monday.isoformat(),
                    "weeks": PLAN_WEEKS,
                    "timeout": JOBS_TIMEOUT_S,
                    "out": str(out),
                }
                try:
                    child("control", data_dir, url, json.dumps(options))
                    record = json.loads(out.read_text())
                except (subprocess.CalledProcessError, OSError) as error:
                    errors.append(f"queueing or watching the jobs failed: {error}")
                stop.set()
            answers, load_errors = receiver.recv()
            errors += load_errors
            process.join(30)
        finally:
            stop.set()
            for worker in workers:
                stop_process(worker, 60)
            stop_process(server, 30)
            if process.is_alive():
                process.terminate()
            for i in range(JOB_WORKERS):
                tail = (data_dir / f"worker-{i}.log").read_text(errors="replace").strip().splitlines()[-5:]
                print(f"worker {i} log (last lines): " + " | ".join(tail))
    if not os.environ.get("FHB_WEB_JOBS_KEEP"):
        drop_run_database()
    load_after = os.getloadavg()
    return report(answers, errors, record, load_after)


def report(answers: list[Answer], errors: list[str], record: dict[str, Any], load_after: Any) -> int:
    jobs: list[dict[str, Any]] = record["jobs"]
    ended = record["ended"]
    print("jobs:")
    for job in jobs:
        waited = (job["started"] or ended) - job["created"]
        ran = (job["finished"] or ended) - job["started"] if job["started"] else 0.0
        outcome = job["error"] or job["message"] or f"(step: {job['step']})"
        print(
            f"  {job['kind']:<15} #{job['id']:<4} {job['state'].upper():<8} queued {at(job['created'])}, "
            f"waited {waited:5.1f} s, ran {ran:5.1f} s ({at(job['started'])}-{at(job['finished'])}): "
            f"{outcome[:300]}"
        )
        if job["preview"]:
            print(f"    preview counts: {job['preview']}")
    spans = [(j["started"], j["finished"] or ended) for j in jobs if j["started"] is not None]
    counted = [a for a in answers if running_at(jobs, a[0], ended)]
    if spans:
        first, last = min(s[0] for s in spans), max(s[1] for s in spans)
        busy = sum(1 for a in answers if first <= a[0] < last)
        print(
            f"from the first job's start to the last one's end: {last - first:.1f} s; answers begun then: "
            f"{busy}, of them while a job ran: {len(counted)} (all answers of the run: {len(answers)})"
        )
    print("answers begun while a job ran:")
    base.report([(a[1], a[2], a[3], a[4], a[5]) for a in counted], ["citizens", "day"])
    print(f"{'while running':<24} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind in dict.fromkeys(job["kind"] for job in jobs):
        for page in ("citizens", "day"):
            times = [a[3] for a in counted if a[1] == page and kind in running_at(jobs, a[0], ended)]
            print(f"{kind + ' / ' + page:<24} {stats(times)}")
    outside = [a[3] for a in answers if not running_at(jobs, a[0], ended)]
    print(f"{'no job running':<24} {stats(outside)}")
    print(f"load average after: {load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f}")

    failed = errors + [f"{a[5]}: status {a[4]}" for a in answers if a[4] != 200]
    for line in failed[:10]:
        print(f"error: {line}")
    times = [a[3] for a in counted]
    p95 = base.percentile(times, 0.95) if times else None
    kinds = {job["kind"]: job for job in jobs}
    complete = all(k in kinds for k in ("import_preview", "import_apply", "plan_run"))
    all_done = complete and all(job["state"] == "done" for job in jobs)
    ok = p95 is not None and p95 <= TARGET_MS and not failed and all_done

    def duration(kind: str) -> str:
        job = kinds.get(kind)
        if job is None:
            return f"{kind} not queued"
        ran = (job["finished"] or ended) - job["started"] if job["started"] else 0.0
        return f"{kind} {job['state'].upper()} {ran:.0f} s"

    shown = "n/a" if p95 is None else f"{p95:.0f}"
    print(
        f"web_during_jobs: p95 {shown} ms over {len(times)} answers while jobs ran, {len(failed)} errors; "
        f"{', '.join(duration(k) for k in ('import_preview', 'import_apply', 'plan_run'))} "
        f"(target ≤ {TARGET_MS:.0f} ms, every answer 200, jobs DONE) {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
