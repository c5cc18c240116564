"""Web load: the leader's dashboard and the citizen search under 20 concurrent users.

Target (issue "Statistics"): with a 100,000-citizen municipality and five years of history, the dashboard
and the citizen search answer in at most 300 ms at the 95th percentile with 20 concurrent users, served by
gunicorn on loopback with the load from a second process.

What the script does (no arguments):

1. Builds the PostgreSQL database ``fhb_bench_load`` on 127.0.0.1:5432, or reuses it when its marker
   table says the build finished with the same build version (a hash of the build's parameters, the plan
   year and the code that makes the data: generator, importer, engine, history writer, migrations). The
   build: ``fhb synth`` of Hjørring at size 4.573 (about 100,000 persons), the import, a leader and
   ``CONSULTANTS`` consultants, this plan year's yearly run, and the five plan years before it written by
   :func:`fhb.stats.history.write_history` (timed and printed); then ``VACUUM ANALYZE``.
2. Starts gunicorn (``fhb.web.wsgi``) on a free port of 127.0.0.1 with ``FHB_DEBUG=0``, a random
   ``SECRET_KEY`` and ``DATABASE_URL`` pointing at the database.
3. In a second process (spawned), ``USERS`` threads each log in as the leader (a session of its own: CSRF
   token from ``/log-ind/``, the form posted, the session cookie kept) and then, over one keep-alive
   ``http.client`` connection each, request in a loop: the dashboard ``/statistik/?year=<last complete
   year>`` (plain, with ``&group=``, with ``&consultant=``) and the citizen search ``/borgere/?q=`` (a
   surname, a street fragment or a CPR prefix, drawn from the data), waiting ``THINK_S`` (uniformly
   0.5-1.5 times it) between requests. ``WARMUP_S`` of warm-up, then ``MEASURE_S`` measured.
4. Prints per kind of URL: count, p50, p95, p99 and errors (any answer other than 200 is an error and
   fails the run), the dashboard counted afresh once per filter (``&frisk=1``: its cache off), and the
   verdict as the last line::

       web_load: dashboard p95 <x> ms, search p95 <y> ms (target ≤ 300 ms) PASS

Environment, for exploring only (the figure is taken with the defaults): ``FHB_WEB_LOAD_WORKERS``,
``FHB_WEB_LOAD_THREADS`` (gunicorn's gthread worker with that many threads when set),
``FHB_WEB_LOAD_THINK_S``, ``FHB_WEB_LOAD_SECONDS`` (measured seconds), ``FHB_WEB_LOAD_ONLY`` (``search``
or ``dashboard``: measure one kind; the verdict is then FAIL, as the target needs both),
``FHB_WEB_LOAD_REBUILD=1``.

Run: .venv/bin/python benchmarks/web_load.py
"""

from __future__ import annotations

import hashlib
import http.client
import json
import multiprocessing
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_DB = "fhb_bench_load"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
MARKER_TABLE = "fhb_bench_web_load_marker"

STANDARD = "hjoerring"
SEED = 1
SIZE = 4.573  # Hjørring's structure scaled to about 100,000 persons (as benchmarks/eligibility.py)
CONSULTANTS = 12
HISTORY_YEARS = 5
LEADER = "leder"
LEADER_PASSWORD = "bench-leder-ikke-hemmelig-42"  # a throw-away database on loopback

USERS = 20
WARMUP_S = 15.0
MEASURE_S = float(os.environ.get("FHB_WEB_LOAD_SECONDS", "60"))
THINK_S = float(os.environ.get("FHB_WEB_LOAD_THINK_S", "5.0"))
WORKERS = int(os.environ.get("FHB_WEB_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
THREADS = int(os.environ.get("FHB_WEB_LOAD_THREADS", "0"))
ONLY = os.environ.get("FHB_WEB_LOAD_ONLY", "")
TARGET_MS = 300.0

#: Files whose change changes the data the build makes (with the parameters above and the plan year).
BUILD_SOURCES = (
    "src/fhb/demo/synth",
    "src/fhb/data",
    "src/fhb/citizens/importer.py",
    "src/fhb/citizens/bulk.py",
    "src/fhb/core/eligibility",
    "src/fhb/core/population",
    "src/fhb/standards",
    "src/fhb/offers/runs.py",
    "src/fhb/offers/actions.py",
    "src/fhb/demo/history.py",
)
#: Raise when :func:`build_here` changes what it builds.
BUILD_REVISION = 2

sys.path.insert(0, str(ROOT / "src"))


# --- the database --------------------------------------------------------------------------------------


def plan_year(today: date) -> int:
    """As ``fhb.offers.views.default_plan_year`` (from October the leader plans next year)."""
    return today.year + 1 if today.month >= 10 else today.year


def build_version(today: date) -> str:
    digest = hashlib.sha256()
    parameters = (BUILD_REVISION, STANDARD, SEED, SIZE, CONSULTANTS, HISTORY_YEARS, plan_year(today))
    digest.update(repr(parameters).encode())
    paths: list[Path] = []
    for name in BUILD_SOURCES:
        path = ROOT / name
        paths += sorted(path.rglob("*.py")) + sorted(path.rglob("*.toml")) if path.is_dir() else [path]
    paths += sorted(ROOT.glob("src/fhb/*/migrations/*.py"))
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def admin_connect() -> Any:
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)


def database_url(name: str) -> str:
    """The ``DATABASE_URL`` of database ``name`` on the benchmark server (other benchmarks use their own)."""
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def marker(version: str, url: str = DATABASE_URL) -> dict[str, Any] | None:
    """The finished build's summary when the database holds one of this version."""
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=5) as conn:
            row = conn.execute(f"SELECT version, summary FROM {MARKER_TABLE}").fetchone()
    except psycopg.Error:
        return None
    if row is None or row[0] != version:
        return None
    summary: dict[str, Any] = json.loads(row[1])
    return summary


def server_env(data_dir: Path, url: str = DATABASE_URL) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "FHB_", "DJANGO_"))}
    return {
        **env,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "fhb.web.settings",
        "FHB_STANDARD": STANDARD,
        "FHB_DATA_DIR": str(data_dir),
        "FHB_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "FHB_LOG_LEVEL": "WARNING",
    }


def build(version: str, data_dir: Path, name: str = PG_DB) -> None:
    """Drop and build the database ``name`` (in a child process with Django set up for it); the extract it
    imports is left in ``data_dir/extract``."""
    with admin_connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    env = server_env(data_dir, database_url(name))
    env["FHB_WEB_LOAD_VERSION"] = version
    code = "import sys; sys.path.insert(0, sys.argv[1]); import web_load; web_load.build_here()"
    subprocess.run([sys.executable, "-c", code, str(ROOT / "benchmarks")], env=env, check=True)


def build_here() -> None:
    """The build, in a process whose environment points Django at the benchmark database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from fhb.accounts.models import User
    from fhb.citizens.actions import import_extract
    from fhb.citizens.importer import ImportFile
    from fhb.core.geography import centres_of
    from fhb.demo.history import default_history_years, write_history
    from fhb.demo.synth.generator import SynthOptions, write_municipality
    from fhb.offers.actions import start_run
    from fhb.offers.years import default_extract_date
    from fhb.planning.models import Consultant
    from fhb.standards.current import current_standard

    today = timezone.localdate()
    year = plan_year(today)
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    folder = Path(os.environ["FHB_DATA_DIR"]) / "extract"
    options = SynthOptions(
        standard=STANDARD, seed=SEED, size=SIZE, year=year, on=min(today, date(year, 1, 1))
    )
    write_municipality(options, folder)
    t = time.perf_counter()
    run = import_extract(
        ImportFile.from_path(folder / "citizens.csv"), ImportFile.from_path(folder / "events.csv")
    )
    imported_s = time.perf_counter() - t
    citizens = run.summary["total_citizens"]

    leader = User.objects.create_user(username=LEADER, password=LEADER_PASSWORD, role="leader")
    leader.first_name, leader.last_name = "Lars", "Leder"
    leader.save()
    centres = centres_of("0860")
    town = next((c for c in centres if c.city == "Hjørring"), centres[0])
    for i in range(1, CONSULTANTS + 1):
        user = User.objects.create_user(
            username=f"konsulent{i:02d}", role="consultant", first_name=f"Konsulent {i}"
        )
        Consultant.objects.create(
            user=user, base_name=f"Sundhedscentret, {town.city}", base_lat=town.lat, base_lon=town.lon
        )

    t = time.perf_counter()
    start_run(year, "yearly", on=default_extract_date(year, today), standard=current_standard())
    run_s = time.perf_counter() - t
    history = write_history(
        default_history_years(year, HISTORY_YEARS), seed=SEED, today=today, standard=current_standard()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM offers_offer")
        offers = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM visits_visit")
        visits = cursor.fetchone()[0]
    summary = {
        "built": today.isoformat(),
        "citizens": citizens,
        "plan_year": year,
        "history_years": [y.year for y in history.years],
        "offers": offers,
        "visits": visits,
        "import_s": round(imported_s, 1),
        "run_s": round(run_s, 1),
        "history_s": round(history.seconds, 1),
        "build_s": round(time.perf_counter() - started, 1),
    }
    connection.close()
    import psycopg

    url = os.environ["DATABASE_URL"]  # the database build() made
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute(f"CREATE TABLE {MARKER_TABLE} (version text, summary text)")
        conn.execute(
            f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s)",
            [os.environ["FHB_WEB_LOAD_VERSION"], json.dumps(summary)],
        )
    for line in history.lines():
        print(f"  history {line}", flush=True)


@dataclass(frozen=True)
class Samples:
    """What the load draws from: search terms from the data, the dashboard's filters."""

    year: int
    surnames: list[str]
    streets: list[str]
    cpr_prefixes: list[str]
    groups: list[str]
    consultants: list[int]


def samples(year: int, url: str = DATABASE_URL) -> Samples:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        conn.execute("SELECT setseed(0.42)")
        names = [r[0] for r in conn.execute("SELECT name FROM citizens_citizen ORDER BY random() LIMIT 300")]
        streets = [
            r[0] for r in conn.execute("SELECT street FROM citizens_dwelling ORDER BY random() LIMIT 300")
        ]
        cprs = [r[0] for r in conn.execute("SELECT cpr FROM citizens_citizen ORDER BY random() LIMIT 300")]
        groups = [
            r[0]
            for r in conn.execute(
                'SELECT DISTINCT "group" FROM offers_offer WHERE year = %s ORDER BY 1', [year]
            )
        ]
        consultants = [r[0] for r in conn.execute("SELECT user_id FROM planning_consultant ORDER BY 1")]
    return Samples(
        year=year,
        surnames=[n.split()[-1] for n in names],
        # A fragment of the street name: its first word, cut to 5-8 letters ("Lærke" of "Lærkevej 12").
        streets=[s.split()[0][: random.Random(s).randint(5, 8)] for s in streets],
        cpr_prefixes=[c[:6] for c in cprs],
        groups=groups,
        consultants=consultants,
    )


# --- the server ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def start_server(data_dir: Path, port: int, url: str = DATABASE_URL) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        "fhb.web.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
    ]
    command += ["--log-level", "warning", "--timeout", "120"]
    if THREADS:
        command += ["--worker-class", "gthread", "--threads", str(THREADS)]
    server = subprocess.Popen(command, env=server_env(data_dir, url), cwd=str(ROOT))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/log-ind/")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


# --- the load (a second process) --------------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One user: a keep-alive connection and the cookies of its own session."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the server closed an idle connection: open a new one once
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, data

    def log_in(self, username: str = LEADER, password: str = LEADER_PASSWORD) -> None:
        status, page = self.request("GET", "/log-ind/")
        found = CSRF_INPUT.search(page.decode())
        if status != 200 or found is None:
            raise RuntimeError(f"no log-in form ({status})")
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": found.group(1),
                "next": "",
            }
        )
        status, _ = self.request("POST", "/log-ind/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"log-in failed ({status})")


def next_url(rng: random.Random, data: Samples, kinds: list[str]) -> tuple[str, str, str]:
    """(kind, variant, path) of the next request."""
    kind = rng.choice(kinds)
    if kind == "dashboard":
        base = f"/statistik/?year={data.year}"
        draw = rng.random()
        if draw < 0.5 or not (data.groups and data.consultants):
            return kind, "all", base
        if draw < 0.75:
            return kind, "group", f"{base}&group={urllib.parse.quote(rng.choice(data.groups))}"
        return kind, "consultant", f"{base}&consultant={rng.choice(data.consultants)}"
    draw = rng.random()
    if draw < 0.4:
        variant, q = "surname", rng.choice(data.surnames)
    elif draw < 0.7:
        variant, q = "street", rng.choice(data.streets)
    else:
        variant, q = "cpr", rng.choice(data.cpr_prefixes)
    return kind, variant, f"/borgere/?q={urllib.parse.quote(q)}"


Result = tuple[str, str, float, int, str]  # kind, variant, milliseconds, status, path


def user_loop(
    port: int, data: Samples, kinds: list[str], times: tuple[float, float, float], seed: int,
    out: list[Result], errors: list[str],
) -> None:  # fmt: skip
    start_at, measure_from, stop_at = times
    rng = random.Random(seed)
    client = Client(port)
    try:
        client.log_in()
    except Exception as error:  # reported; fails the run
        errors.append(f"user {seed}: {error}")
        return
    time.sleep(max(0.0, start_at - time.monotonic()) + rng.random() * THINK_S)
    while time.monotonic() < stop_at:
        kind, variant, path = next_url(rng, data, kinds)
        began = time.monotonic()
        try:
            status, _ = client.request("GET", path)
        except Exception as error:
            status = 0
            errors.append(f"{path}: {error}")
        elapsed_ms = (time.monotonic() - began) * 1000
        if began >= measure_from and began < stop_at:
            out.append((kind, variant, elapsed_ms, status, path))
        if THINK_S:
            time.sleep(THINK_S * rng.uniform(0.5, 1.5))


def load(port: int, data: Samples, kinds: list[str], conn: Any) -> None:
    """The second process: log the users in, warm up, measure; send the results back."""
    results: list[Result] = []
    errors: list[str] = []
    start_at = time.monotonic() + 30.0  # every user logged in by then (Argon2 takes a while)
    measure_from = start_at + WARMUP_S
    stop_at = measure_from + MEASURE_S
    threads = [
        threading.Thread(
            target=user_loop, args=(port, data, kinds, (start_at, measure_from, stop_at), i, results, errors)
        )
        for i in range(USERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    conn.send((results, errors))
    conn.close()


def fresh_dashboards(port: int, data: Samples) -> list[tuple[str, float, int]]:
    """Each dashboard filter once with ``&frisk=1`` (counted afresh, no cache): what a first visit costs."""
    client = Client(port)
    client.log_in()
    base = f"/statistik/?year={data.year}&frisk=1"
    paths = [
        base,
        f"{base}&group={urllib.parse.quote(data.groups[0])}",
        f"{base}&consultant={data.consultants[0]}",
    ]
    timed = []
    for path in paths:
        began = time.monotonic()
        status, _ = client.request("GET", path)
        timed.append((path, (time.monotonic() - began) * 1000, status))
    return timed


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def report(results: list[Result], kinds: list[str]) -> dict[str, float]:
    print(f"{'kind':<24} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
    p95: dict[str, float] = {}
    groups: dict[str, list[Result]] = {}
    for row in results:
        groups.setdefault(row[0], []).append(row)
        groups.setdefault(f"{row[0]} ({row[1]})", []).append(row)
    for name in sorted(groups, key=lambda n: (n.split()[0], "(" in n, n)):
        rows = groups[name]
        times = [r[2] for r in rows]
        errors = sum(1 for r in rows if r[3] != 200)
        print(
            f"{name:<24} {len(rows):>6} {percentile(times, 0.5):>8.0f} {percentile(times, 0.95):>8.0f} "
            f"{percentile(times, 0.99):>8.0f} {max(times):>8.0f} {errors:>6}"
        )
        if "(" not in name:
            p95[name] = percentile(times, 0.95)
    slowest = sorted(results, key=lambda r: -r[2])[:5]
    print("slowest: " + "; ".join(f"{r[4]} {r[2]:.0f} ms" for r in slowest))
    return p95


def main() -> int:
    today = date.today()
    version = build_version(today)
    kinds = [ONLY] if ONLY else ["dashboard", "search"]
    with tempfile.TemporaryDirectory(prefix="fhb-bench-web-") as tmp:
        data_dir = Path(tmp)
        (data_dir / "static").mkdir()  # whitenoise warns in every worker about a missing folder
        summary = None if os.environ.get("FHB_WEB_LOAD_REBUILD") else marker(version)
        if summary is None:
            print(f"building {PG_DB} (version {version}) ...", flush=True)
            build(version, data_dir)
            summary = marker(version)
            if summary is None:
                raise SystemExit("the build left no marker")
        else:
            print(f"reusing {PG_DB} (version {version}, built {summary['built']})")
        print(
            f"database: {summary['citizens']:,} citizens, {summary['offers']:,} offers, "
            f"{summary['visits']:,} visits; plan year {summary['plan_year']}, "
            f"history {summary['history_years']}; build "
            f"{summary['build_s']} s (import {summary['import_s']} s, run {summary['run_s']} s, history "
            f"{summary['history_s']} s)"
        )
        data = samples(today.year - 1)
        port = free_port()
        server = start_server(data_dir, port)
        mode = f"gthread x {THREADS}" if THREADS else "sync"
        print(
            f"gunicorn: {WORKERS} workers ({mode}) on 127.0.0.1:{port}; {USERS} users, think {THINK_S} s, "
            f"warm-up {WARMUP_S:.0f} s, measured {MEASURE_S:.0f} s; dashboard year {data.year}",
            flush=True,
        )
        try:
            receiver, sender = multiprocessing.get_context("spawn").Pipe(duplex=False)
            process = multiprocessing.get_context("spawn").Process(
                target=load, args=(port, data, kinds, sender)
            )
            process.start()
            results, errors = receiver.recv()
            process.join()
            fresh = fresh_dashboards(port, data) if "dashboard" in kinds else []
        finally:
            server.terminate()
            server.wait(30)
    p95 = report(results, kinds)
    for path, ms, status in fresh:
        print(f"counted afresh: {path} {ms:.0f} ms (status {status})")
    failed = errors + [f"{r[4]}: status {r[3]}" for r in results if r[3] != 200]
    failed += [f"{path}: status {status}" for path, _, status in fresh if status != 200]
    for line in failed[:10]:
        print(f"error: {line}")
    dashboard = p95.get("dashboard")
    search = p95.get("search")
    ok = (
        not failed
        and dashboard is not None
        and search is not None
        and dashboard <= TARGET_MS
        and search <= TARGET_MS
    )

    def shown(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.0f}"

    print(
        f"web_load: dashboard p95 {shown(dashboard)} ms, search p95 {shown(search)} ms "
        f"(target ≤ {TARGET_MS:.0f} ms) {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
