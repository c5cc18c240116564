"""``fhb worker [--once] [--interval S] [--batch-size N] [--jobs-only]``: background jobs and the outbox.

Runs the background jobs that pages and commands queue (imports, eligibility runs, sending a run's letters,
plan runs: :mod:`fhb.jobs`), one at a time, looking for a new one every :data:`JOB_POLL_S` seconds; and
between them renders queued letters to PDF (and MeMo for Digital Post) and delivers rendered letters through
the configured transport (``FHB_LETTER_TRANSPORT``, default the file drop in ``FHB_OUTBOX_DIR``), every
``--interval`` seconds and right after a job. The outbox is meant for one worker at a time; a second
worker beside it (to run an import and a plan run side by side) takes ``--jobs-only``. Safe to kill at
any moment: started again, it finishes an interrupted batch and delivers every letter exactly once, and it
marks a job that was cut off as failed with the reason (the job's writes are its own transactions: nothing
half-stored). SIGTERM or Ctrl-C lets a running job finish first; a second one stops at once.

When the database goes away (a restart, a failover, a cut connection) the round stops with Django's
``OperationalError`` or ``InterfaceError``; the worker closes its connections, waits a second and starts
the round again on a new connection, waiting 2, 4 ... up to 60 seconds between tries while it cannot
connect. Each step of the outbox is its own transaction, so a round cut short is simply done again. With
``--once`` it gives up (exit code 1) after :data:`ONCE_ATTEMPTS` rounds in a row cut short. A transport
that cannot deliver (a full disk) is no database error: the batch stays open with the error and the worker
goes on. With ``--once`` it stops when no job is queued and the outbox is empty.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import time
from types import FrameType

from fhb.commands import django_setup

help = "Run background jobs and render and deliver queued letters; --once stops when nothing is left."

log = logging.getLogger("fhb.worker")

#: Seconds to wait after a database error; doubled after each further try that cannot connect.
RETRY_FIRST_S = 1.0
#: The longest wait between tries while the database is away.
RETRY_MAX_S = 60.0
#: With ``--once``: rounds in a row cut short by the database before giving up (while it cannot connect,
#: about two minutes of waiting).
ONCE_ATTEMPTS = 8
#: Seconds between two looks for a queued job (a page that started one waits about this long).
JOB_POLL_S = 1.0
#: Seconds between two looks for jobs left running by a worker that is gone.
RECOVER_EVERY_S = 60.0
#: Seconds between two tidy-ups (old jobs, uploads nobody confirmed).
TIDY_EVERY_S = 3600.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="work until the outbox is empty, then stop")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between rounds (default 10)")
    parser.add_argument("--batch-size", type=int, default=1000, help="letters per batch (default 1000)")
    parser.add_argument(
        "--jobs-only",
        action="store_true",
        help="run background jobs only, not the outbox (a second worker beside one that runs both)",
    )


class _Stop:
    """The first SIGTERM/SIGINT asks to stop after the running job; a second stops at once."""

    requested = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise SystemExit(1)
        self.requested = True


def _pause(seconds: float, stop: _Stop) -> None:
    """Sleep ``seconds``, waking early when a stop is requested (SIGTERM need not wait out the pause)."""
    deadline = time.monotonic() + seconds
    while not stop.requested and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.5))


def _fresh_connection() -> None:
    """Drop a broken or too old connection (as between two requests), then connect: raises while the
    database is away."""
    from django.db import close_old_connections, connection

    close_old_connections()
    connection.ensure_connection()


def _drop_connections() -> None:
    """Close every database connection; the next query opens a new one."""
    from django.db import DatabaseError, connections

    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):  # closing a connection the server already cut may complain
            conn.close()


def run(args: argparse.Namespace) -> int:
    django_setup()
    from django.db import InterfaceError, OperationalError
    from django.utils import timezone

    from fhb.jobs import worker as jobs
    from fhb.jobs.tasks import worker_name
    from fhb.letters.outbox import work_once
    from fhb.letters.transports import get_transport

    if args.batch_size < 1:
        print("--batch-size skal være mindst 1")
        return 2
    transport = get_transport()
    stop = _Stop()
    signal.signal(signal.SIGTERM, stop)  # finish the job or round, then stop (systemd's stop)
    signal.signal(signal.SIGINT, stop)
    name = worker_name()
    if args.jobs_only:
        print(f"fhb worker {name}: kun job", flush=True)
    else:
        print(f"fhb worker {name}: job og udbakke (transport {transport.name})", flush=True)
    unreachable = 0  # failed tries to connect in a row: the pause doubles with each
    failed_rounds = 0  # rounds in a row that a database error cut short: --once gives up after a few
    announced = False
    # monotonic times of the next outbox round, the next recovery and the next tidy-up
    next_outbox = next_recover = next_tidy = 0.0
    try:
        while not stop.requested:
            connected = False
            try:
                _fresh_connection()
                connected = True
                if unreachable:
                    log.warning("fhb worker: forbindelsen til databasen er tilbage")
                    unreachable = 0
                if not announced:
                    jobs.announce(name)  # also fails the jobs a killed worker left running
                    announced = True
                    next_recover = time.monotonic() + RECOVER_EVERY_S
                elif time.monotonic() >= next_recover:
                    jobs.recover(timezone.now())
                    next_recover = time.monotonic() + RECOVER_EVERY_S
                if time.monotonic() >= next_tidy:
                    jobs.tidy(timezone.now())
                    next_tidy = time.monotonic() + TIDY_EVERY_S
                ran_job = jobs.run_next(name)
                rendered, delivered = 0, None
                outbox_due = ran_job or args.once or time.monotonic() >= next_outbox
                if outbox_due and not args.jobs_only:
                    rendered, delivered = work_once(transport, batch_size=args.batch_size)
                    next_outbox = time.monotonic() + args.interval
                jobs.beat(name)
            except (OperationalError, InterfaceError) as error:
                _drop_connections()
                failed_rounds += 1
                if args.once and failed_rounds >= ONCE_ATTEMPTS:
                    log.error(
                        "fhb worker: mistede forbindelsen til databasen %d gange i træk; stopper: %s",
                        failed_rounds,
                        error,
                    )
                    return 1
                if not connected:
                    unreachable += 1
                delay = min(RETRY_FIRST_S * 2 ** max(unreachable - 1, 0), RETRY_MAX_S)
                log.warning(
                    "fhb worker: mistede forbindelsen til databasen (%s: %s); prøver igen om %g s",
                    type(error).__name__,
                    str(error).strip(),
                    delay,
                )
                _pause(delay, stop)
                continue
            failed_rounds = 0
            if delivered is not None and (rendered or delivered.letters):
                print(
                    f"dannet {rendered}, afsendt {delivered.letters} brev(e) "
                    f"i {delivered.batches} forsendelse(r)",
                    flush=True,
                )
            idle = not ran_job and not rendered and not (delivered and delivered.letters)
            if args.once and idle:
                break
            if not ran_job and not args.once:  # --once works straight through until nothing is left
                _pause(min(JOB_POLL_S, args.interval), stop)
    finally:
        if announced:
            with contextlib.suppress(OperationalError, InterfaceError):
                jobs.goodbye(name)
    return 0
