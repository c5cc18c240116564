"""Danish texts the planner shows the leader: why a visit was not placed."""

from __future__ import annotations

import datetime as dt

from fhb.core.letters.texts import format_short_date
from fhb.core.planning.model import Reason, VisitNeed


def week_span(first: dt.date, last: dt.date) -> str:
    """ "uge 48" or "uge 48-50" (ISO weeks)."""
    a, b = first.isocalendar().week, last.isocalendar().week
    return f"uge {a}" if a == b else f"uge {a}-{b}"


def reason_text(reason: Reason, need: VisitNeed, first: dt.date, last: dt.date) -> str:
    """Why ``need`` is not in the plan for ``first``..``last``, in Danish."""
    window_first, window_last = max(need.due_from, first), min(need.due_to, last)
    if reason is Reason.NO_NOTICE:
        earliest = need.notice_from or need.due_from
        return (
            f"Brevet med tidspunktet kan ikke nå frem i tide: besøget skal holdes senest "
            f"{format_short_date(need.due_to)}, men med standardens varsel kan det tidligst holdes "
            f"{format_short_date(earliest)}. Aftal tiden med borgeren i telefonen."
        )
    if reason is Reason.NO_CONSULTANT:
        return (
            f"Ingen konsulent arbejder i besøgets vindue ({format_short_date(window_first)} til "
            f"{format_short_date(window_last)}): fravær, helligdage eller lukkedage."
        )
    if reason is Reason.NO_CAPACITY:
        return (
            f"Ingen ledig kapacitet i {week_span(window_first, window_last)}: konsulenternes dage er fulde, "
            f"og besøget skal holdes senest {format_short_date(need.due_to)}."
        )
    if reason is Reason.LATER:
        return (
            f"Kan vente: besøget skal holdes senest {format_short_date(need.due_to)}, efter planperioden "
            f"(til {format_short_date(last)})."
        )
    when = need.promise.start if need.promise else None
    at = f" ({format_short_date(when.date())} kl. {when:%H.%M})" if when else ""
    if reason is Reason.PROMISE_OFF_SHIFT:
        return (
            f"Det lovede tidspunkt{at} ligger uden for konsulentens arbejdstid (fravær, lukkedag eller "
            "uden for besøgstiden). Flyt besøget i hånden."
        )
    return (
        f"Det lovede tidspunkt{at} kan ikke holdes ved siden af konsulentens andre lovede besøg. "
        "Flyt besøget i hånden."
    )
