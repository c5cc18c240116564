"""Render a :class:`~fhb.core.letters.model.Letter` to PDF with Typst.

The letter's data goes to the template as one JSON string (``sys.inputs.letter``), already worded in Danish
by :mod:`fhb.core.letters.texts`; the templates read it with ``json(bytes(sys.inputs.letter))`` and only ever
place its strings as text. Citizen data is never spliced into Typst markup, so a name with ``#``, ``*``,
``$``, ``<``, ``\\`` or ``@`` prints as written.

Templates live in ``templates/``: ``<standard>/<kind>.typ`` when the municipality words the letter its own
way, else ``default/<kind>.typ``; all of them import ``layout.typ`` (page, letterhead, window address) and
``phrases.typ`` (paragraphs shared by the letters).

The PDF is deterministic: its timestamp is the letter's date and only the fonts embedded in Typst are used
(unless a renderer is given other fonts), so the same letter gives the same bytes on every machine.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typst

from fhb.core.letters.model import Appointment, Event, Letter, LetterKind
from fhb.core.letters.texts import (
    format_date,
    format_duration,
    format_short_date,
    format_time,
    join_names,
    letter_title,
    pronouns,
    short_reference,
)

if TYPE_CHECKING:
    from typst import PDFStandard

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The templates shipped with fhb."""

DEFAULT_STANDARD = "default"
"""The folder of templates used when a standard has no template of its own for a kind."""

_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


class LetterRenderError(Exception):
    """A letter could not be rendered: the template is missing or Typst rejected it."""

    def __init__(self, template: Path, message: str) -> None:
        super().__init__(f"letter template {template}: {message}")
        self.template = template
        self.typst_message = message


def letter_data(letter: Letter) -> dict[str, Any]:
    """Everything a template may print, as JSON-ready values already worded in Danish.

    The logo is not included (see :func:`logo_json`); CPR numbers never are.
    """
    first = letter.recipients[0]
    sender = letter.sender
    duration = letter.duration_min
    if duration is None and letter.appointment is not None:
        minutes = int((letter.appointment.end - letter.appointment.start).total_seconds() // 60)
        duration = minutes if minutes > 0 else None
    return {
        "kind": letter.kind.value,
        "standard": letter.standard,
        "group": letter.group,
        "response": letter.response.value if letter.response is not None else None,
        "title": letter_title(letter),
        "date": format_short_date(letter.date),
        "reference": short_reference(letter.reference),
        "joint": letter.joint,
        "names": join_names(letter.recipients),
        "recipients": [{"name": r.name} for r in letter.recipients],
        "address": {"street": first.street, "postcode": first.postcode, "city": first.city},
        "you": pronouns(letter.joint),
        "sender": {
            "municipality": sender.municipality,
            "unit": sender.unit,
            "street": sender.street,
            "postcode": sender.postcode,
            "city": sender.city,
            "phone": sender.phone,
            "phone_hours": sender.phone_hours,
            "email": sender.email,
            "signature": sender.signature,
        },
        "appointment": _appointment(letter.appointment),
        "previous": _appointment(letter.previous),
        "event": _event(letter.event),
        "duration": format_duration(duration) if duration is not None else None,
        "reply_by": format_date(letter.reply_by) if letter.reply_by is not None else None,
        "purpose": letter.purpose,
        "reasons": list(letter.reasons),
        "reason": letter.reason,
        "signed_by": letter.signed_by,
        "extra": dict(letter.extra),
    }


def _appointment(appointment: Appointment | None) -> dict[str, Any] | None:
    if appointment is None:
        return None
    return {
        "date": format_date(appointment.start),
        "short_date": format_short_date(appointment.start),
        "time": format_time(appointment.start),
        "end": format_time(appointment.end),
        "consultant": appointment.consultant,
        "proposed": appointment.proposed,
    }


def _event(event: Event | None) -> dict[str, Any] | None:
    if event is None:
        return None
    minutes = int((event.end - event.start).total_seconds() // 60)
    return {
        "name": event.name,
        "place": event.place,
        "date": format_date(event.start),
        "short_date": format_short_date(event.start),
        "time": format_time(event.start),
        "end": format_time(event.end),
        "duration": format_duration(minutes) if minutes > 0 else None,
    }


@functools.lru_cache(maxsize=16)
def logo_json(logo: bytes, logo_format: str) -> str:
    """The logo as a JSON value the template turns into an image with ``bytes(logo.data)``.

    Typst's ``bytes()`` takes a string (its UTF-8) or an array of byte values, so an SVG goes as text and a
    raster image as an array of integers: no file is written. Cached, as every letter of a batch carries the
    same logo. A logo Typst cannot read makes the render fail with :class:`LetterRenderError`.
    """
    fmt = (logo_format or _sniff_format(logo)).lower()
    fmt = {"jpeg": "jpg"}.get(fmt, fmt)
    if fmt == "svg":
        svg = logo.decode("utf-8", errors="replace")
        return json.dumps({"format": "svg", "data": svg}, ensure_ascii=False)
    return json.dumps({"format": fmt, "data": list(logo)}, separators=(",", ":"))


def _sniff_format(logo: bytes) -> str:
    if logo.startswith(b"\x89PNG"):
        return "png"
    if logo.startswith(b"\xff\xd8"):
        return "jpg"
    if logo.startswith(b"GIF8"):
        return "gif"
    return "svg"


def letter_json(letter: Letter) -> str:
    """The one JSON string handed to the template as ``sys.inputs.letter``."""
    text = json.dumps(letter_data(letter), ensure_ascii=False, separators=(",", ":"))
    logo = "null"
    if letter.sender.logo:
        logo = logo_json(letter.sender.logo, letter.sender.logo_format)
    return f'{text[:-1]},"logo":{logo}}}'


def pdf_timestamp(day: date) -> datetime:
    """The PDF's creation time: midnight (UTC) of the letter's date, so the bytes follow from the letter."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


class LetterRenderer:
    """Renders letters, keeping one Typst compiler per template so a batch of thousands renders fast.

    Not thread-safe: give each thread its own renderer (:func:`render_pdf` does).
    """

    def __init__(
        self,
        templates: Path | str = TEMPLATES,
        *,
        font_paths: Sequence[Path | str] = (),
        system_fonts: bool = False,
        pdf_standards: Sequence[PDFStandard] = (),
    ) -> None:
        """``templates`` holds ``layout.typ``, ``phrases.typ``, ``default/`` and one folder per standard.

        Only the fonts embedded in Typst (Libertinus Serif) and those in ``font_paths`` are used unless
        ``system_fonts`` is set: system fonts differ between machines, and so would the PDFs.
        ``pdf_standards`` asks Typst for e.g. ``("a-2b",)`` (PDF/A for archiving) or ``("ua-1",)``
        (PDF/UA, accessible); every shipped template meets both.
        """
        self.templates = Path(templates).resolve()
        self.pdf_standards: list[PDFStandard] = list(pdf_standards)
        self._fonts = typst.Fonts(
            include_system_fonts=system_fonts,
            include_embedded_fonts=True,
            font_paths=[str(p) for p in font_paths],
        )
        self._compilers: dict[Path, typst.Compiler] = {}

    def template_for(self, standard: str, kind: LetterKind) -> Path:
        """The template that writes ``kind`` for ``standard``: its own if it has one, else the default."""
        if _SAFE_NAME.fullmatch(standard):
            own = self.templates / standard / f"{kind.value}.typ"
            if own.is_file():
                return own
        return self.templates / DEFAULT_STANDARD / f"{kind.value}.typ"

    def render(self, letter: Letter) -> bytes:
        """The letter as PDF bytes; raises :class:`LetterRenderError` naming the template on failure."""
        template = self.template_for(letter.standard, letter.kind)
        compiler = self._compiler(template)
        try:
            pdf = compiler.compile(
                format="pdf",
                sys_inputs={"letter": letter_json(letter)},
                timestamp=pdf_timestamp(letter.date),
                pdf_standards=self.pdf_standards,
            )
        except typst.TypstError as error:
            raise LetterRenderError(template, _describe(error)) from error
        except RuntimeError as error:  # e.g. a file the template reads is missing
            raise LetterRenderError(template, str(error)) from error
        if not isinstance(pdf, bytes):
            raise LetterRenderError(template, "Typst returned no single PDF document")
        return pdf

    def _compiler(self, template: Path) -> typst.Compiler:
        compiler = self._compilers.get(template)
        if compiler is None:
            if not template.is_file():
                raise LetterRenderError(template, "no such template")
            compiler = typst.Compiler(str(template), root=str(self.templates), font_paths=self._fonts)
            self._compilers[template] = compiler
        return compiler


def _describe(error: typst.TypstError) -> str:
    parts = [error.diagnostic.strip() or error.message]
    parts += [f"hint: {hint}" for hint in error.hints]
    return "\n".join(parts)


_local = threading.local()


def render_pdf(letter: Letter) -> bytes:
    """Render one letter with the shipped templates (one renderer per thread, reused between calls)."""
    renderer: LetterRenderer | None = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = LetterRenderer()
        _local.renderer = renderer
    return renderer.render(letter)
