"""The letters say what the quality standards say (issue 20): a proposed or set time, the visiting hours,
what Hjørring writes in the journal, Ishøj's couples, what the standard asks of the citizen, the law."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

import pypdf
import pytest

from fhb.core.letters import (
    Appointment,
    Event,
    Letter,
    LetterKind,
    LetterRenderer,
    Recipient,
    Response,
    Sender,
    VisitingHours,
)
from fhb.core.letters.codec import letter_from_json, letter_to_json
from fhb.core.letters.texts import format_weekdays
from fhb.core.standard.loader import load_standard

SENDER = Sender(
    municipality="Ishøj Kommune",
    municipality_code=183,
    cvr="12345678",
    unit="Forebyggende hjemmebesøg",
    street="Ishøj Store Torv 20",
    postcode="2635",
    city="Ishøj",
    phone="43 57 75 75",
    phone_hours="mandag-fredag kl. 8.00-9.00",
    email="forebyg@example.dk",
    signature="De forebyggende koordinatorer",
)
ANNA = Recipient(cpr="0101470000", name="Anna Hansen", street="Vejen 1", postcode="2635", city="Ishøj")
BENT = Recipient(cpr="0101470001", name="Bent Hansen", street="Vejen 1", postcode="2635", city="Ishøj")
VISIT = Appointment(start=datetime(2027, 3, 9, 10, 0), end=datetime(2027, 3, 9, 11, 0))
WEEKDAYS = VisitingHours(weekdays=("mon", "tue", "wed", "thu", "fri"), start=time(9, 30), end=time(16, 0))
FAIR = Event(
    name="Seniormesse",
    place="Sundhedscentret",
    start=datetime(2027, 4, 14, 13),
    end=datetime(2027, 4, 14, 16),
)
OFFER_KINDS = (
    LetterKind.OFFER_WITH_TIME,
    LetterKind.OFFER_WITHOUT_TIME,
    LetterKind.INVITATION,
    LetterKind.FOLLOW_UP,
)
RENDERER = LetterRenderer()


def letter(kind: LetterKind, standard: str = "ishoej", *, joint: bool = False, **changes: Any) -> Letter:
    fields: dict[str, Any] = {
        "kind": kind,
        "standard": standard,
        "sender": SENDER,
        "recipients": (ANNA, BENT) if joint else (ANNA,),
        "date": date(2027, 2, 15),
        "reference": "FHB-2027-000123",
        "group": {LetterKind.OFFER_WITH_TIME: "age80", LetterKind.OFFER_WITHOUT_TIME: "age75"}.get(
            kind, "age75"
        ),
        "response": Response.OPT_OUT if kind is LetterKind.OFFER_WITH_TIME else Response.OPT_IN,
        "duration_min": 60,
    }
    if kind is LetterKind.OFFER_WITH_TIME:
        fields["appointment"] = VISIT
    if kind is LetterKind.INVITATION:
        fields["event"] = FAIR
    fields.update(changes)
    return Letter(**fields)


def text(kind: LetterKind, standard: str = "ishoej", **changes: Any) -> str:
    pdf = RENDERER.render(letter(kind, standard, **changes))
    raw = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return "".join(raw.split())


def says(found: str, *phrases: str) -> bool:
    return all("".join(p.split()) in found for p in phrases)


# --- 1. A proposed time versus a set one --------------------------------------------------------------------


def test_ishoej_proposes_the_time_when_the_visit_is_proposed() -> None:
    proposed = text(
        LetterKind.OFFER_WITH_TIME, appointment=Appointment(VISIT.start, VISIT.end, proposed=True)
    )
    assert says(proposed, "Vi foreslår, at vi besøger dig:", "Passer tidspunktet ikke, så ring til os")
    assert says(proposed, "Passer tidspunktet dig, behøver du ikke gøre noget")
    assert not says(proposed, "Vi har planlagt")
    fixed = text(LetterKind.OFFER_WITH_TIME, group="age82plus")
    assert says(fixed, "Vi har planlagt dit forebyggende hjemmebesøg til:")
    assert not says(fixed, "foreslår")


def test_ishoej_80_year_olds_propose_and_82_year_olds_fix_the_time_in_the_standard() -> None:
    ishoej = load_standard("ishoej")
    assert ishoej.group("age80").time == "proposed"
    assert ishoej.group("age82plus").time == "fixed"
    for name in ("hjoerring", "herning"):
        assert {g.time for g in load_standard(name).groups} == {"fixed"}


# --- 2. The visiting hours come from the standard -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        (LetterKind.OFFER_WITH_TIME, {}),
        (LetterKind.OFFER_WITH_TIME, {"appointment": Appointment(VISIT.start, VISIT.end, proposed=True)}),
        (LetterKind.OFFER_WITHOUT_TIME, {}),
        (LetterKind.FOLLOW_UP, {}),
    ],
    ids=["set", "proposed", "without-time", "follow-up"],
)
def test_ishoej_letters_state_the_standards_visiting_hours(kind: LetterKind, changes: dict[str, Any]) -> None:
    assert says(text(kind, visiting_hours=WEEKDAYS, **changes), "Vi kommer på hverdage kl. 9.30–16.00.")
    other = VisitingHours(weekdays=("mon", "tue", "wed", "thu"), start=time(10, 0), end=time(15, 0))
    found = text(kind, visiting_hours=other, **changes)
    assert says(found, "Vi kommer mandag-torsdag kl. 10.00–15.00.")
    assert "9.30" not in found and "16.00" not in found
    assert "9.30" not in text(kind, **changes)  # no hours in the letter: none printed


def test_weekdays_in_words() -> None:
    assert format_weekdays(["mon", "tue", "wed", "thu", "fri"]) == "på hverdage"
    assert format_weekdays(["sun", "mon", "tue", "wed", "thu", "fri", "sat"]) == "alle ugens dage"
    assert format_weekdays(["tue", "wed", "thu"]) == "tirsdag-torsdag"
    assert format_weekdays(["mon", "wed", "fri"]) == "mandag, onsdag og fredag"
    assert format_weekdays(["sat"]) == "lørdag"


def test_a_letter_keeps_its_new_data_through_the_outbox_and_an_old_one_still_reads() -> None:
    new = letter(
        LetterKind.OFFER_WITH_TIME,
        visiting_hours=WEEKDAYS,
        law="Servicelovens § 79a",
        citizen_asked=("Der må ikke ryges.",),
        notes=("Man kan ikke klage til Ankestyrelsen.",),
        couple=True,
    )
    assert letter_from_json(letter_to_json(new)) == new
    old = letter_to_json(letter(LetterKind.OFFER_WITH_TIME))
    for key in ("visiting_hours", "law", "citizen_asked", "notes", "couple"):
        del old[key]
    assert letter_from_json(old) == letter(LetterKind.OFFER_WITH_TIME)


# --- 3. Hjørring writes every visit in the journal ----------------------------------------------------------


@pytest.mark.parametrize("kind", [LetterKind.OFFER_WITH_TIME, LetterKind.OFFER_WITHOUT_TIME])
def test_hjoerring_says_every_visit_is_registered_and_the_rest_needs_consent(kind: LetterKind) -> None:
    found = text(kind, "hjoerring", group="age80" if kind is LetterKind.OFFER_WITH_TIME else "alone70")
    assert says(found, "Vi skriver i din journal hos kommunen, at vi har været på besøg.")
    assert says(found, "Hvad vi taler om, og hvad vi aftaler, skriver vi kun ned, hvis du siger ja til det.")
    assert not says(found, "vi skriver kun noget ned om besøget")


# --- 4. Ishøj's couples may have a visit each ---------------------------------------------------------------


def test_ishoej_couples_with_a_letter_each_may_have_a_visit_each() -> None:
    each = text(LetterKind.OFFER_WITHOUT_TIME, group="age80", couple=True)
    assert says(each, "Vi har også skrevet til din ægtefælle eller samlever.")
    assert says(each, "Ønsker I at få et besøg hver for sig, aftaler vi det, når I kontakter os.")
    joint = text(LetterKind.OFFER_WITHOUT_TIME, group="age80", couple=True, joint=True)
    assert says(joint, "Ønsker I at få et besøg hver for sig, aftaler vi det, når I kontakter os.")
    assert not says(joint, "Vi har også skrevet til")
    alone = text(LetterKind.OFFER_WITHOUT_TIME, group="age75")
    assert not says(alone, "hver for sig")


# --- 5. What the standard asks of the citizen, and its notes ------------------------------------------------


@pytest.mark.parametrize("standard", ["hjoerring", "herning", "ishoej", "example"])
@pytest.mark.parametrize("kind", OFFER_KINDS)
def test_offer_letters_list_what_the_standard_asks_and_notes(kind: LetterKind, standard: str) -> None:
    asked = ("Der må ikke ryges i hjemmet, mens vi er på besøg.", "Husdyr aftaler vi, hvor skal være.")
    note = "Man kan ikke klage til Ankestyrelsen over de forebyggende hjemmebesøg."
    found = text(kind, standard, citizen_asked=asked, notes=(note,))
    assert says(found, "Godt at vide", *asked, note)
    assert not says(text(kind, standard), "Godt at vide")


def test_the_shipped_standards_hold_what_they_ask_of_the_citizen() -> None:
    hjoerring = load_standard("hjoerring").letters
    assert [t.id for t in hjoerring.citizen_asked] == ["letters.smoke_free", "letters.pets"]
    assert "husdyr" in hjoerring.citizen_asked[1].text
    ishoej = load_standard("ishoej").letters
    assert [t.id for t in ishoej.citizen_asked] == ["letters.smoke_free"]
    assert [t.clause for t in ishoej.notes] == ["Der er ingen klageadgang til Ankestyrelsen."]


# --- 6. The legal basis -------------------------------------------------------------------------------------


@pytest.mark.parametrize("standard", ["hjoerring", "herning", "ishoej", "example"])
@pytest.mark.parametrize("kind", OFFER_KINDS)
def test_offer_letters_give_the_legal_basis(kind: LetterKind, standard: str) -> None:
    assert says(text(kind, standard, law="Servicelovens § 79a"), "Tilbuddet gives efter Servicelovens § 79a.")
    assert not says(text(kind, standard), "Tilbuddet gives efter")
