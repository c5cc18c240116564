"""Saving a row with the reason its history row gives (django-simple-history).

Every model with ``history = HistoricalRecords()`` writes a history row on each save; the reason shown
beside it ("Svar registreret: ja", "Flyttet i hånden") is the one thing the save cannot know by itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models

#: simple-history's column for the reason holds this many characters.
REASON_LENGTH = 100


def save_with_reason(
    instance: models.Model, reason: str, *, update_fields: Sequence[str] | None = None
) -> None:
    """Save ``instance`` (only ``update_fields`` when given) with ``reason`` on its history row (cut to the
    column's length with an ellipsis; the row's own fields keep the whole text where they hold it)."""
    # simple-history's documented way: it reads ``_change_reason`` from the instance when it writes the row.
    instance._change_reason = history_reason(reason)  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)


def history_reason(reason: str) -> str:
    """``reason`` as a history row holds it: cut to the column's length with an ellipsis (for bulk writes,
    which pass the reason themselves)."""
    if len(reason) > REASON_LENGTH:
        return reason[: REASON_LENGTH - 1] + "…"
    return reason
