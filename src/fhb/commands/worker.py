"""``fhb worker [--once] [--interval S] [--batch-size N]``: the outbox worker.

Renders queued letters to PDF (and MeMo for Digital Post) and delivers rendered letters through the
configured transport (``FHB_LETTER_TRANSPORT``, default the file drop in ``FHB_OUTBOX_DIR``). Safe to kill
at any moment: started again, it finishes an interrupted batch and delivers every letter exactly once.

When the database goes away (a restart, a failover, a cut connection) the round stops with Django's
``OperationalError`` or ``InterfaceError``; the worker closes its connections, waits a second and starts
the round again on a new connection, waiting 2, 4 ... up to 60 seconds between tries while it cannot
connect. Each step of the outbox is its own transaction, so a round cut short is simply done again. With
``--once`` it gives up (exit code 1) after :data:`ONCE_ATTEMPTS` rounds in a row cut short. A transport
that cannot deliver (a full disk) is no database error: the batch stays open with the error and the worker
goes on.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import time
from types import FrameType

from fhb.commands import django_setup

help = "Render and deliver queued letters (the outbox worker); --once stops when nothing is left."

log = logging.getLogger("fhb.worker")

#: Seconds to wait after a database error; doubled after each further try that cannot connect.
RETRY_FIRST_S = 1.0
#: The longest wait between tries while the database is away.
RETRY_MAX_S = 60.0
#: With ``--once``: rounds in a row cut short by the database before giving up (while it cannot connect,
#: about two minutes of waiting).
ONCE_ATTEMPTS = 8


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="work until the outbox is empty, then stop")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between rounds (default 10)")
    parser.add_argument("--batch-size", type=int, default=1000, help="letters per batch (default 1000)")


class _Stop:
    requested = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
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

    from fhb.letters.outbox import work_once
    from fhb.letters.transports import get_transport

    if args.batch_size < 1:
        print("--batch-size skal være mindst 1")
        return 2
    transport = get_transport()
    stop = _Stop()
    signal.signal(signal.SIGTERM, stop)  # finish the round, then stop (systemd's stop)
    signal.signal(signal.SIGINT, stop)
    print(f"fhb worker: transport {transport.name}", flush=True)
    unreachable = 0  # failed tries to connect in a row: the pause doubles with each
    failed_rounds = 0  # rounds in a row that a database error cut short: --once gives up after a few
    while not stop.requested:
        connected = False
        try:
            _fresh_connection()
            connected = True
            if unreachable:
                log.warning("fhb worker: forbindelsen til databasen er tilbage")
                unreachable = 0
            rendered, delivered = work_once(transport, batch_size=args.batch_size)
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
        if rendered or delivered.letters:
            print(
                f"dannet {rendered}, afsendt {delivered.letters} brev(e) "
                f"i {delivered.batches} forsendelse(r)",
                flush=True,
            )
        if args.once and not rendered and not delivered.letters:
            break
        if not args.once:
            _pause(args.interval, stop)
    return 0
