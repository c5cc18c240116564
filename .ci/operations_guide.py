"""Follow docs/operations.md on this machine, step by step, as the municipality's IT department would.

Run by .ci/run after the tests (and by `make guide-check`). It installs as the guide says, with
``make install`` (the runtime lock, requirements.lock, only), into a virtual environment of its own in a
temporary folder, checks that no test or lint tool came with it, and runs every step with that
environment's ``fhb`` and ``gunicorn``, so the runtime lock is proved to hold all a server needs. It uses a
PostgreSQL database of its own (``fhb_guide``, dropped and created again) on 127.0.0.1:5432.

The steps, in the guide's order:

1. ``make install`` into the temporary folder; pytest, mypy, ruff and playwright (every package of
   pyproject.toml's ``dev`` extra) are not installed,
2. the settings file (``/etc/fhb/env`` in the guide; a temporary file here) with ``FHB_DEBUG=0``,
3. ``fhb migrate``, ``fhb createsuperuser``, ``fhb check``,
4. the nightly unit: ``fhb import`` of an extract (a synthetic one), ``fhb run --kind daily``,
   ``fhb backup``,
5. the web unit: gunicorn as the unit starts it; the health URL, the log-in page, its CSS, a log-in as
   the administrator behind a TLS-terminating proxy (``X-Forwarded-Proto: https``), the citizen list and
   the statistics page,
6. the worker unit: ``fhb worker --once``,
7. the monthly retention (a dry run) and the restore test (``fhb restore --yes``, then ``fhb check``).

Every command must exit 0 (``fhb check`` may warn but not fail); the script stops at the first step that
does not do what the guide says, naming it. Last line: ``operations guide: N steps followed, all OK``.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.parse
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "fhb_guide"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
ADMIN_USER = "it-admin"
ADMIN_PASSWORD = secrets.token_urlsafe(16)

steps = 0
BIN = ROOT / ".venv" / "bin"  # the guide's own environment's, once install() has made it


class GuideError(Exception):
    """A step did not do what the guide says."""


def step(title: str) -> None:
    global steps
    steps += 1
    print(f"== {steps}. {title}", flush=True)


def fhb(env: dict[str, str], *args: str, extra_env: dict[str, str] | None = None) -> str:
    """Run ``fhb ARGS`` with the settings file's environment; a non-zero exit is a failed step."""
    result = subprocess.run(
        [str(BIN / "fhb"), *args],
        env={**env, **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise GuideError(
            f"fhb {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    return result.stdout


def psql(sql: str) -> None:
    subprocess.run(["psql", ADMIN_URL, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True)


def settings_file(folder: Path) -> dict[str, str]:
    """Write the guide's settings file and read it back the way the units do (EnvironmentFile)."""
    lines = {
        "FHB_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FHB_DATA_DIR": str(folder / "data"),
        "FHB_STANDARD": "hjoerring",
        "FHB_SESSION_SECONDS": "1800",
        "FHB_PROXY_COUNT": "1",
        "FHB_LOGIN_FAILURES": "5",
        "FHB_LOCKOUT_MINUTES": "15",
        "FHB_RETENTION_YEARS": "5",
        "FHB_STATS_CACHE_SECONDS": "300",
        "FHB_IMPORT_MAX_GONE_PERCENT": "5",
        "FHB_IMPORT_MAX_MB": "500",
        "FHB_PLAN_SECONDS": "2",
    }
    path = folder / "env"
    path.write_text("".join(f"{key}={value}\n" for key, value in lines.items()), encoding="utf-8")
    path.chmod(0o600)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """A client behind the guide's reverse proxy: HTTPS at the proxy, so every request says so."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, text, dict(response.getheaders())

    def expect(self, path: str, status: int = 200) -> str:
        got, text, _headers = self.request("GET", path)
        if got != status:
            raise GuideError(f"GET {path}: {got}, expected {status}")
        return text


def wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise GuideError(f"gunicorn stopped (exit {server.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise GuideError("gunicorn did not listen within 10 s")


def web(env: dict[str, str]) -> str:
    """The web unit behind the proxy; starts a yearly run from the browser and returns its job's page."""
    step("the web unit: gunicorn fhb.web.wsgi --workers 3, behind the proxy")
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "fhb.web.wsgi",
            "--workers",
            "3",
            "--timeout",
            "30",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(port, server)
        browser = Browser(port)
        browser.expect("/sundhed/")
        page = browser.expect("/log-ind/")
        css = re.search(r'href="(/static/[^"]+\.css)"', page)
        if css is None:
            raise GuideError("the log-in page links no stylesheet")
        browser.expect(css[1])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise GuideError("the log-in page has no CSRF token")
        status, _text, headers = browser.request(
            "POST",
            "/log-ind/",
            {"username": ADMIN_USER, "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": token[1]},
        )
        if status != 302:
            raise GuideError(f"log-in as {ADMIN_USER}: {status}, expected a redirect")
        if "Strict-Transport-Security" not in browser.request("GET", "/")[2]:
            raise GuideError("no HSTS header with FHB_DEBUG=0")
        listing = browser.expect("/borgere/")
        if "borgere" not in listing:
            raise GuideError("the citizen list shows no citizens")
        browser.expect("/statistik/")
        print(f"   /sundhed/, log-in, {css[1]}, /borgere/, /statistik/: 200 ({headers.get('Location')})")
        runs = browser.expect("/tilbud/koersler/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', runs)
        year = str(date.today().year + 1)
        status, _text, headers = browser.request(
            "POST",
            "/tilbud/koersler/",
            {"year": year, "kind": "yearly", "csrfmiddlewaretoken": token[1] if token else ""},
        )
        job = headers.get("Location", "")
        if status != 302 or not re.fullmatch(r"/job/\d+/", job):
            raise GuideError(f"starting a yearly run: {status} to {job!r}, expected the job's page")
        if "I kø" not in browser.expect(job):
            raise GuideError(f"{job} does not say the job is queued")
        print(f"   a yearly run started from the browser: {job}, queued for the worker")
        return job
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


# Whether the environment holds a distribution or a module, as that environment's Python sees it.
PROBE = """
import importlib.metadata, importlib.util, sys
for name in sys.argv[1:]:
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        if importlib.util.find_spec(name) is None:
            continue
    print(name)
"""


def install(folder: Path) -> Path:
    """``make install`` as the guide says, into a virtual environment in ``folder``; returns its bin."""
    step("make install: the runtime lock (requirements.lock) only")
    venv = folder / "venv"
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "install", f"VENV={venv}"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        raise GuideError(
            f"make install exited {result.returncode}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dev = [
        re.split(r"[^A-Za-z0-9._-]", spec, maxsplit=1)[0]
        for spec in pyproject["project"]["optional-dependencies"]["dev"]
    ]
    names = sorted({*dev, "pytest", "mypy", "ruff", "playwright"})
    found = subprocess.run(
        [str(venv / "bin" / "python"), "-c", PROBE, *names], capture_output=True, text=True, check=True
    ).stdout.split()
    if found:
        raise GuideError(f"the runtime install carries development tools: {', '.join(found)}")
    print(f"   {venv}: none of {', '.join(names)} installed")
    return venv / "bin"


def main() -> int:
    global BIN
    if shutil.which("psql") is None:
        print("operations guide: psql is missing (PostgreSQL client)", file=sys.stderr)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="fhb-guide-"))
    try:
        BIN = install(folder)
        step(f"a database of its own: {DATABASE}")
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        psql(f"CREATE DATABASE {DATABASE}")
        step("the settings file, FHB_DEBUG=0 (EnvironmentFile)")
        env = settings_file(folder)

        step("fhb migrate, fhb createsuperuser, fhb check")
        fhb(env, "migrate", "--noinput")
        fhb(
            env,
            "createsuperuser",
            "--noinput",
            "--email",
            "it@example.dk",
            extra_env={"DJANGO_SUPERUSER_USERNAME": ADMIN_USER, "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD},
        )
        print("   " + fhb(env, "check").strip().replace("\n", "\n   "))

        step("the nightly unit: fhb import, fhb run --kind daily, fhb backup")
        extract = folder / "extract"
        fhb(env, "synth", "--standard", "hjoerring", "--seed", "3", "--size", "0.05", "--out", str(extract))
        fhb(
            env,
            "import",
            "--citizens",
            str(extract / "citizens.csv"),
            "--events",
            str(extract / "events.csv"),
        )
        fhb(env, "run", "--year", str(date.today().year), "--kind", "daily")
        backup = folder / f"fhb-{date.today():%F}.tar.gz"
        fhb(env, "backup", "--out", str(backup))
        if not backup.is_file() or backup.stat().st_size == 0:
            raise GuideError("fhb backup wrote no archive")

        job = web(env)

        step("the worker unit: fhb worker (until nothing is left: the job, then the outbox)")
        fhb(env, "worker", "--once")
        state = subprocess.run(
            [
                "psql",
                env["DATABASE_URL"],
                "-tA",
                "-c",
                f"SELECT state, message FROM jobs_job WHERE id = {job.split('/')[2]}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not state.startswith("done|"):
            raise GuideError(f"the yearly run's job after the worker: {state!r}, expected done")
        print(f"   {job}: {state.replace('|', ': ', 1)}")

        step("the monthly retention (dry run) and the restore test")
        fhb(env, "retention")
        fhb(env, "restore", str(backup), "--yes")
        fhb(env, "check")
    except (GuideError, subprocess.CalledProcessError) as error:
        print(f"operations guide: step {steps} failed: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["psql", ADMIN_URL, "-q", "-c", f"DROP DATABASE IF EXISTS {DATABASE}"], check=False)
    print(f"operations guide: {steps} steps followed, all OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
