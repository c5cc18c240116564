"""A letter as a MeMo message: the XML that Danish Digital Post delivers.

MeMo (Meddelelsesmodel, namespace ``https://DigitalPost.dk/MeMo-1``) is the message format of Digital
Post. fhb writes a small subset of it: one message per recipient, from the municipality (CVR) to one
citizen (CPR), with the rendered letter as the only file of the main document. The subset is written
down as an XML Schema (``schema/memo_subset.xsd``) and explained element by element in
``docs/digital-post.md``; :func:`build_memo` checks its own output against that schema before it
returns it, so a message it returns always validates.

Text that goes into the message (the title, the sender's and the recipient's names, the reference)
passes through :func:`clean_label` first: characters XML 1.0 cannot hold are removed rather than
refused, because a name with a stray control character from a source system must not stop a letter.

Reading a message back (:func:`parse_memo`, :func:`validate_memo`) never expands entities, never
loads a DTD and never touches the network; a message with a DOCTYPE is refused. The parser keeps
libxml2's size limits (no ``huge_tree``), which caps the embedded PDF at :data:`MAX_PDF_BYTES`.
"""

from __future__ import annotations

import base64
import functools
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any, Literal
from zoneinfo import ZoneInfo

from lxml import etree

from fhb.core.letters.model import Letter, Recipient

__all__ = [
    "MAX_LABEL_LENGTH",
    "MAX_PDF_BYTES",
    "MEMO_NAMESPACE",
    "MemoError",
    "MemoSummary",
    "build_memo",
    "clean_label",
    "memo_filename",
    "parse_memo",
    "validate_memo",
]

MEMO_NAMESPACE = "https://DigitalPost.dk/MeMo-1"
"""The MeMo namespace (the same for MeMo 1.1 and 1.2)."""

MemoVersion = Literal["1.1", "1.2"]

MAX_LABEL_LENGTH = 256
"""MeMo's limit on a label, an id and a filename, in characters."""

MAX_PDF_BYTES = 7_000_000
"""The largest PDF fhb puts in a message.

Its base64 text (4/3 of the size) must stay under libxml2's 10,000,000-byte limit on one text node,
which the safe parser keeps; a letter of a few pages is far below it.
"""

_NS = {"memo": MEMO_NAMESPACE}
_M = "{" + MEMO_NAMESPACE + "}"

#: Characters never written: C0 and C1 controls that are not whitespace, DEL, lone surrogates and the
#: Unicode noncharacters (U+FDD0-U+FDEF and the last two code points of every plane). XML 1.0 cannot
#: hold the C0 controls, surrogates, U+FFFE and U+FFFF at all and discourages the rest. Whitespace
#: controls (tab, line feed, carriage return, VT, FF, NEL...) are not here: they become spaces.
_NOT_IN_LABEL = re.compile(
    r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"\\U{plane:04X}FFFE\\U{plane:04X}FFFF" for plane in range(1, 17))
    + "]"
)
#: Characters that do not belong in a file name on any common system (and whitespace).
_NOT_IN_FILENAME = re.compile(r'[/\\:*?"<>|\s]')
_UUID4 = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}")
#: Elements whose values are personal data: their values are left out of error messages.
_PERSONAL = frozenset({"recipientID", "label"})


class MemoError(ValueError):
    """A MeMo message is not well-formed, not allowed (DOCTYPE) or does not match fhb's MeMo subset."""


@dataclass(frozen=True, slots=True)
class MemoSummary:
    """What a MeMo message written by fhb says, read back by :func:`parse_memo`."""

    message_uuid: uuid.UUID
    sender_cvr: str
    recipient_cpr: str
    title: str
    """The message's label (also the main document's label)."""
    filename: str
    pdf: bytes
    """The letter, byte for byte as it was given to :func:`build_memo`."""
    message_id: str
    """The letter's reference."""
    created: datetime
    """When the message was made, in UTC (aware)."""
    sender_label: str
    recipient_name: str
    """Empty when the message names no recipient."""
    memo_version: str


def clean_label(text: str, limit: int = MAX_LABEL_LENGTH) -> str:
    """Return ``text`` as one line of text that XML 1.0 and MeMo accept.

    - Characters XML 1.0 cannot hold (C0 control characters other than tab, line feed and carriage
      return; lone surrogates; U+FFFE and U+FFFF), the C1 control characters, DEL and the other Unicode
      noncharacters are **removed**. They carry no meaning in a name or a title and usually come from a
      broken export; refusing them would stop the letter.
    - Every run of whitespace (tab, line breaks, no-break space, any Unicode space) becomes one space,
      and the text is trimmed: a label is one line.
    - The result is cut to ``limit`` characters (MeMo allows 256), then trimmed again.

    XML-special characters (``<&>"'``) are kept: the XML writer escapes them. The result may be empty.
    """
    kept = _NOT_IN_LABEL.sub("", text)
    return " ".join(kept.split())[:limit].rstrip()


def memo_filename(reference: str) -> str:
    """The main document's file name: ``<reference>.pdf``, made safe as a file name.

    The reference passes through :func:`clean_label`; characters that are not allowed in file names on
    common systems (``/ \\ : * ? " < > |``) and spaces become ``_``; the stem is cut so the whole name
    stays within 256 characters. Raises ValueError when nothing is left of the reference.
    """
    stem = _NOT_IN_FILENAME.sub("_", clean_label(reference, MAX_LABEL_LENGTH - len(".pdf")))
    if not stem:
        raise ValueError("the letter has no reference to name its file by")
    return stem + ".pdf"


def build_memo(
    letter: Letter,
    pdf: bytes,
    *,
    message_uuid: uuid.UUID,
    created: datetime,
    title: str,
    recipient: Recipient | None = None,
    memo_version: MemoVersion = "1.2",
) -> bytes:
    """Return the MeMo message (UTF-8 XML with declaration) that delivers ``pdf`` to one recipient.

    ``letter`` gives the sender (its CVR and the municipality's and unit's name), the recipients and the
    reference (the message's ``messageID``, the main document's ``mainDocumentID`` and file name).
    ``pdf`` is the rendered letter; ``title`` is what the citizen sees in the inbox (the message's and the
    main document's label). ``message_uuid`` must be a version 4 UUID (``uuid.uuid4()``, as MeMo requires),
    new for every message; a retry of the same message should keep its UUID so it is recognisably the same.

    ``created`` is stored in UTC as MeMo requires; an aware datetime is converted, a naive one is taken
    as Danish local time (Europe/Copenhagen), like every time in :mod:`fhb.core.letters.model`.

    A Digital Post message has exactly one recipient, so a couple's joint letter becomes one message per
    spouse: pass ``recipient`` (one of ``letter.recipients``) to say whose message this is. It may be left
    out only for a letter with one recipient. A joint letter with an address-protected recipient is
    refused: such a couple gets one letter each (see docs/digital-post.md).

    ``memo_version`` is written in the ``memoVersion`` attribute: 1.2 by default; 1.1 also writes the
    ``memoSchVersion="1.1.0"`` attribute that version requires. The elements written are the same.

    Text is cleaned with :func:`clean_label` (characters XML 1.0 cannot hold are removed, whitespace is
    collapsed, labels are cut to 256 characters). Raises ValueError when the input cannot make a valid
    message (no title, a CVR that is not 8 digits, a CPR that is not 10 digits, not a PDF...).
    """
    to = _recipient_of(letter, recipient)
    if letter.joint and any(r.address_protected for r in letter.recipients):
        raise ValueError(
            "a joint letter must not be made when a spouse is address-protected: write one letter each"
        )
    if message_uuid.version != 4 or not _UUID4.fullmatch(str(message_uuid)):
        raise ValueError("messageUUID must be a version 4 UUID (uuid.uuid4())")
    cvr = letter.sender.cvr
    if not (len(cvr) == 8 and cvr.isascii() and cvr.isdigit()):
        raise ValueError(f"the sender's CVR number must be 8 digits, not {cvr!r}")
    if not (len(to.cpr) == 10 and to.cpr.isascii() and to.cpr.isdigit()):
        raise ValueError("the recipient's CPR number must be 10 digits without hyphen")
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("the letter is not a PDF (it does not start with %PDF-)")
    if len(pdf) > MAX_PDF_BYTES:
        raise ValueError(f"the letter's PDF is {len(pdf):,} bytes; a message holds at most {MAX_PDF_BYTES:,}")
    label = clean_label(title)
    if not label:
        raise ValueError("the message needs a title")
    reference = clean_label(letter.reference)
    filename = memo_filename(letter.reference)  # raises when the reference is empty
    names = (clean_label(letter.sender.municipality), clean_label(letter.sender.unit))
    sender_label = clean_label(", ".join(name for name in names if name))
    if not sender_label:
        raise ValueError("the sender needs a name (municipality or unit)")
    recipient_name = clean_label(to.name)

    root = etree.Element(_M + "Message", nsmap={"memo": MEMO_NAMESPACE})
    root.set("memoVersion", memo_version)
    if memo_version == "1.1":
        root.set("memoSchVersion", "1.1.0")

    header = _sub(root, "MessageHeader")
    _sub(header, "messageType", "DIGITALPOST")
    _sub(header, "messageUUID", str(message_uuid))
    _sub(header, "messageID", reference)
    _sub(header, "label", label)
    _sub(header, "mandatory", "false")
    _sub(header, "legalNotification", "false")
    sender = _sub(header, "Sender")
    _sub(sender, "senderID", cvr)
    _sub(sender, "idType", "CVR")
    _sub(sender, "label", sender_label)
    addressee = _sub(header, "Recipient")
    _sub(addressee, "recipientID", to.cpr)
    _sub(addressee, "idType", "CPR")
    if recipient_name:
        _sub(addressee, "label", recipient_name)

    body = _sub(root, "MessageBody")
    _sub(body, "createdDateTime", _utc_text(created))
    document = _sub(body, "MainDocument")
    _sub(document, "mainDocumentID", reference)
    _sub(document, "label", label)
    file = _sub(document, "File")
    _sub(file, "encodingFormat", "application/pdf")
    _sub(file, "filename", filename)
    _sub(file, "language", "da")
    _sub(file, "content", base64.b64encode(pdf).decode("ascii"))

    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + bytes(
        etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    )
    validate_memo(xml)  # a failure here is a bug in this module, never the caller's
    return xml


def validate_memo(xml: bytes) -> None:
    """Check that ``xml`` is a MeMo message in fhb's subset (``schema/memo_subset.xsd``).

    Raises :class:`MemoError` naming the line, the element and what is wrong, e.g.
    ``line 17, /memo:Message/memo:MessageHeader/memo:Recipient/memo:idType: Element 'memo:idType':
    [facet 'enumeration'] The value 'CVR' is not an element of the set {'CPR'}.`` The first problem is
    described; the message says how many more there are. Values of elements that hold personal data
    (recipientID, labels) are left out of the message so it can be logged.

    Also refused: XML that is not well-formed, any DOCTYPE (no DTDs, no entities), and a ``memoVersion``
    1.1 without ``memoSchVersion="1.1.0"`` or 1.2 with it.
    """
    _validated(xml)


def _validated(xml: bytes) -> Any:
    """The message's root element, once it has passed every check of :func:`validate_memo`."""
    root = _parse(xml)
    schema = _schema()
    with _SCHEMA_LOCK:  # the schema's error log is shared; one validation at a time
        valid = schema.validate(root)
        errors = list(schema.error_log)
    if not valid:
        first = errors[0]
        others = len(errors) - 1
        more = f" (and {others} more problem{'s' if others > 1 else ''})" if others else ""
        raise MemoError(f"MeMo message not valid: line {first.line}, {first.path}: {_describe(first)}{more}")
    version = root.get("memoVersion")
    sch_version = root.get("memoSchVersion")
    where = f"MeMo message not valid: line {root.sourceline}, /memo:Message"
    if version == "1.1" and sch_version is None:
        raise MemoError(f"{where}: memoVersion 1.1 needs memoSchVersion")
    if version == "1.2" and sch_version is not None:
        raise MemoError(f"{where}: memoVersion 1.2 has no memoSchVersion")
    return root


def parse_memo(xml: bytes) -> MemoSummary:
    """Read back a message :func:`build_memo` wrote: validate it (see :func:`validate_memo`), then
    return what it says, with the PDF decoded. Raises :class:`MemoError` for anything else."""
    root = _validated(xml)
    content = "".join(_text(root, "memo:MessageBody/memo:MainDocument/memo:File/memo:content").split())
    try:
        created = datetime.fromisoformat(_text(root, "memo:MessageBody/memo:createdDateTime"))
        pdf = base64.b64decode(content, validate=True)
    except ValueError as error:  # binascii.Error is a ValueError
        raise MemoError(f"MeMo message not readable: {error}") from None
    return MemoSummary(
        message_uuid=uuid.UUID(_text(root, "memo:MessageHeader/memo:messageUUID")),
        sender_cvr=_text(root, "memo:MessageHeader/memo:Sender/memo:senderID"),
        recipient_cpr=_text(root, "memo:MessageHeader/memo:Recipient/memo:recipientID"),
        title=_text(root, "memo:MessageHeader/memo:label"),
        filename=_text(root, "memo:MessageBody/memo:MainDocument/memo:File/memo:filename"),
        pdf=pdf,
        message_id=_text(root, "memo:MessageHeader/memo:messageID"),
        created=created.astimezone(UTC),
        sender_label=_text(root, "memo:MessageHeader/memo:Sender/memo:label"),
        recipient_name=_text(root, "memo:MessageHeader/memo:Recipient/memo:label"),
        memo_version=str(root.get("memoVersion")),
    )


# --- helpers ---------------------------------------------------------------------------------------------

_SCHEMA_LOCK = threading.Lock()


@functools.cache
def _schema() -> Any:
    """The subset schema, parsed once (lxml.etree.XMLSchema)."""
    source = (resources.files("fhb.core.letters") / "schema" / "memo_subset.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(source, _safe_parser()))


def _safe_parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=False,
    )


def _parse(xml: bytes) -> Any:
    if not isinstance(xml, bytes):
        raise MemoError("a MeMo message is bytes (UTF-8 XML), not text")
    try:
        root = etree.fromstring(xml, _safe_parser())
    except etree.XMLSyntaxError as error:
        raise MemoError(f"MeMo message is not well-formed XML: line {error.lineno}: {error.msg}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise MemoError("MeMo message has a DOCTYPE; DTDs and entities are not allowed")
    return root


def _describe(entry: Any) -> str:
    """The schema error's text, with the MeMo namespace as ``memo:`` and personal values left out."""
    message = str(entry.message).replace(_M, "memo:")
    element = re.match(r"Element 'memo:(\w+)'", message)
    if element and element.group(1) in _PERSONAL:
        message = re.sub(r"The value '.*' (is not|has)", r"The value \1", message, flags=re.DOTALL)
        message = re.sub(
            r"^(Element '[^']*': )'.*' (is not a valid)", r"\1The value \2", message, flags=re.DOTALL
        )
    return message


def _sub(parent: Any, name: str, text: str | None = None) -> Any:
    element = etree.SubElement(parent, _M + name)
    if text is not None:
        element.text = text
    return element


def _text(root: Any, path: str) -> str:
    element = root.find(path, _NS)
    return "" if element is None or element.text is None else str(element.text)


def _utc_text(created: datetime) -> str:
    if created.tzinfo is None or created.utcoffset() is None:
        created = created.replace(tzinfo=ZoneInfo("Europe/Copenhagen"))
    utc = created.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return utc.isoformat(timespec="seconds") + "Z"


def _recipient_of(letter: Letter, recipient: Recipient | None) -> Recipient:
    if recipient is None:
        if letter.joint:
            raise ValueError(
                "a joint letter cannot be one Digital Post message: build one message per recipient "
                "(pass recipient=)"
            )
        return letter.recipients[0]
    if recipient not in letter.recipients:
        raise ValueError("the recipient is not one of the letter's recipients")
    return recipient
