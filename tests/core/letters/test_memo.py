"""MeMo messages: built, validated against fhb's subset schema, and read back; no database."""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfWriter

from fhb.core.letters.memo import (
    MAX_PDF_BYTES,
    MEMO_NAMESPACE,
    MemoError,
    build_memo,
    clean_label,
    memo_filename,
    parse_memo,
    validate_memo,
)
from fhb.core.letters.model import Letter, LetterKind, Recipient, Sender

DOCS = Path(__file__).resolve().parents[3] / "docs" / "digital-post.md"
SCHEMA = (
    Path(__file__).resolve().parents[3] / "src" / "fhb" / "core" / "letters" / "schema" / "memo_subset.xsd"
)
M = "{" + MEMO_NAMESPACE + "}"

SENDER = Sender(
    municipality="Eksempel Kommune",
    municipality_code=999,
    cvr="12345678",  # made up (fails the CVR check digit)
    unit="Forebyggende hjemmebesøg",
    street="Rådhusvej 1",
    postcode="9999",
    city="Eksempelby",
    phone="99 99 99 99",
    phone_hours="mandag-fredag kl. 8.00-9.00",
    email="fhb@example.invalid",
    signature="De forebyggende medarbejdere",
)
ANNA = Recipient(
    cpr="0101401234", name="Anna Testperson", street="Testvej 1", postcode="9999", city="Eksempelby"
)
BENT = Recipient(
    cpr="0101402345", name="Bent Testperson", street="Testvej 1", postcode="9999", city="Eksempelby"
)
CREATED = datetime(2025, 3, 3, 8, 15, tzinfo=UTC)
TITLE = "Tilbud om forebyggende hjemmebesøg"


def make_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = make_pdf(2)


def make_letter(
    *recipients: Recipient, reference: str = "FHB-2025-000123", sender: Sender = SENDER
) -> Letter:
    return Letter(
        kind=LetterKind.OFFER_WITHOUT_TIME,
        standard="hjoerring",
        sender=sender,
        recipients=recipients or (ANNA,),
        date=date(2025, 3, 3),
        reference=reference,
    )


def build(letter: Letter | None = None, /, **kwargs: object) -> bytes:
    args: dict[str, object] = {"message_uuid": uuid.uuid4(), "created": CREATED, "title": TITLE}
    args.update(kwargs)
    return build_memo(letter or make_letter(), PDF, **args)  # type: ignore[arg-type]


def tamper(xml: bytes, pattern: str, replacement: str) -> bytes:
    changed, count = re.subn(pattern.encode(), replacement.encode(), xml, flags=re.DOTALL)
    assert count == 1, pattern
    return changed


# --- round trip ------------------------------------------------------------------------------------------


def test_round_trip_build_validate_parse() -> None:
    message_uuid = uuid.uuid4()
    xml = build(message_uuid=message_uuid)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<memo:Message ')
    validate_memo(xml)
    summary = parse_memo(xml)
    assert summary.message_uuid == message_uuid
    assert summary.sender_cvr == "12345678"
    assert summary.recipient_cpr == "0101401234"
    assert summary.recipient_name == "Anna Testperson"
    assert summary.sender_label == "Eksempel Kommune, Forebyggende hjemmebesøg"
    assert summary.title == TITLE
    assert summary.filename == "FHB-2025-000123.pdf"
    assert summary.message_id == "FHB-2025-000123"
    assert summary.created == CREATED
    assert summary.memo_version == "1.2"


def test_pdf_comes_back_byte_identical() -> None:
    for pdf in (make_pdf(1), make_pdf(3), PDF + b"\x00\xff trailing bytes"):
        xml = build_memo(make_letter(), pdf, message_uuid=uuid.uuid4(), created=CREATED, title=TITLE)
        assert parse_memo(xml).pdf == pdf


def test_elements_are_in_memo_order() -> None:
    root = etree.fromstring(build())

    def children(path: str) -> list[str]:
        element = root if path == "" else root.find(path, {"memo": MEMO_NAMESPACE})
        return [child.tag.removeprefix(M) for child in element]

    assert root.tag == M + "Message"
    assert root.nsmap == {"memo": MEMO_NAMESPACE}
    assert children("") == ["MessageHeader", "MessageBody"]
    assert children("memo:MessageHeader") == [
        "messageType", "messageUUID", "messageID", "label", "mandatory", "legalNotification", "Sender",
        "Recipient",
    ]  # fmt: skip
    assert children("memo:MessageHeader/memo:Sender") == ["senderID", "idType", "label"]
    assert children("memo:MessageHeader/memo:Recipient") == ["recipientID", "idType", "label"]
    assert children("memo:MessageBody") == ["createdDateTime", "MainDocument"]
    assert children("memo:MessageBody/memo:MainDocument") == ["mainDocumentID", "label", "File"]
    assert children("memo:MessageBody/memo:MainDocument/memo:File") == [
        "encodingFormat", "filename", "language", "content",
    ]  # fmt: skip
    header = root.find("memo:MessageHeader", {"memo": MEMO_NAMESPACE})
    assert [header.findtext(M + name) for name in ("messageType", "mandatory", "legalNotification")] == [
        "DIGITALPOST", "false", "false",
    ]  # fmt: skip


def test_memo_version_1_1_writes_memo_sch_version() -> None:
    root12 = etree.fromstring(build())
    assert root12.get("memoVersion") == "1.2" and root12.get("memoSchVersion") is None
    xml11 = build(memo_version="1.1")
    root11 = etree.fromstring(xml11)
    assert root11.get("memoVersion") == "1.1" and root11.get("memoSchVersion") == "1.1.0"
    assert parse_memo(xml11).memo_version == "1.1"
    with pytest.raises(MemoError, match=r"1\.1 needs memoSchVersion"):
        validate_memo(tamper(xml11, ' memoSchVersion="1.1.0"', ""))
    with pytest.raises(MemoError, match=r"1\.2 has no memoSchVersion"):
        validate_memo(tamper(build(), 'memoVersion="1.2"', 'memoVersion="1.2" memoSchVersion="1.1.0"'))


@pytest.mark.parametrize(
    ("created", "utc"),
    [
        (datetime(2025, 1, 15, 10, 0), "2025-01-15T09:00:00Z"),  # naive = Danish winter time
        (datetime(2025, 7, 15, 10, 0), "2025-07-15T08:00:00Z"),  # naive = Danish summer time
        (datetime(2025, 7, 15, 10, 0, 30, 999, tzinfo=UTC), "2025-07-15T10:00:30Z"),
        (datetime(2025, 7, 15, 10, 0, tzinfo=timezone(timedelta(hours=-5))), "2025-07-15T15:00:00Z"),
    ],
)
def test_created_is_written_in_utc(created: datetime, utc: str) -> None:
    xml = build(created=created)
    assert f"<memo:createdDateTime>{utc}</memo:createdDateTime>".encode() in xml


def test_the_schema_is_read_once() -> None:
    from fhb.core.letters import memo

    validate_memo(build())
    assert memo._schema() is memo._schema()
    assert SCHEMA.is_file()


def test_the_example_in_the_docs_validates() -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(r"```xml\n(.*?)```", text, flags=re.DOTALL)
    assert example, "docs/digital-post.md has no ```xml example"
    xml = example.group(1).encode("utf-8")
    validate_memo(xml)
    summary = parse_memo(xml)
    assert summary.recipient_cpr == "0101401234"
    assert summary.pdf.startswith(b"%PDF-")


# --- joint letters and address protection ---------------------------------------------------------------


def test_joint_letter_needs_a_recipient_and_gives_one_message_each() -> None:
    letter = make_letter(ANNA, BENT)
    with pytest.raises(ValueError, match="one message per recipient"):
        build(letter)
    messages = [build(letter, recipient=person) for person in letter.recipients]
    summaries = [parse_memo(xml) for xml in messages]
    assert [s.recipient_cpr for s in summaries] == ["0101401234", "0101402345"]
    assert [s.recipient_name for s in summaries] == ["Anna Testperson", "Bent Testperson"]
    assert summaries[0].pdf == summaries[1].pdf == PDF
    assert summaries[0].message_uuid != summaries[1].message_uuid


def test_recipient_must_be_one_of_the_letters() -> None:
    with pytest.raises(ValueError, match="not one of the letter's recipients"):
        build(make_letter(ANNA), recipient=BENT)
    assert parse_memo(build(make_letter(ANNA), recipient=ANNA)).recipient_cpr == ANNA.cpr


def test_joint_letter_with_an_address_protected_spouse_is_refused() -> None:
    protected = Recipient(
        cpr="0101403456", name="Carla Testperson", street="", postcode="", city="", address_protected=True
    )
    with pytest.raises(ValueError, match="address-protected"):
        build(make_letter(ANNA, protected), recipient=ANNA)
    # Alone, the protected citizen gets her own message, which holds no address at all.
    xml = build(make_letter(protected))
    assert b"Testvej" not in xml and b"Address" not in xml


def test_message_holds_no_address() -> None:
    xml = build()
    assert ANNA.street.encode() not in xml and ANNA.city.encode() not in xml


# --- tampered messages --------------------------------------------------------------------------------------


def test_missing_recipient_is_named() -> None:
    xml = tamper(build(), r"\s*<memo:Recipient>.*</memo:Recipient>", "")
    with pytest.raises(MemoError, match=r"line \d+.*memo:MessageHeader.*Expected is \( memo:Recipient \)"):
        validate_memo(xml)


def test_wrong_id_type_is_named() -> None:
    xml = tamper(build(), r"<memo:idType>CPR</memo:idType>", "<memo:idType>CVR</memo:idType>")
    with pytest.raises(MemoError, match=r"line 17, .*memo:Recipient/memo:idType.*'CVR'.*\{'CPR'\}"):
        validate_memo(xml)


def test_cpr_with_nine_digits_is_named_without_showing_it() -> None:
    xml = tamper(build(), "<memo:recipientID>0101401234<", "<memo:recipientID>010140123<")
    with pytest.raises(MemoError, match=r"memo:recipientID.*pattern '\[0-9\]\{10\}'") as error:
        validate_memo(xml)
    assert "010140123" not in str(error.value)


def test_tampered_content_and_uuid_are_refused() -> None:
    xml = build()
    with pytest.raises(MemoError, match="messageUUID"):
        validate_memo(tamper(xml, r"<memo:messageUUID>[^<]*<", "<memo:messageUUID>not-a-uuid<"))
    with pytest.raises(MemoError, match="content"):
        validate_memo(tamper(xml, r"<memo:content>[^<]*<", "<memo:content>%%%<"))
    with pytest.raises(MemoError, match="createdDateTime"):
        validate_memo(tamper(xml, r"Z</memo:createdDateTime>", "+01:00</memo:createdDateTime>"))
    with pytest.raises(MemoError, match="mandatory"):
        validate_memo(tamper(xml, r"<memo:mandatory>false<", "<memo:mandatory>true<"))


def test_not_well_formed_xml_says_where() -> None:
    with pytest.raises(MemoError, match=r"not well-formed XML: line 2"):
        validate_memo(b'<?xml version="1.0"?>\n<memo:Message xmlns:memo="x">')
    with pytest.raises(MemoError, match="bytes"):
        validate_memo(build().decode())  # type: ignore[arg-type]
    with pytest.raises(MemoError, match=r"(?i)no matching global declaration"):
        validate_memo(b"<Message/>")


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE memo:Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE memo:Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE memo:Message SYSTEM "http://example.invalid/memo.dtd">',
    ],
)
def test_doctype_and_entities_are_refused(doctype: str) -> None:
    xml = build().replace(b"\n<memo:Message", ("\n" + doctype + "\n<memo:Message").encode(), 1)
    with pytest.raises(MemoError, match="DOCTYPE"):
        parse_memo(xml)


# --- refused input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"message_uuid": uuid.uuid1()}, "version 4 UUID"),
        ({"title": ""}, "needs a title"),
        ({"title": " \x00\x01\t\n "}, "needs a title"),
    ],
)
def test_refused_arguments(change: dict[str, object], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        build(**change)


@pytest.mark.parametrize(
    ("letter", "reason"),
    [
        (make_letter(sender=replace(SENDER, cvr="1234567")), "CVR number must be 8 digits"),
        (make_letter(Recipient("010140-1234", "A", "", "", "")), "CPR number must be 10 digits"),
        (make_letter(Recipient("０１０１４０１２３４", "A", "", "", "")), "CPR number must be 10 digits"),
        (make_letter(reference="\x00 \t\x01"), "reference"),
        (make_letter(reference=""), "reference"),
        (make_letter(sender=replace(SENDER, municipality="", unit="\x00")), "sender needs"),
    ],
)
def test_refused_letters(letter: Letter, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        build(letter)


def test_refused_pdfs() -> None:
    with pytest.raises(ValueError, match="not a PDF"):
        build_memo(make_letter(), b"<html>", message_uuid=uuid.uuid4(), created=CREATED, title=TITLE)
    too_big = b"%PDF-" + b"0" * MAX_PDF_BYTES
    with pytest.raises(ValueError, match="at most"):
        build_memo(make_letter(), too_big, message_uuid=uuid.uuid4(), created=CREATED, title=TITLE)


# --- text cleaning ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("Anna Hansen", "Anna Hansen"),
        ("  Anna\t\n\r  Hansen \u00a0", "Anna Hansen"),
        ("An\x00na\x01 \x1b Hansen\x7f\x85x", "Anna Hansen x"),
        ("Anna \ud800Hansen\uffff\ufffe\U0010ffff", "Anna Hansen"),
        ('Søren <&> "O\'Brien" 👩‍👩‍👧', 'Søren <&> "O\'Brien" 👩‍👩‍👧'),
        ("a" * 300, "a" * 256),
        ("a" * 255 + " b", "a" * 255),
    ],
)
def test_clean_label(text: str, clean: str) -> None:
    assert clean_label(text) == clean


def test_filename_is_the_reference_made_safe() -> None:
    assert memo_filename("FHB-2025-000123") == "FHB-2025-000123.pdf"
    assert memo_filename('a/b\\c:d*e?f"g<h>i|j k') == "a_b_c_d_e_f_g_h_i_j_k.pdf"
    assert len(memo_filename("x" * 1000)) == 256


# --- any text makes a valid message ----------------------------------------------------------------------

XML_SPECIAL = st.sampled_from(
    [
        "<",
        "&",
        ">",
        '"',
        "'",
        "]]>",
        "&amp;",
        "<!--",
        "\x00",
        "\x1f",
        "\x85",
        "\r\n",
        "\u2028",
        "\ufffe",
        "\ud800",
        "\U0001fffe",
    ]
)
ODD_TEXT = st.lists(st.one_of(st.text(max_size=20), XML_SPECIAL), max_size=12).map("".join)
GOOD_TEXT = ODD_TEXT.filter(lambda text: clean_label(text) != "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=GOOD_TEXT, name=ODD_TEXT, unit=ODD_TEXT, reference=GOOD_TEXT)
def test_any_text_gives_a_valid_message_that_reads_back(
    title: str, name: str, unit: str, reference: str
) -> None:
    sender = replace(SENDER, unit=unit)
    recipient = Recipient(cpr="0101401234", name=name, street="", postcode="", city="")
    letter = make_letter(recipient, reference=reference, sender=sender)
    xml = build_memo(letter, PDF, message_uuid=uuid.uuid4(), created=CREATED, title=title)
    validate_memo(xml)
    summary = parse_memo(xml)
    assert summary.title == clean_label(title)
    assert summary.recipient_name == clean_label(name)
    assert summary.message_id == clean_label(reference)
    assert summary.sender_label == ", ".join(p for p in ("Eksempel Kommune", clean_label(unit)) if p)
    assert summary.filename == memo_filename(reference)
    assert summary.pdf == PDF
