"""Benchmark: 5,000 letters rendered to PDF plus MeMo XML, and delivered through the outbox.

Target (issue "Offers, letters and Digital Post"): 5,000 letters rendered to PDF plus MeMo XML in at most
60 s on the 2-core machine.

Two figures, in one run:

- *core*: the pure core alone: :class:`LetterRenderer` renders each letter to PDF and ``build_memo`` wraps
  it (validated against the MeMo schema) for Digital Post; nothing is stored.
- *outbox render* (the figure the target is judged on: rendered to PDF plus MeMo XML): in a fresh SQLite
  database under a temporary folder, 5,000 letters are queued as rows, then the worker's render step
  (``render_pending``: a process per CPU) renders each letter and its MeMo message and stores the bytes.
- *delivery*, reported beside it: the worker's delivery step claims the letters into batches and drops
  them with the file-drop transport (a PDF and a MeMo file per Digital Post letter, one print batch for
  the paper letters, a manifest per batch, each file flushed to disk).

The letters mix the kinds and the three shipped standards; one in ten goes on paper. The last line is the
verdict::

    letters: 5000 letters rendered to PDF + MeMo in 44.5 s by the outbox (one core 61.4 s; delivery 15.5 s
    more) (target ≤ 60 s) PASS

Usage: ``python benchmarks/letters.py [--letters 5000]``. Exit status 0 when the target is met.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

TARGET_S = 60.0
STANDARDS = ("hjoerring", "herning", "ishoej")


def letters(n: int) -> list:  # type: ignore[type-arg]
    from fhb.core.letters.model import Appointment, Event, Letter, LetterKind, Recipient, Response, Sender

    sender = Sender(
        municipality="Demo Kommune",
        municipality_code=999,
        cvr="12345678",
        unit="Forebyggende hjemmebesøg (demo)",
        street="Demovej 1",
        postcode="9999",
        city="Demoby",
        phone="70 00 00 00",
        phone_hours="mandag-fredag kl. 8.00-9.30",
        email="forebyg@example.dk",
        signature="De forebyggende medarbejdere",
    )
    kinds = [
        LetterKind.OFFER_WITH_TIME,
        LetterKind.OFFER_WITHOUT_TIME,
        LetterKind.OFFER_WITH_TIME,
        LetterKind.INVITATION,
        LetterKind.NEW_TIME,
        LetterKind.CANCELLATION,
        LetterKind.FOLLOW_UP,
    ]
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        start = datetime(2027, 3, 1, 9) + timedelta(days=i % 200, hours=i % 6)
        appointment = Appointment(start=start, end=start + timedelta(hours=1), consultant="Karen Konsulent")
        out.append(
            Letter(
                kind=kind,
                standard=STANDARDS[i % 3],
                sender=sender,
                recipients=(
                    Recipient(
                        cpr=f"{1 + i % 28:02d}{1 + i % 12:02d}47{1000 + i:04d}",  # the last 4 digits: unique
                        name=f"Åse Ødegård Ærø {i}",
                        street=f"Kløvervej {i % 200 + 1}",
                        postcode="9800",
                        city="Hjørring",
                    ),
                ),
                date=date(2027, 2, 1),
                reference=str(uuid.UUID(int=i + 1, version=4)),
                group="age80",
                response=Response.OPT_OUT,
                appointment=appointment
                if kind in (LetterKind.OFFER_WITH_TIME, LetterKind.NEW_TIME)
                else None,
                previous=appointment if kind in (LetterKind.NEW_TIME, LetterKind.CANCELLATION) else None,
                event=Event("Seniormesse", "Sundhedscentret", start, start + timedelta(hours=3))
                if kind is LetterKind.INVITATION
                else None,
                duration_min=60,
            )
        )
    return out


def core(batch: list) -> float:  # type: ignore[type-arg]
    from fhb.core.letters.memo import build_memo
    from fhb.core.letters.render import LetterRenderer
    from fhb.core.letters.texts import letter_title

    renderer = LetterRenderer()
    created = datetime(2027, 2, 1, 12)
    began = time.perf_counter()
    for letter in batch:
        pdf = renderer.render(letter)
        build_memo(
            letter, pdf, message_uuid=uuid.UUID(letter.reference), created=created, title=letter_title(letter)
        )
    return time.perf_counter() - began


def outbox(batch: list, folder: Path) -> tuple[float, float, float]:  # type: ignore[type-arg]
    """Queue the letters in a fresh database, then time one worker round: (queue, render, deliver) s."""
    os.environ["FHB_DATA_DIR"] = str(folder)
    os.environ["FHB_OUTBOX_DIR"] = str(folder / "outbox")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "fhb.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fhb.citizens.models import Citizen, Dwelling
    from fhb.core.letters.model import Channel
    from fhb.letters.models import Letter, SenderSettings
    from fhb.letters.outbox import deliver_pending, queue, render_pending
    from fhb.letters.transports import get_transport

    SenderSettings.objects.create(
        cvr="12345678", unit="Demo", street="Demovej 1", postcode="9999", city="Demoby", phone="70 00 00 00",
        phone_hours="8-9", email="forebyg@example.dk", signature="Demo",
    )  # fmt: skip
    dwellings = Dwelling.objects.bulk_create(
        Dwelling(address_id=f"adr-{i}", street=f"Kløvervej {i}", postcode="9800", city="Hjørring")
        for i in range(len(batch))
    )
    Citizen.objects.bulk_create(
        Citizen(
            cpr=letter.recipients[0].cpr,
            name=letter.recipients[0].name,
            birth_date=date(1947, 1, 1),
            sex="F",
            dwelling=dwelling,
            digital_post_exempt=i % 10 == 0,
        )
        for i, (letter, dwelling) in enumerate(zip(batch, dwellings, strict=True))
    )
    from django.db import transaction

    began = time.perf_counter()
    with transaction.atomic():  # as a dispatch queues its letters
        for letter in batch:
            queue(letter, letter_uuid=uuid.UUID(letter.reference))
    queued_s = time.perf_counter() - began
    began = time.perf_counter()
    rendered = render_pending()
    render_s = time.perf_counter() - began
    delivered_now = deliver_pending(get_transport(), batch_size=1000)
    worker_s = time.perf_counter() - began
    print(
        f"  worker round: rendered {rendered} in {render_s:.1f} s, delivered {delivered_now.letters} in "
        f"{delivered_now.batches} batches in {worker_s - render_s:.1f} s"
    )
    delivered = Letter.objects.filter(status=Letter.Status.DELIVERED).count()
    paper = Letter.objects.filter(channel=Channel.PAPER).count()
    assert delivered == len(batch), f"only {delivered} of {len(batch)} delivered"
    files = sum(1 for _ in (folder / "outbox").rglob("*") if _.is_file())
    print(f"  outbox: {delivered} delivered ({paper} on paper), {files} files in {folder / 'outbox'}")
    return queued_s, render_s, worker_s - render_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--letters", type=int, default=5000)
    args = parser.parse_args(argv)
    print(
        f"letters benchmark: {args.letters} letters, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    batch = letters(args.letters)
    core_s = core(batch)
    print(f"  core: {core_s:.1f} s for PDF + MeMo ({1000 * core_s / len(batch):.1f} ms a letter)")
    with tempfile.TemporaryDirectory(prefix="fhb-letters-") as tmp:
        queued_s, render_s, deliver_s = outbox(batch, Path(tmp))
    print(f"  queue: {queued_s:.1f} s to queue {len(batch)} letters (not part of the figure)")
    print(f"  worker: {render_s + deliver_s:.1f} s to render, store and deliver them")
    ok = render_s <= TARGET_S
    verdict = "PASS" if ok else "FAIL"
    print(
        f"letters: {len(batch)} letters rendered to PDF + MeMo in {render_s:.1f} s by the outbox "
        f"(one core {core_s:.1f} s; delivery {deliver_s:.1f} s more) (target ≤ {TARGET_S:.0f} s) {verdict}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
