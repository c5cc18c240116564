"""``fhb worker [--once] [--interval S] [--batch-size N]``: the outbox worker.

Renders queued letters to PDF (and MeMo for Digital Post) and delivers rendered letters through the
configured transport (``FHB_LETTER_TRANSPORT``, default the file drop in ``FHB_OUTBOX_DIR``). Safe to kill
at any moment: started again, it finishes an interrupted batch and delivers every letter exactly once.
"""

from __future__ import annotations

import argparse
import signal
import time
from types import FrameType

from fhb.commands import django_setup

help = "Render and deliver queued letters (the outbox worker); --once stops when nothing is left."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="work until the outbox is empty, then stop")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between rounds (default 10)")
    parser.add_argument("--batch-size", type=int, default=1000, help="letters per batch (default 1000)")


class _Stop:
    requested = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True


def run(args: argparse.Namespace) -> int:
    django_setup()
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
    while not stop.requested:
        rendered, delivered = work_once(transport, batch_size=args.batch_size)
        if rendered or delivered.letters:
            print(
                f"dannet {rendered}, afsendt {delivered.letters} brev(e) "
                f"i {delivered.batches} forsendelse(r)",
                flush=True,
            )
        if args.once and not rendered and not delivered.letters:
            break
        if not args.once:
            time.sleep(args.interval)
    return 0
