"""Danish wording that does not depend on a template: dates, times, durations, titles, names and pronouns.

Everything is written out here rather than taken from the ``locale`` module, so a letter reads the same on
every machine whatever its locale settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from fhb.core.letters.model import Letter, LetterKind, Recipient

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
"""Monday first, as :meth:`datetime.date.weekday` counts."""

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def format_date(d: date) -> str:
    """The long Danish date with its weekday: ``tirsdag den 9. marts 2027``."""
    return f"{WEEKDAYS[d.weekday()]} den {format_short_date(d)}"


def format_short_date(d: date) -> str:
    """The Danish date without weekday: ``9. marts 2027``."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def short_reference(reference: str) -> str:
    """The reference a letter prints: the first 8 hex digits of its id in two groups of four, upper case
    (``0E05-5ACE`` for ``0e055ace-1b2c-...``); any other reference as it is.

    Eight hex digits tell about 4 billion letters apart, so a person reading it from a letter on the phone
    finds the letter: the stored letter's id starts with them (``Letter.objects.filter(uuid__istartswith=
    "0e055ace")``, hyphen removed, on SQLite and PostgreSQL alike); should two letters ever share them, the
    search lists both. The MeMo message keeps the full id (``memo.py``)."""
    digits = reference.replace("-", "")
    if len(digits) == 32 and all(c in "0123456789abcdefABCDEF" for c in digits):
        return f"{digits[:4]}-{digits[4:8]}".upper()
    return reference


def format_time(t: time | datetime) -> str:
    """A clock time the Danish way, with a dot and no leading zero: ``10.00``, ``9.30``."""
    return f"{t.hour}.{t.minute:02d}"


def format_time_span(start: time | datetime, end: time | datetime) -> str:
    """From-to clock times: ``10.00–11.00``."""
    return f"{format_time(start)}–{format_time(end)}"


DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The standard's weekday codes, Monday first (as :data:`WEEKDAYS`)."""


def format_weekdays(codes: Sequence[str]) -> str:
    """The days of the week visits can be, as a letter says them after "Vi kommer": ``på hverdage``
    (Monday to Friday), ``alle ugens dage``, ``mandag-torsdag`` (three or more days in a row), else the days
    listed: ``mandag, onsdag og fredag``."""
    days = sorted({DAY_CODES.index(code) for code in codes})
    if days == list(range(5)):
        return "på hverdage"
    if days == list(range(7)):
        return "alle ugens dage"
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
    names = [WEEKDAYS[day] for day in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def format_duration(minutes: int) -> str:
    """A visit's length in plain words: ``1 time``, ``1½ time``, ``2 timer``, ``45 minutter``.

    Half hours are written with ``½`` and the singular ``time`` ("1½ time", "2½ time"), as Danish does;
    other odd lengths spell out hours and minutes (``1 time og 15 minutter``).
    """
    if minutes <= 0:
        raise ValueError(f"a duration must be positive, not {minutes} minutes")
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return "1 minut" if rest == 1 else f"{rest} minutter"
    if rest == 0:
        return "1 time" if hours == 1 else f"{hours} timer"
    if rest == 30:
        return f"{hours}½ time"
    hours_text = "1 time" if hours == 1 else f"{hours} timer"
    minutes_text = "1 minut" if rest == 1 else f"{rest} minutter"
    return f"{hours_text} og {minutes_text}"


def join_names(recipients: Sequence[Recipient]) -> str:
    """The recipients' names as a Danish list: ``Anna Hansen og Bent Hansen``."""
    names = [r.name for r in recipients]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " og " + names[-1]


def pronouns(joint: bool) -> dict[str, str]:
    """The forms of "you" a template writes: singular ``du``/``dig``/``din``..., or plural ``I``/``jer``...

    Keys are the singular forms (``du``, ``Du``, ``dig``, ``Dig``, ``din``, ``Din``, ``dit``, ``Dit``,
    ``dine``, ``Dine``), so a template reads naturally: ``Vi vil gerne besøge #dig``.
    """
    forms = {"du": "I", "dig": "jer", "din": "jeres", "dit": "jeres", "dine": "jeres"}
    result: dict[str, str] = {}
    for singular, plural in forms.items():
        word = plural if joint else singular
        result[singular] = word
        result[singular.capitalize()] = word[0].upper() + word[1:]
    return result


def letter_title(letter: Letter) -> str:
    """The letter's Danish title: its heading and the PDF's document title."""
    your = "jeres" if letter.joint else "dit"
    you = "jer" if letter.joint else "dig"
    match letter.kind:
        case LetterKind.OFFER_WITH_TIME | LetterKind.OFFER_WITHOUT_TIME:
            return "Tilbud om forebyggende hjemmebesøg"
        case LetterKind.INVITATION:
            name = letter.event.name if letter.event is not None else "arrangement"
            return f"Invitation til {name}"
        case LetterKind.NEW_TIME:
            return f"Nyt tidspunkt for {your} forebyggende hjemmebesøg"
        case LetterKind.CANCELLATION:
            return "Aflysning af forebyggende hjemmebesøg"
        case LetterKind.CLOSED_DOOR:
            return f"Vi har været hos {you}"
        case LetterKind.FOLLOW_UP:
            return "Opfølgning på tilbud om forebyggende hjemmebesøg"
