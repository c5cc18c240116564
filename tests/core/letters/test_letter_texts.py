"""Danish wording helpers: dates, times, durations, titles, names, pronouns."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from fhb.core.letters.model import Appointment, Event, Letter, LetterKind, Recipient, Sender
from fhb.core.letters.texts import (
    format_date,
    format_duration,
    format_short_date,
    format_time,
    format_time_span,
    join_names,
    letter_title,
    pronouns,
)

SENDER = Sender(
    municipality="Eksempel Kommune",
    municipality_code=999,
    cvr="12345678",
    unit="Forebyggelsesteamet",
    street="Rådhusvej 1",
    postcode="9999",
    city="Eksempelby",
    phone="72 00 00 00",
    phone_hours="mandag-fredag kl. 8.00-9.00",
    email="forebyg@example.dk",
    signature="De forebyggende medarbejdere",
)
ANNA = Recipient(cpr="0101470000", name="Anna Ærø", street="Åvej 7", postcode="9999", city="Eksempelby")
BENT = Recipient(cpr="0101470001", name="Bent Ørum", street="Åvej 7", postcode="9999", city="Eksempelby")
TIME = Appointment(start=datetime(2027, 3, 9, 10), end=datetime(2027, 3, 9, 11))
FAIR = Event(
    name="Seniormesse",
    place="Sundhedscentret",
    start=datetime(2027, 4, 14, 13),
    end=datetime(2027, 4, 14, 16),
)


def test_format_date() -> None:
    assert format_date(date(2027, 3, 9)) == "tirsdag den 9. marts 2027"
    assert format_date(date(2027, 5, 2)) == "søndag den 2. maj 2027"
    assert format_date(date(2026, 12, 19)) == "lørdag den 19. december 2026"
    assert format_date(datetime(2027, 3, 9, 10, 0)) == "tirsdag den 9. marts 2027"


def test_every_weekday_and_month_is_danish() -> None:
    weekdays = {format_date(date(2027, 3, d)).split()[0] for d in range(1, 8)}
    assert weekdays == {"mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"}
    months = [format_short_date(date(2027, m, 1)).split()[1] for m in range(1, 13)]
    assert months == [
        "januar", "februar", "marts", "april", "maj", "juni",
        "juli", "august", "september", "oktober", "november", "december",
    ]  # fmt: skip


def test_format_short_date() -> None:
    assert format_short_date(date(2027, 3, 9)) == "9. marts 2027"
    assert format_short_date(date(2027, 10, 31)) == "31. oktober 2027"


def test_format_time_uses_a_dot_and_no_leading_zero() -> None:
    assert format_time(time(10, 0)) == "10.00"
    assert format_time(time(9, 30)) == "9.30"
    assert format_time(datetime(2027, 3, 9, 13, 5)) == "13.05"
    assert format_time_span(time(13), time(16)) == "13.00–16.00"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (60, "1 time"),
        (90, "1½ time"),
        (45, "45 minutter"),
        (1, "1 minut"),
        (120, "2 timer"),
        (150, "2½ time"),
        (180, "3 timer"),
        (75, "1 time og 15 minutter"),
        (121, "2 timer og 1 minut"),
    ],
)
def test_format_duration(minutes: int, text: str) -> None:
    assert format_duration(minutes) == text


@pytest.mark.parametrize("minutes", [0, -30])
def test_format_duration_rejects_non_positive(minutes: int) -> None:
    with pytest.raises(ValueError):
        format_duration(minutes)


def test_join_names() -> None:
    assert join_names([ANNA]) == "Anna Ærø"
    assert join_names([ANNA, BENT]) == "Anna Ærø og Bent Ørum"


def test_pronouns() -> None:
    one, two = pronouns(False), pronouns(True)
    assert (one["du"], one["Du"], one["dig"], one["din"], one["dit"], one["dine"]) == (
        "du", "Du", "dig", "din", "dit", "dine",
    )  # fmt: skip
    assert (two["du"], two["Du"], two["dig"], two["Dig"], two["din"], two["Dine"]) == (
        "I", "I", "jer", "Jer", "jeres", "Jeres",
    )  # fmt: skip
    assert set(one) == set(two)


def _letter(kind: LetterKind, joint: bool = False) -> Letter:
    return Letter(
        kind=kind,
        standard="example",
        sender=SENDER,
        recipients=(ANNA, BENT) if joint else (ANNA,),
        date=date(2027, 2, 15),
        reference="R-1",
        appointment=TIME,
        previous=TIME,
        event=FAIR,
    )


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        (LetterKind.OFFER_WITH_TIME, "Tilbud om forebyggende hjemmebesøg"),
        (LetterKind.OFFER_WITHOUT_TIME, "Tilbud om forebyggende hjemmebesøg"),
        (LetterKind.INVITATION, "Invitation til Seniormesse"),
        (LetterKind.NEW_TIME, "Nyt tidspunkt for dit forebyggende hjemmebesøg"),
        (LetterKind.CANCELLATION, "Aflysning af forebyggende hjemmebesøg"),
        (LetterKind.CLOSED_DOOR, "Vi har været hos dig"),
        (LetterKind.FOLLOW_UP, "Opfølgning på tilbud om forebyggende hjemmebesøg"),
    ],
)
def test_letter_title(kind: LetterKind, title: str) -> None:
    assert letter_title(_letter(kind)) == title


def test_letter_title_speaks_to_a_couple() -> None:
    assert letter_title(_letter(LetterKind.NEW_TIME, joint=True)) == (
        "Nyt tidspunkt for jeres forebyggende hjemmebesøg"
    )
    assert letter_title(_letter(LetterKind.CLOSED_DOOR, joint=True)) == "Vi har været hos jer"
