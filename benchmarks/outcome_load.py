"""Outcome load: 50 consultants save visit outcomes at once for two minutes; no error, no lost write.

Target (issue "Reliability and operations", Load): 50 consultants saving visit outcomes at once for 2
minutes without an error or a lost write.

What the script does (no arguments):

1. Uses the web-load benchmark's PostgreSQL database (``fhb_bench_load``: 100,000 citizens, five years of
   history; built by ``benchmarks/web_load.py`` when missing or out of date).
2. In a child process with Django: removes what an earlier run left, then creates ``USERS`` consultants
   (``bench-k01``...) with planning profiles and, for each, ``VISITS_PER_USER`` planned visits back to back
   in the hours before now (begun, and not overlapping) for offers of the plan year that have none.
3. Starts gunicorn (5 sync workers) on loopback. A second process runs one thread per consultant: log in,
   then until ``DURATION_S`` has passed: open the next visit's page, post "held" with a random length
   (30-90 min), wait 1-3 s. Every answer must be the redirect back to the visit page (a form error is
   also a redirect, so the check that counts is step 4).
4. In a child process with Django: every outcome the consultants saved must be in the database exactly
   as posted (status held, the minutes, recorded by that consultant), no visit they did not post may
   have changed, and each of their visits has at most one outcome. Then the run's rows are removed.

Last line: ``outcome_load: N outcomes by 50 consultants in 120 s, 0 errors, 0 lost (target: none) PASS``.
Environment, for exploring only: ``FHB_OUTCOME_LOAD_SECONDS`` (the duration), ``FHB_OUTCOME_LOAD_USERS``.

Run: .venv/bin/python benchmarks/outcome_load.py
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web_load as base  # the database, the server and the HTTP client are shared

USERS = int(os.environ.get("FHB_OUTCOME_LOAD_USERS", "50"))
DURATION_S = float(os.environ.get("FHB_OUTCOME_LOAD_SECONDS", "120"))
VISITS_PER_USER = 80
VISIT_MIN = 5
THINK_S = (1.0, 3.0)
PREFIX = "bench-k"
PASSWORD = "bench-konsulent-ikke-hemmelig-42"  # a throw-away database on loopback
VISIT_PAGE = re.compile(r"^/besoeg/(\d+)/$")


def child(function: str, data_dir: Path, argument: str = "") -> str:
    """Run ``function`` of this module in a child process set up for the benchmark database."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import outcome_load; "
        f"print(outcome_load.{function}(sys.argv[2]))"
    )
    env = base.server_env(data_dir)
    result = subprocess.run(
        [sys.executable, "-c", code, str(base.ROOT / "benchmarks"), argument],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def _remove_earlier(prefix: str) -> int:
    from fhb.accounts.models import User
    from fhb.visits.models import Visit

    visits = Visit.objects.filter(consultant__username__startswith=prefix)
    ids = list(visits.values_list("pk", flat=True))
    Visit.history.filter(id__in=ids).delete()
    visits.delete()
    User.objects.filter(username__startswith=prefix).delete()
    return len(ids)


def set_up_here(_argument: str) -> str:
    """The consultants and their planned visits (begun); prints {username: [visit ids]} as JSON."""
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from fhb.accounts.models import User
    from fhb.offers.models import Offer
    from fhb.planning.models import Consultant
    from fhb.visits.models import Visit

    _remove_earlier(PREFIX)
    base_consultant = Consultant.objects.exclude(user__username__startswith=PREFIX).first()
    if base_consultant is None:
        raise SystemExit("the benchmark database has no consultant to copy a start place from")
    today = timezone.localdate()
    offers = list(
        Offer.objects.filter(
            year=base.plan_year(today),
            decision=Offer.Decision.OFFER,
            status=Offer.Status.ACTIVE,
            visits__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: USERS * VISITS_PER_USER]
    )
    if len(offers) < USERS * VISITS_PER_USER:
        raise SystemExit(f"only {len(offers)} offers without visits; {USERS * VISITS_PER_USER} needed")
    password = make_password(PASSWORD)
    plan: dict[str, list[int]] = {}
    with transaction.atomic():
        for n in range(1, USERS + 1):
            user = User.objects.create(username=f"{PREFIX}{n:02d}", password=password, role="consultant")
            Consultant.objects.create(
                user=user, base_lat=base_consultant.base_lat, base_lon=base_consultant.base_lon
            )
            mine = offers[(n - 1) * VISITS_PER_USER : n * VISITS_PER_USER]
            # Back to back and all begun: one consultant's planned visits may not overlap (PostgreSQL's
            # exclusion constraint), and an outcome is recorded from the visit's start.
            start = timezone.now() - dt.timedelta(minutes=VISIT_MIN * (len(mine) + 2))
            visits = Visit.objects.bulk_create(
                Visit(
                    start=start + dt.timedelta(minutes=VISIT_MIN * i),
                    end=start + dt.timedelta(minutes=VISIT_MIN * (i + 1)),
                    consultant=user,
                )
                for i in range(len(mine))
            )
            Visit.offers.through.objects.bulk_create(
                Visit.offers.through(visit_id=visit.pk, offer_id=offer)
                for visit, offer in zip(visits, mine, strict=True)
            )
            plan[user.username] = [visit.pk for visit in visits]
    return json.dumps(plan)


def verify_here(path: str) -> str:
    """Compare what the consultants posted with the database; remove the run's rows. Prints JSON."""
    import django

    django.setup()
    from fhb.visits.models import Visit

    posted: dict[str, Any] = json.loads(Path(path).read_text())
    saved = {int(pk): (user, minutes) for pk, user, minutes in posted["saved"]}
    planned = {int(pk) for pk in posted["planned"]}
    rows = Visit.objects.filter(pk__in=planned).values_list(
        "pk", "status", "held_minutes", "outcome_by__username"
    )
    lost, changed = [], []
    for pk, status, minutes, by in rows:
        if pk in saved:
            if (status, minutes, by) != (Visit.Status.HELD, saved[pk][1], saved[pk][0]):
                user, held = saved[pk]
                lost.append(
                    f"visit {pk}: posted held {held} min by {user}, stored {status} {minutes} by {by}"
                )
        elif status != Visit.Status.PLANNED:
            changed.append(f"visit {pk}: nobody posted an outcome, but it is {status}")
    history_rows = Visit.history.filter(id__in=list(saved), status=Visit.Status.HELD).count()
    removed = _remove_earlier(PREFIX)
    return json.dumps({"lost": lost, "changed": changed, "history_held": history_rows, "removed": removed})


# --- the load (a second process) --------------------------------------------------------------------------


def consultant_loop(
    port: int, username: str, visits: list[int], stop_at: float, out: dict[str, Any], lock: threading.Lock
) -> None:
    rng = random.Random(username)
    client = base.Client(port)
    try:
        status, page = client.request("GET", "/log-ind/")
        token = base.CSRF_INPUT.search(page.decode())
        if status != 200 or token is None:
            raise RuntimeError(f"no log-in form ({status})")
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        status, _ = client.request("POST", "/log-ind/", urllib.parse.urlencode(form))
        if status != 302:
            raise RuntimeError(f"log-in failed ({status})")
        for pk in visits:
            if time.monotonic() >= stop_at:
                break
            started = time.monotonic()
            status, page = client.request("GET", f"/besoeg/{pk}/")
            token = base.CSRF_INPUT.search(page.decode())
            if status != 200 or token is None:
                raise RuntimeError(f"visit {pk}: page {status}")
            minutes = rng.randint(30, 90)
            body = urllib.parse.urlencode(
                {"outcome": "held", "minutes": minutes, "csrfmiddlewaretoken": token.group(1)}
            )
            status, _ = client.request("POST", f"/besoeg/{pk}/udfald/", body)
            elapsed = time.monotonic() - started
            with lock:
                out["latencies"].append(elapsed * 1000)
                if status == 302:
                    out["saved"].append((pk, username, minutes))
                else:
                    out["errors"].append(f"{username} visit {pk}: status {status}")
            time.sleep(rng.uniform(*THINK_S))
    except Exception as error:  # a broken connection or a refused page is an error of the run
        with lock:
            out["errors"].append(f"{username}: {type(error).__name__}: {error}")


def load(port: int, plan: dict[str, list[int]], conn: Any) -> None:
    out: dict[str, Any] = {"saved": [], "errors": [], "latencies": []}
    lock = threading.Lock()
    stop_at = time.monotonic() + DURATION_S
    threads = [
        threading.Thread(target=consultant_loop, args=(port, user, visits, stop_at, out, lock))
        for user, visits in plan.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    conn.send(out)


def main() -> int:
    today = date.today()
    version = base.build_version(today)
    with tempfile.TemporaryDirectory(prefix="fhb-bench-outcome-") as tmp:
        data_dir = Path(tmp)
        (data_dir / "static").mkdir()
        if base.marker(version) is None:
            print(f"building {base.PG_DB} (version {version}) ...", flush=True)
            base.build(version, data_dir)
        plan = json.loads(child("set_up_here", data_dir))
        planned = [pk for visits in plan.values() for pk in visits]
        print(f"{len(plan)} consultants, {len(planned)} planned visits; {DURATION_S:.0f} s", flush=True)
        port = base.free_port()
        server = base.start_server(data_dir, port)
        started = time.monotonic()
        try:
            receiver, sender = multiprocessing.get_context("spawn").Pipe(duplex=False)
            process = multiprocessing.get_context("spawn").Process(target=load, args=(port, plan, sender))
            process.start()
            out = receiver.recv()
            process.join()
        finally:
            server.terminate()
            server.wait(30)
        seconds = time.monotonic() - started
        posted = data_dir / "posted.json"
        posted.write_text(json.dumps({"saved": out["saved"], "planned": planned}))
        check = json.loads(child("verify_here", data_dir, str(posted)))
    latencies = sorted(out["latencies"])
    saved, errors, lost, changed = out["saved"], out["errors"], check["lost"], check["changed"]
    if latencies:
        p50 = latencies[len(latencies) // 2]
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        print(f"visit page + outcome: {len(latencies)} saves, p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    print(
        f"{len(saved)} outcomes posted ({len(saved) / seconds:.1f} a second); stored as posted: "
        f"{len(saved) - len(lost)}; history rows 'held': {check['history_held']}; "
        f"visits changed without a post: {len(changed)}; rows removed after: {check['removed']}"
    )
    for line in (errors + lost + changed)[:10]:
        print(f"error: {line}")
    ok = not errors and not lost and not changed and len(saved) > 0
    print(
        f"outcome_load: {len(saved)} outcomes by {len(plan)} consultants in {DURATION_S:.0f} s, "
        f"{len(errors)} errors, {len(lost) + len(changed)} lost (target: none) {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
