"""The outbox: letters are queued, rendered, claimed into batches and delivered through a transport.

Every step is its own short transaction, so a crash at any moment leaves each letter in a state the
next step picks up again:

- *queued*: stored with its content (the core letter as JSON). :func:`render_pending` renders the PDF
  (and the MeMo message for Digital Post) and stores the exact bytes: *rendered*. A render error leaves
  the letter *failed* with the error kept, retried later with a growing pause, at most
  :data:`MAX_ATTEMPTS` times.
- :func:`deliver_pending` first finishes any batch still open (a crash during delivery), then claims
  rendered letters into a new batch in one transaction, hands the batch to the transport, and marks
  batch and letters *delivered* in one transaction. A claimed letter never joins another batch, and the
  transport is idempotent per batch, so each letter goes out exactly once. The transport knows a batch by
  the uuid it got when claimed (:class:`~fhb.letters.transports.BatchKey`), never by its id, which
  repeats after a restore or a rebuilt database. A transport that cannot deliver now (a full disk)
  raises :class:`DeliveryError`: the batch stays open with ``last_error`` and is handed over again next
  round.

The database going away mid-step (``OperationalError``) rolls back the step it was in; the worker
(``fhb worker``) reconnects and runs the round again, which picks each letter up where it was.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from multiprocessing import get_context

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.core.letters.codec import letter_to_json
from fhb.core.letters.copies import CopyJob, CopyRenderer, RenderedCopy, init_process, render_in_process
from fhb.core.letters.model import Channel, LetterKind
from fhb.core.letters.model import Letter as CoreLetter
from fhb.core.letters.texts import letter_title
from fhb.letters.models import Batch, Dispatch, Letter, SenderSettings
from fhb.letters.transports import DeliveryError, Parcel, Transport
from fhb.offers.models import Offer
from fhb.standards.current import letter_templates
from fhb.visits.models import Visit

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RENDER_CHUNK = 400
#: Chunks at least this big are rendered in processes (starting them costs about a second).
POOL_THRESHOLD = 100
#: Channels a transport carries; a letter by hand is printed by the consultant.
TRANSPORTED = (Channel.DIGITAL_POST.value, Channel.PAPER.value)
#: Letters that make the offer: delivering one sets the offer's ``offered_on`` (the statistics' "tilbudt").
OFFERING_KINDS = (LetterKind.OFFER_WITH_TIME, LetterKind.OFFER_WITHOUT_TIME, LetterKind.INVITATION)


def channel_for(citizen: Citizen) -> Channel:
    return Channel.PAPER if citizen.digital_post_exempt else Channel.DIGITAL_POST


def new_reference() -> uuid.UUID:
    return uuid.uuid4()


def queue(
    letter: CoreLetter,
    *,
    letter_uuid: uuid.UUID,
    offers: Iterable[Offer] = (),
    visit: Visit | None = None,
    dispatch: Dispatch | None = None,
    user: User | None = None,
    channel: Channel | None = None,
) -> list[Letter]:
    """Queue one copy of ``letter`` per recipient, each by the recipient's own channel.

    The first copy gets ``letter_uuid`` (the letter's printed reference); a joint letter's second copy
    gets a new id of its own (one Digital Post message per recipient).
    """
    citizens = {c.cpr: c for c in Citizen.objects.filter(cpr__in=[r.cpr for r in letter.recipients])}
    content = letter_to_json(letter)
    offers = list(offers)
    rows = []
    for i, recipient in enumerate(letter.recipients):
        citizen = citizens[recipient.cpr]
        row = Letter.objects.create(
            uuid=letter_uuid if i == 0 else uuid.uuid4(),
            kind=letter.kind.value,
            channel=(channel or channel_for(citizen)).value,
            title=letter_title(letter),
            citizen=citizen,
            visit=visit,
            dispatch=dispatch,
            content={**content, "copy_for": recipient.cpr},
            user=user,
        )
        if offers:
            row.offers.set(offers)
        rows.append(row)
    return rows


def cancel_unsent(letters: QuerySet[Letter], reason: str) -> int:
    """Cancel letters not yet handed to a transport; those already on their way cannot be recalled."""
    unsent = letters.filter(
        status__in=[Letter.Status.QUEUED, Letter.Status.RENDERED, Letter.Status.FAILED], batch__isnull=True
    )
    return unsent.update(status=Letter.Status.CANCELLED, cancelled_reason=reason, next_attempt_at=None)


def _due_for_render() -> QuerySet[Letter]:
    now = timezone.now()
    return Letter.objects.filter(
        Q(status=Letter.Status.QUEUED)
        | Q(status=Letter.Status.FAILED, attempts__lt=MAX_ATTEMPTS, next_attempt_at__lte=now),
        batch__isnull=True,
    ).order_by("id")


def _logo() -> tuple[bytes | None, str]:
    settings = SenderSettings.objects.first()
    if settings is None or not settings.logo:
        return None, ""
    return bytes(settings.logo), settings.logo_format


def _job(row: Letter) -> CopyJob:
    return CopyJob(
        key=row.pk,
        content=row.content,
        message_uuid=row.uuid,
        copy_for=row.content.get("copy_for") or row.citizen.cpr,
        digital_post=row.channel == Channel.DIGITAL_POST,
        title=row.title,
        created=timezone.now(),
    )


def render_pending(limit: int | None = None, *, processes: int | None = None) -> int:
    """Render queued letters (and failed ones whose pause is over); return how many were rendered.

    Typst renders on one core, so big chunks go to ``processes`` render processes (default:
    ``FHB_RENDER_PROCESSES``, else one per CPU) while this process stores the chunk before; small chunks
    render here. ``limit`` bounds the letters tried. The render processes are started and shut down within
    this call, by the thread that makes it; they ignore SIGINT (Ctrl-C: a stop is this process's to
    decide) and end when this process ends, even by SIGKILL (:mod:`fhb.core.child_process`).
    """
    logo, logo_format = _logo()
    own = letter_templates()
    processes = processes or int(os.environ.get("FHB_RENDER_PROCESSES", "0")) or os.cpu_count() or 1
    local = CopyRenderer(logo, logo_format, own)
    pool: ProcessPoolExecutor | None = None
    done = tried = last_id = 0
    in_flight: tuple[list[Letter], Iterator[RenderedCopy]] | None = None
    try:
        while limit is None or tried < limit:
            size = min(RENDER_CHUNK, limit - tried) if limit is not None else RENDER_CHUNK
            chunk = list(_due_for_render().filter(id__gt=last_id).select_related("citizen")[:size])
            if not chunk:
                break
            last_id, tried = chunk[-1].pk, tried + len(chunk)
            jobs = [_job(row) for row in chunk]
            if processes > 1 and len(jobs) >= POOL_THRESHOLD:
                if pool is None:
                    pool = ProcessPoolExecutor(
                        processes,
                        mp_context=get_context("spawn"),  # no forked database connection
                        initializer=init_process,  # and each ends when this process ends
                        initargs=(logo, logo_format, os.getpid(), own),
                    )
                submitted = (chunk, pool.map(render_in_process, jobs, chunksize=8))
                if in_flight is not None:  # store the chunk before while the processes render this one
                    done += _store(in_flight[0], list(in_flight[1]))
                in_flight = submitted
            else:
                done += _store(chunk, [local(job) for job in jobs])
        if in_flight is not None:
            done += _store(in_flight[0], list(in_flight[1]))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return done


def _store(rows: list[Letter], results: list[RenderedCopy]) -> int:
    """Store rendered bytes (or the error) of a chunk in one transaction; return how many rendered."""
    now = timezone.now()
    by_pk = {row.pk: row for row in rows}
    rendered = 0
    with transaction.atomic(durable=True):
        for result in results:
            row = by_pk[result.key]
            # Only a letter still waiting is changed: one cancelled meanwhile stays cancelled.
            waiting = Letter.objects.filter(
                pk=row.pk, status__in=[Letter.Status.QUEUED, Letter.Status.FAILED]
            )
            if result.error:
                attempts = row.attempts + 1
                waiting.update(
                    status=Letter.Status.FAILED,
                    attempts=attempts,
                    last_error=result.error,
                    next_attempt_at=now + timedelta(minutes=2**attempts) if attempts < MAX_ATTEMPTS else None,
                )
                log.warning("brev %s kunne ikke dannes (forsøg %d): %s", row.uuid, attempts, result.error)
                continue
            rendered += waiting.update(
                status=Letter.Status.RENDERED,
                pdf=result.pdf,
                memo=result.memo,
                sha256=hashlib.sha256(result.pdf).hexdigest(),
                pages=result.pages,
                rendered_at=now,
                last_error="",
                next_attempt_at=None,
            )
    return rendered


def render_by_hand(row: Letter) -> None:
    """Render a letter the consultant prints and hands over now (the closed-door note): delivered at once."""
    logo, logo_format = _logo()
    _store([row], [CopyRenderer(logo, logo_format, letter_templates())(_job(row))])
    Letter.objects.filter(pk=row.pk, status=Letter.Status.RENDERED).update(
        status=Letter.Status.DELIVERED, delivered_at=timezone.now()
    )


@dataclass(frozen=True)
class Delivered:
    batches: int
    letters: int


def deliver_pending(transport: Transport, *, batch_size: int = 1000) -> Delivered:
    """Finish open batches, then deliver rendered letters in batches (one dispatch per batch)."""
    done: list[int] = []  # letters per batch delivered; a batch the transport refused stays open
    for batch in Batch.objects.filter(status=Batch.Status.OPEN).order_by("id"):
        if (letters := _deliver(batch, transport)) is not None:
            done.append(letters)
    while (claimed := _claim(transport, batch_size)) is not None:
        if (letters := _deliver(claimed, transport)) is not None:
            done.append(letters)
    return Delivered(len(done), sum(done))


def _claim(transport: Transport, batch_size: int) -> Batch | None:
    with transaction.atomic(durable=True):
        first = (
            Letter.objects.select_for_update()
            .filter(status=Letter.Status.RENDERED, batch__isnull=True, channel__in=TRANSPORTED)
            .order_by("id")
            .first()
        )
        if first is None:
            return None
        # The uuid names the batch to the transport for ever; its id repeats after a restore.
        batch = Batch.objects.create(
            uuid=uuid.uuid4(), transport=transport.name, dispatch_id=first.dispatch_id
        )
        ids = list(
            Letter.objects.filter(
                status=Letter.Status.RENDERED,
                batch__isnull=True,
                channel__in=TRANSPORTED,
                dispatch=first.dispatch,
            )
            .order_by("id")
            .values_list("id", flat=True)[:batch_size]
        )
        Letter.objects.filter(id__in=ids).update(batch=batch)
    return batch


def _deliver(batch: Batch, transport: Transport) -> int | None:
    """Hand the batch to the transport and mark it delivered; ``None`` when the transport refused it."""
    rows = list(batch.letters.select_related("citizen").filter(status=Letter.Status.RENDERED).order_by("id"))
    parcels = [
        Parcel(
            uuid=str(row.uuid),
            kind=row.kind,
            channel=row.channel,
            cpr=row.citizen.cpr,
            title=row.title,
            pdf=bytes(row.pdf or b""),
            memo=bytes(row.memo) if row.memo is not None else None,
            pages=row.pages or 0,
            sha256=row.sha256,
        )
        for row in rows
    ]
    try:
        location = transport.deliver(batch.key, parcels)
    except DeliveryError as error:
        # The batch stays open with its letters and the error (shown on the Udbakke page); the next
        # round hands it to the transport again, which rewrites whatever a failed attempt left behind.
        Batch.objects.filter(pk=batch.pk).update(attempts=F("attempts") + 1, last_error=str(error))
        log.warning("forsendelse %s kunne ikke afleveres via %s: %s", batch.pk, transport.name, error)
        return None
    now = timezone.now()
    with transaction.atomic(durable=True):
        batch.letters.filter(status=Letter.Status.RENDERED).update(
            status=Letter.Status.DELIVERED, delivered_at=now
        )
        Batch.objects.filter(pk=batch.pk).update(
            status=Batch.Status.DELIVERED, delivered_at=now, location=location, last_error=""
        )
        Offer.objects.filter(
            offered_on__isnull=True, letters__batch=batch, letters__kind__in=OFFERING_KINDS
        ).update(offered_on=timezone.localdate(now))
    return len(rows)


def work_once(transport: Transport, *, batch_size: int = 1000) -> tuple[int, Delivered]:
    """One round of the worker: render what waits, deliver what is rendered."""
    rendered = render_pending()
    return rendered, deliver_pending(transport, batch_size=batch_size)
