"""Saving a row with the reason its history row gives (django-simple-history).

Every model with ``history = HistoricalRecords()`` writes a history row on each save; the reason shown
beside it ("Svar registreret: ja", "Flyttet i hånden") is the one thing the save cannot know by itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models


def save_with_reason(
    instance: models.Model, reason: str, *, update_fields: Sequence[str] | None = None
) -> None:
    """Save ``instance`` (only ``update_fields`` when given) with ``reason`` on its history row."""
    # simple-history's documented way: it reads ``_change_reason`` from the instance when it writes the row.
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)
