"""What a transport is: something that takes a batch of rendered letters and gets them to citizens.

A transport must be idempotent per batch: the outbox hands it the same batch again after a crash (the
worker was killed after some letters went out, before it could record that they had), and the
transport must then deliver each letter of the batch exactly once in all. The file drop does this with
deterministic file names written atomically and a manifest written last; a Digital Post (NgDP) transport
would do it with the MeMo message UUID, which Digital Post refuses to accept twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


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

    def deliver(self, batch_id: int, parcels: list[Parcel]) -> str:
        """Deliver every parcel of the batch (again, if called again) and return where they went."""
        ...
