"""A letter to JSON and back: the outbox stores what a letter will say when it is queued.

The sender's logo is left out (it is bytes, and the same for every letter); :func:`letter_from_json`
takes the sender to use instead, so a letter queued yesterday renders with today's logo and contact
details only if the caller asks for them.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, datetime, time
from typing import Any

from fhb.core.letters.model import (
    Appointment,
    Event,
    Letter,
    LetterKind,
    Recipient,
    Response,
    Sender,
    VisitingHours,
)


def letter_to_json(letter: Letter) -> dict[str, Any]:
    """Plain JSON data (dates as ISO strings) for ``letter``; the sender's logo is dropped."""
    data = asdict(replace(letter, sender=replace(letter.sender, logo=None)))
    data["sender"].pop("logo")
    data["sender"].pop("logo_format")
    return _iso(data)  # type: ignore[no-any-return]


def letter_from_json(data: dict[str, Any], *, logo: bytes | None = None, logo_format: str = "") -> Letter:
    """The letter stored by :func:`letter_to_json`, with ``logo`` put back into its sender."""
    fields = {k: v for k, v in data["sender"].items() if k not in ("logo", "logo_format")}
    sender = Sender(**fields, logo=logo, logo_format=logo_format if logo else "")
    return Letter(
        kind=LetterKind(data["kind"]),
        standard=data["standard"],
        sender=sender,
        recipients=tuple(Recipient(**r) for r in data["recipients"]),
        date=date.fromisoformat(data["date"]),
        reference=data["reference"],
        group=data.get("group", ""),
        response=Response(data["response"]) if data.get("response") else None,
        appointment=_appointment(data.get("appointment")),
        previous=_appointment(data.get("previous")),
        event=_event(data.get("event")),
        other_events=tuple(e for e in map(_event, data.get("other_events") or ()) if e is not None),
        arrangement=bool(data.get("arrangement", False)),
        duration_min=data.get("duration_min"),
        reply_by=date.fromisoformat(data["reply_by"]) if data.get("reply_by") else None,
        purpose=data.get("purpose", ""),
        reasons=tuple(data.get("reasons") or ()),
        reason=data.get("reason", ""),
        signed_by=data.get("signed_by", ""),
        extra=dict(data.get("extra") or {}),
        visiting_hours=_hours(data.get("visiting_hours")),
        law=data.get("law", ""),
        citizen_asked=tuple(data.get("citizen_asked") or ()),
        notes=tuple(data.get("notes") or ()),
        couple=bool(data.get("couple", False)),
    )


def _appointment(data: dict[str, Any] | None) -> Appointment | None:
    if data is None:
        return None
    return Appointment(
        start=datetime.fromisoformat(data["start"]),
        end=datetime.fromisoformat(data["end"]),
        consultant=data.get("consultant", ""),
        proposed=bool(data.get("proposed", False)),
    )


def _hours(data: dict[str, Any] | None) -> VisitingHours | None:
    if data is None:
        return None
    return VisitingHours(
        weekdays=tuple(data["weekdays"]),
        start=time.fromisoformat(data["start"]),
        end=time.fromisoformat(data["end"]),
    )


def _event(data: dict[str, Any] | None) -> Event | None:
    if data is None:
        return None
    return Event(
        name=data["name"],
        place=data["place"],
        start=datetime.fromisoformat(data["start"]),
        end=datetime.fromisoformat(data["end"]),
    )


def _iso(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_iso(v) for v in value]
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return value
