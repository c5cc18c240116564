"""Rendering letters to PDF with Typst: every kind for every standard, safe names, determinism, errors."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import struct
import zlib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pypdf
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fhb.core.letters import (
    TEMPLATES,
    Appointment,
    Event,
    Letter,
    LetterKind,
    LetterRenderer,
    LetterRenderError,
    Recipient,
    Response,
    Sender,
    VisitingHours,
    letter_json,
    render_pdf,
)
from fhb.core.letters.texts import letter_title

SENDER = Sender(
    municipality="Hjørring Kommune",
    municipality_code=860,
    cvr="12345678",
    unit="Forebyggelsesteamet",
    street="Sundhedsvej 1",
    postcode="9800",
    city="Hjørring",
    phone="72 00 00 00",
    phone_hours="mandag-fredag kl. 8.00-9.00",
    email="forebyg@example.dk",
    signature="De forebyggende medarbejdere",
)
ANNA = Recipient(
    cpr="0101470000", name="Åse Ærbødig", street="Søndergade 7, 2. th.", postcode="9800", city="Hjørring"
)
BENT = Recipient(
    cpr="0101470001", name="Bjørn Ærbødig", street="Søndergade 7, 2. th.", postcode="9800", city="Hjørring"
)
VISIT = Appointment(
    start=datetime(2027, 3, 9, 10, 0), end=datetime(2027, 3, 9, 11, 0), consultant="Mette Sørensen"
)
OLD_VISIT = Appointment(start=datetime(2027, 3, 2, 13, 30), end=datetime(2027, 3, 2, 14, 30))
FAIR = Event(
    name="Seniormesse",
    place="Sundhedscenter Hjørring, Sundhedsvej 1",
    start=datetime(2027, 4, 14, 13, 0),
    end=datetime(2027, 4, 14, 16, 0),
)
STANDARDS = ("hjoerring", "herning", "ishoej", "example")
"""The three shipped standards, and one without templates of its own (falls back to the defaults)."""

GROUP = {
    LetterKind.OFFER_WITH_TIME: "age80",
    LetterKind.OFFER_WITHOUT_TIME: "alone70",
    LetterKind.INVITATION: "age75",
    LetterKind.FOLLOW_UP: "age75",
}
OPT_IN = (LetterKind.OFFER_WITHOUT_TIME, LetterKind.INVITATION, LetterKind.FOLLOW_UP)

RENDERER = LetterRenderer()


def make_letter(
    kind: LetterKind, standard: str = "example", *, joint: bool = False, **changes: Any
) -> Letter:
    """A plausible letter of ``kind``: what each kind needs, with the Danish letters æ, ø and å in names."""
    fields: dict[str, Any] = {
        "kind": kind,
        "standard": standard,
        "sender": SENDER,
        "recipients": (ANNA, BENT) if joint else (ANNA,),
        "date": date(2027, 2, 15),
        "reference": "FHB-2027-000123",
        "group": GROUP.get(kind, ""),
        "response": Response.OPT_IN if kind in OPT_IN else Response.OPT_OUT,
        "duration_min": 90 if joint else 60,
    }
    if kind in (LetterKind.OFFER_WITH_TIME, LetterKind.NEW_TIME, LetterKind.CLOSED_DOOR):
        fields["appointment"] = VISIT
    if kind in (LetterKind.NEW_TIME, LetterKind.CANCELLATION):
        fields["previous"] = OLD_VISIT
    if kind is LetterKind.INVITATION:
        fields["event"] = FAIR
    if kind is LetterKind.CLOSED_DOOR:
        fields["signed_by"] = "Mette Sørensen"
    fields.update(changes)
    return Letter(**fields)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    """Text without whitespace: line breaks and spacing in extracted PDF text are not the letter's."""
    return "".join(text.split())


def assert_says(text: str, *phrases: str) -> None:
    for phrase in phrases:
        assert squash(phrase) in squash(text), f"{phrase!r} missing from:\n{text}"


# --- Every kind for every standard --------------------------------------------------------------------------


@pytest.mark.parametrize("joint", [False, True], ids=["one", "couple"])
@pytest.mark.parametrize("standard", STANDARDS)
@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_kind_renders_for_every_standard(kind: LetterKind, standard: str, joint: bool) -> None:
    letter = make_letter(kind, standard, joint=joint)
    pdf = RENDERER.render(letter)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = text_of(pdf)

    assert pdf.startswith(b"%PDF-")
    assert reader.metadata is not None and reader.metadata.title == letter_title(letter)
    assert_says(text, letter_title(letter), "Åse Ærbødig", "15. februar 2027", "72 00 00 00")
    if joint:
        assert_says(text, "Bjørn Ærbødig", "Åse Ærbødig og Bjørn Ærbødig")
    if kind is LetterKind.CLOSED_DOOR:
        assert_says(text, "Til Åse Ærbødig")  # left at the door: names, no address
        assert "Søndergade" not in text
    else:
        assert_says(text, "Kære Åse Ærbødig", "Søndergade 7, 2. th.", "9800 Hjørring", "FHB-2027-000123")
    if letter.appointment is not None:
        assert_says(text, "tirsdag den 9. marts 2027", "kl. 10.00")
    if letter.previous is not None:
        assert_says(text, "tirsdag den 2. marts 2027 kl. 13.30")
    if letter.event is not None:
        assert_says(text, "Seniormesse", "Sundhedscenter Hjørring", "onsdag den 14. april 2027", "kl. 13.00")


def test_a_standard_without_templates_uses_the_defaults() -> None:
    for kind in LetterKind:
        assert RENDERER.template_for("example", kind) == TEMPLATES / "default" / f"{kind.value}.typ"


def test_a_standard_with_its_own_wording_uses_its_template() -> None:
    assert (
        RENDERER.template_for("hjoerring", LetterKind.INVITATION)
        == TEMPLATES / "hjoerring" / "invitation.typ"
    )
    assert (
        RENDERER.template_for("herning", LetterKind.CLOSED_DOOR) == TEMPLATES / "herning" / "closed_door.typ"
    )
    assert RENDERER.template_for("ishoej", LetterKind.NEW_TIME) == TEMPLATES / "default" / "new_time.typ"


@pytest.mark.parametrize("standard", ["../default", "/etc", "Hjoerring", ""])
def test_a_strange_standard_id_never_leaves_the_templates(standard: str) -> None:
    path = RENDERER.template_for(standard, LetterKind.FOLLOW_UP)
    assert path == TEMPLATES / "default" / "follow_up.typ"


def test_every_kind_has_a_default_template() -> None:
    for kind in LetterKind:
        assert (TEMPLATES / "default" / f"{kind.value}.typ").is_file()


def test_render_pdf_renders_with_the_shipped_templates() -> None:
    letter = make_letter(LetterKind.OFFER_WITH_TIME)
    assert render_pdf(letter) == RENDERER.render(letter)


# --- What the letters say -----------------------------------------------------------------------------------


def render_text(kind: LetterKind, standard: str = "example", **changes: Any) -> str:
    return text_of(RENDERER.render(make_letter(kind, standard, **changes)))


def test_opt_out_says_how_to_decline_or_move() -> None:
    text = render_text(LetterKind.OFFER_WITH_TIME, reply_by=date(2027, 3, 1))
    assert_says(
        text,
        "Passer tidspunktet ikke?",
        "mandag-fredag kl. 8.00-9.00",
        "forebyg@example.dk",
        "senest mandag den 1. marts 2027",
        "kommer vi som planlagt",
    )


def test_opt_in_says_how_to_book() -> None:
    text = render_text(LetterKind.OFFER_WITHOUT_TIME)
    assert_says(
        text, "Sådan får du et besøg", "72 00 00 00", "mandag-fredag kl. 8.00-9.00", "forebyg@example.dk"
    )


def test_a_couple_is_spoken_to_as_a_couple() -> None:
    text = text_of(RENDERER.render(make_letter(LetterKind.OFFER_WITH_TIME, joint=True)))
    assert_says(text, "Kære Åse Ærbødig og Bjørn Ærbødig", "cirka 1½ time", "Hjemme hos jer")
    assert "Hjemme hos dig" not in text


def test_the_visit_length_comes_from_the_letter() -> None:
    assert_says(render_text(LetterKind.OFFER_WITH_TIME, duration_min=45), "cirka 45 minutter")


def test_the_purpose_is_said_when_the_standard_gives_one() -> None:
    text = render_text(
        LetterKind.OFFER_WITH_TIME, "herning", group="alone70", purpose="opspore og forebygge ensomhed"
    )
    assert_says(text, "Formålet med besøget er at opspore og forebygge ensomhed.")


def test_hjoerring_opt_in_letters_give_phone_and_mail() -> None:
    for group in ("alone70", "age82plus"):
        text = render_text(LetterKind.OFFER_WITHOUT_TIME, "hjoerring", group=group)
        assert_says(text, "Ring eller skriv", "Telefon:", "72 00 00 00", "Mail:", "forebyg@example.dk")
    assert_says(
        render_text(LetterKind.OFFER_WITHOUT_TIME, "hjoerring", group="age82plus"), "82 år og derover"
    )


def test_hjoerring_age75_is_an_invitation_that_also_offers_the_visit() -> None:
    text = render_text(LetterKind.INVITATION, "hjoerring")
    assert_says(text, "I år fylder du 75 år", "Hvor:", "Sundhedscenter Hjørring", "kl. 13.00–16.00")
    assert_says(text, "forebyggende hjemmebesøg", "cirka 3 timer", "forebyg@example.dk")


def test_hjoerring_age80_must_be_declined_actively() -> None:
    text = render_text(LetterKind.OFFER_WITH_TIME, "hjoerring")
    assert_says(text, "det år, de fylder 80 år", "medmindre du melder fra", "kl. 10.00")


def test_herning_cancellation_agrees_a_new_visit() -> None:
    assert_says(render_text(LetterKind.CANCELLATION, "herning"), "Vi aftaler et nyt besøg med dig")
    text = render_text(LetterKind.CANCELLATION, "herning", appointment=VISIT, reason="Konsulenten er syg.")
    assert_says(
        text, "Konsulenten er syg.", "Vi har aftalt et nyt besøg med dig", "tirsdag den 9. marts 2027"
    )


def test_ishoej_proposes_a_time_to_the_80_year_olds() -> None:
    proposed = dataclasses.replace(VISIT, proposed=True)
    hours = VisitingHours(weekdays=("mon", "tue", "wed", "thu", "fri"), start=time(9, 30), end=time(16, 0))
    text = render_text(LetterKind.OFFER_WITH_TIME, "ishoej", appointment=proposed, visiting_hours=hours)
    assert_says(text, "Vi foreslår", "Du kan sige ja eller nej", "på hverdage kl. 9.30–16.00")


def test_ishoej_gives_the_82_year_olds_a_set_time() -> None:
    text = render_text(LetterKind.OFFER_WITH_TIME, "ishoej", group="age82plus")
    assert_says(text, "82 år og derover", "Vi har planlagt dit forebyggende hjemmebesøg", "kl. 10.00")


@pytest.mark.parametrize(
    "kind", [LetterKind.OFFER_WITHOUT_TIME, LetterKind.OFFER_WITH_TIME, LetterKind.FOLLOW_UP]
)
def test_ishoej_offers_say_the_citizen_can_decline_for_good(kind: LetterKind) -> None:
    assert_says(render_text(kind, "ishoej"), "tilbud om forebyggende hjemmebesøg fremover")


def test_ishoej_75_without_time_contacts_a_coordinator() -> None:
    text = render_text(LetterKind.OFFER_WITHOUT_TIME, "ishoej", group="age75")
    assert_says(text, "fylder 75 år", "forebyggende koordinatorer", "72 00 00 00")


def test_hjoerring_closed_door_note_has_date_time_and_signature() -> None:
    text = render_text(LetterKind.CLOSED_DOOR, "hjoerring")
    assert_says(text, "Den forebyggende medarbejder har været her", "Dato:", "tirsdag den 9. marts 2027")
    assert_says(text, "Klokkeslæt:", "kl. 10.00", "Underskrift: Mette Sørensen")
    assert_says(text, "fortsat mulighed for at få et besøg", "Ring til os", "mandag-fredag kl. 8.00-9.00")


def test_herning_closed_door_letter_asks_the_citizen_to_call() -> None:
    text = render_text(LetterKind.CLOSED_DOOR, "herning")
    assert_says(text, "Forebyggelseskonsulenten har været her", "beder vi dig ringe", "72 00 00 00")


def test_letter_data_holds_no_cpr_number() -> None:
    data = letter_json(make_letter(LetterKind.OFFER_WITH_TIME, joint=True))
    assert ANNA.cpr not in data and BENT.cpr not in data
    assert json.loads(data)["names"] == "Åse Ærbødig og Bjørn Ærbødig"


# --- Any name prints as written -----------------------------------------------------------------------------

SPECIAL = "#*_$<>@\\\"[]`~=/{}()'&%-+.:;,!?"
NAME_CHARS = st.one_of(
    st.sampled_from(SPECIAL),
    # Latin, Greek and Cyrillic: the scripts the embedded font (Libertinus Serif) covers. Other scripts
    # need a font given to LetterRenderer(font_paths=...).
    st.characters(min_codepoint=0x20, max_codepoint=0x4FF, categories=("L", "N", "P", "S", "Zs")),
)
NAMES = st.text(NAME_CHARS, min_size=1, max_size=30).filter(lambda s: s.strip() != "")


@settings(max_examples=30, deadline=None)
@given(
    name=NAMES,
    street=NAMES,
    kind=st.sampled_from(list(LetterKind)),
    standard=st.sampled_from(STANDARDS),
)
@example(
    name='#panic("x") *fed* $x$ <l> @ref \\ "q" [a]',
    street="_x_ #set",
    kind=LetterKind.NEW_TIME,
    standard="example",
)
@example(name="Ærø-Ødegård Å. Ææ", street="Ørstedsvej 1", kind=LetterKind.CLOSED_DOOR, standard="hjoerring")
def test_any_name_prints_as_written(name: str, street: str, kind: LetterKind, standard: str) -> None:
    person = dataclasses.replace(ANNA, name=name, street=street)
    letter = make_letter(kind, standard, recipients=(person,), reason=name)
    text = text_of(RENDERER.render(letter))
    assert squash(name) in squash(text)
    if kind is not LetterKind.CLOSED_DOOR:
        assert squash(street) in squash(text)


# --- Determinism, logo, errors ------------------------------------------------------------------------------


def test_the_same_letter_gives_the_same_bytes() -> None:
    letter = make_letter(LetterKind.INVITATION, "hjoerring", joint=True)
    first = LetterRenderer().render(letter)
    assert LetterRenderer().render(letter) == first
    assert RENDERER.render(letter) == first
    reader = pypdf.PdfReader(io.BytesIO(first))
    assert reader.metadata is not None and str(reader.metadata["/CreationDate"]).startswith("D:20270215")


def test_another_letter_gives_other_bytes() -> None:
    letter = make_letter(LetterKind.OFFER_WITH_TIME)
    other = dataclasses.replace(letter, reference="FHB-2027-000124")
    assert RENDERER.render(letter) != RENDERER.render(other)


def png(width: int, height: int) -> bytes:
    """A small grey PNG, written by hand so the tests need no imaging library."""
    rows = b"".join(b"\x00" + bytes([128] * width * 3) for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80">'
    b'<rect width="300" height="80" fill="#036"/></svg>'
)


@pytest.mark.parametrize(("logo", "logo_format"), [(png(300, 80), "png"), (SVG, "svg"), (png(900, 40), "")])
def test_the_logo_is_printed(logo: bytes, logo_format: str) -> None:
    sender = dataclasses.replace(SENDER, logo=logo, logo_format=logo_format)
    pdf = RENDERER.render(make_letter(LetterKind.OFFER_WITHOUT_TIME, sender=sender))
    assert pdf != RENDERER.render(make_letter(LetterKind.OFFER_WITHOUT_TIME))
    if logo_format != "svg":  # a PNG is an image XObject (an SVG is drawn as vector paths)
        resources = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]
        images = [x.get_object() for x in resources["/XObject"].values()]
        assert any(image["/Subtype"] == "/Image" for image in images)


@pytest.mark.parametrize("kind", list(LetterKind))
def test_letters_can_be_pdf_a_and_pdf_ua(kind: LetterKind) -> None:
    sender = dataclasses.replace(SENDER, logo=png(300, 80), logo_format="png")
    renderer = LetterRenderer(pdf_standards=("a-2b", "ua-1"))
    pdf = renderer.render(make_letter(kind, "hjoerring", sender=sender))
    assert b"pdfaid:part" in pdf or b"<pdfaid:part>" in pdf, "no PDF/A identification in the XMP metadata"
    assert b"pdfuaid" in pdf, "no PDF/UA identification in the XMP metadata"


@pytest.mark.parametrize(
    ("logo", "logo_format"), [(b"\x89PNG not really", "png"), (b"\xff\xfe<svg", "svg"), (b"<svg", "")]
)
def test_a_broken_logo_is_a_render_error(logo: bytes, logo_format: str) -> None:
    sender = dataclasses.replace(SENDER, logo=logo, logo_format=logo_format)
    with pytest.raises(LetterRenderError, match=r"offer_without_time\.typ"):
        RENDERER.render(make_letter(LetterKind.OFFER_WITHOUT_TIME, sender=sender))


def copy_templates(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES, target)
    return target


def test_a_bad_template_raises_a_clear_error(tmp_path: Path) -> None:
    templates = copy_templates(tmp_path)
    bad = templates / "default" / "follow_up.typ"
    bad.write_text('#import "../layout.typ": *\n#let d = load()\n#d.no_such_field\n', encoding="utf-8")
    with pytest.raises(LetterRenderError) as raised:
        LetterRenderer(templates).render(make_letter(LetterKind.FOLLOW_UP))
    assert raised.value.template == bad
    assert "follow_up.typ" in str(raised.value)
    assert "no_such_field" in str(raised.value)


def test_a_syntax_error_names_the_template(tmp_path: Path) -> None:
    templates = copy_templates(tmp_path)
    bad = templates / "hjoerring" / "invitation.typ"
    bad.write_text("#let x = (\n", encoding="utf-8")
    with pytest.raises(LetterRenderError, match=r"hjoerring/invitation\.typ.*unclosed delimiter"):
        LetterRenderer(templates).render(make_letter(LetterKind.INVITATION, "hjoerring"))


def test_a_missing_template_raises_a_clear_error(tmp_path: Path) -> None:
    templates = copy_templates(tmp_path)
    (templates / "default" / "new_time.typ").unlink()
    with pytest.raises(LetterRenderError, match=r"new_time\.typ: no such template"):
        LetterRenderer(templates).render(make_letter(LetterKind.NEW_TIME))


def test_a_municipality_template_is_found_in_its_folder(tmp_path: Path) -> None:
    templates = copy_templates(tmp_path)
    own = templates / "example" / "new_time.typ"
    own.parent.mkdir()
    own.write_text(
        '#import "../layout.typ": *\n#let d = load()\n#show: letter.with(d)\n'
        "#salutation(d)\n\nVores egen formulering: #d.appointment.date kl. #d.appointment.time.\n",
        encoding="utf-8",
    )
    renderer = LetterRenderer(templates)
    assert renderer.template_for("example", LetterKind.NEW_TIME) == own
    text = text_of(renderer.render(make_letter(LetterKind.NEW_TIME)))
    assert_says(text, "Vores egen formulering: tirsdag den 9. marts 2027 kl. 10.00.", "Kære Åse Ærbødig")
