"""Transports the outbox delivers through. ``FHB_LETTER_TRANSPORT`` picks one by name."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from fhb.letters.transports.base import BatchKey, DeliveryError, Parcel, Transport
from fhb.letters.transports.file_drop import FileDropTransport

__all__ = ["BatchKey", "DeliveryError", "FileDropTransport", "Parcel", "Transport", "get_transport"]


def get_transport() -> Transport:
    name = settings.FHB_LETTER_TRANSPORT
    if name == FileDropTransport.name:
        return FileDropTransport(settings.FHB_OUTBOX_DIR)
    raise ImproperlyConfigured(f"FHB_LETTER_TRANSPORT={name!r} findes ikke; brug 'file_drop'.")
