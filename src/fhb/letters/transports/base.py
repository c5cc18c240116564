"""What a transport is: something that takes a batch of rendered letters and gets them to citizens.

A transport must be idempotent per batch: the outbox hands it the same batch again after a crash (the
worker was killed after some letters went out, before it could record that they had), and the
transport must then deliver each letter of the batch exactly once in all. The file drop does this with
deterministic file names written atomically and a manifest written last; a Digital Post (NgDP) transport
would do it with the MeMo message UUID, which Digital Post refuses to accept twice.

A transport knows a batch by its :class:`BatchKey`, whose ``uuid`` is unique for ever. The batch's number
(its id in fhb's database) is not: it repeats after a restore, a rebuilt database, or with two instances
delivering to the same place, so a transport names nothing by it and uses it only in what people read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class BatchKey:
    """Which batch a transport is handed."""

    uuid: UUID
    """The batch's name for ever, set when its letters were claimed (the file drop's folder)."""
    number: int
    """The batch's id in fhb (the Udbakke page's "Forsendelse 12"), for people only: it can repeat."""


@dataclass(frozen=True, slots=True)
class Parcel:
    """One letter as a transport sees it."""

    uuid: str
    kind: str
    channel: str
    """``digital_post`` (the MeMo message is sent) or ``paper`` (printed by the print service)."""
    cpr: str
    title: str
    pdf: bytes
    memo: bytes | None
    pages: int
    sha256: str


class DeliveryError(Exception):
    """The transport could not deliver the batch now; the outbox keeps it open and tries again."""


class Transport(Protocol):
    name: str

    def deliver(self, batch: BatchKey, parcels: list[Parcel]) -> str:
        """Deliver every parcel of the batch (again, if called again) and return where they went."""
        ...
