"""Render a :class:`~fhb.core.letters.model.Letter` to PDF with Typst.

The letter's data goes to the template as one JSON string (``sys.inputs.letter``), already worded in Danish
by :mod:`fhb.core.letters.texts`; the templates read it with ``json(bytes(sys.inputs.letter))`` and only ever
place its strings as text. Citizen data is never spliced into Typst markup, so a name with ``#``, ``*``,
``$``, ``<``, ``\\`` or ``@`` prints as written.

Templates live in ``templates/``: ``<standard>/<kind>.typ`` when the municipality words the letter its own
way, else ``default/<kind>.typ``; all of them import ``layout.typ`` (page, letterhead, window address) and
``phrases.typ`` (paragraphs shared by the letters). A renderer may also be given a folder of the
municipality's own templates outside the package (``own``: the standard's ``[letters] templates``): its
``<kind>.typ`` comes first, and imports ``../layout.typ`` as the shipped ones do.

The PDF is deterministic: its timestamp is the letter's date and only the fonts embedded in Typst are used
(unless a renderer is given other fonts), so the same letter gives the same bytes on every machine.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import tempfile
import threading
import weakref
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typst

from fhb.core.letters.model import Appointment, Event, Letter, LetterKind, VisitingHours
from fhb.core.letters.texts import (
    format_date,
    format_duration,
    format_short_date,
    format_time,
    format_time_span,
    format_weekdays,
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


OWN_STAGED = "own"
"""The name of a renderer's own template folder inside its staging folder (see :class:`LetterRenderer`)."""


class LetterRenderError(Exception):
    """A letter could not be rendered: the template is missing or Typst rejected it.

    ``file`` and ``line`` say where Typst found the error (the template itself, or a file it imports),
    when it says so; ``short`` is Typst's message without the excerpt of the file.
    """

    def __init__(
        self,
        template: Path,
        message: str,
        *,
        file: Path | None = None,
        line: int | None = None,
        short: str = "",
    ) -> None:
        super().__init__(f"letter template {template}: {message}")
        self.template = template
        self.typst_message = message
        self.file = file
        self.line = line
        self.short = short or message


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
        "events": [_event(e) for e in letter.events],
        "arrangement": letter.arrangement,
        "duration": format_duration(duration) if duration is not None else None,
        "reply_by": format_date(letter.reply_by) if letter.reply_by is not None else None,
        "purpose": letter.purpose,
        "reasons": list(letter.reasons),
        "reason": letter.reason,
        "signed_by": letter.signed_by,
        "extra": dict(letter.extra),
        "visiting_hours": _hours(letter.visiting_hours),
        "law": letter.law,
        "citizen_asked": list(letter.citizen_asked),
        "notes": list(letter.notes),
        "couple": letter.couple,
    }


def _hours(hours: VisitingHours | None) -> dict[str, str] | None:
    if hours is None:
        return None
    days = format_weekdays(hours.weekdays)
    return {
        "days": days,
        "start": format_time(hours.start),
        "end": format_time(hours.end),
        "text": f"{days} kl.\u00a0{format_time_span(hours.start, hours.end)}",  # no line break after "kl."
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
        own: Path | str | None = None,
        font_paths: Sequence[Path | str] = (),
        system_fonts: bool = False,
        pdf_standards: Sequence[PDFStandard] = (),
    ) -> None:
        """``templates`` holds ``layout.typ``, ``phrases.typ``, ``default/`` and one folder per standard.

        Only the fonts embedded in Typst (Libertinus Serif) and those in ``font_paths`` are used unless
        ``system_fonts`` is set: system fonts differ between machines, and so would the PDFs.
        ``pdf_standards`` asks Typst for e.g. ``("a-2b",)`` (PDF/A for archiving) or ``("ua-1",)``
        (PDF/UA, accessible); every shipped template meets both.

        ``own`` is a folder of the municipality's own templates (``<kind>.typ``), looked up before
        ``templates``. As Typst reads only files under one root, an own template is compiled from a copy:
        a staging folder (made once per renderer, removed with it) holds the shipped top-level files
        (``layout.typ``, ``phrases.typ``) and the own folder as ``own/``, so ``../layout.typ`` imports
        work. The copy is taken when the first own template is compiled.
        """
        self.templates = Path(templates).resolve()
        self.own = Path(own).resolve() if own is not None else None
        self._stage: Path | None = None
        self.pdf_standards: list[PDFStandard] = list(pdf_standards)
        self._fonts = typst.Fonts(
            include_system_fonts=system_fonts,
            include_embedded_fonts=True,
            font_paths=[str(p) for p in font_paths],
        )
        self._compilers: dict[Path, typst.Compiler] = {}

    def template_for(self, standard: str, kind: LetterKind) -> Path:
        """The template that writes ``kind`` for ``standard``: the own folder's (if given and it has
        one), else the standard's shipped one, else the default."""
        if self.own is not None:
            mine = self.own / f"{kind.value}.typ"
            if mine.is_file():
                return mine
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
            file, line = self._where(error)
            raise LetterRenderError(
                template, self._describe(error), file=file, line=line, short=error.message
            ) from error
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
            if self.own is not None and template.is_relative_to(self.own):
                stage = self._staged()
                main = stage / OWN_STAGED / template.relative_to(self.own)
                compiler = typst.Compiler(str(main), root=str(stage), font_paths=self._fonts)
            else:
                compiler = typst.Compiler(str(template), root=str(self.templates), font_paths=self._fonts)
            self._compilers[template] = compiler
        return compiler

    def _staged(self) -> Path:
        """The staging folder of the own templates (see :meth:`__init__`), made on first use."""
        if self._stage is None:
            assert self.own is not None
            stage = Path(tempfile.mkdtemp(prefix="fhb-letters-")).resolve()
            weakref.finalize(self, shutil.rmtree, stage, True)
            for shared in self.templates.glob("*.typ"):
                shutil.copy2(shared, stage / shared.name)
            try:
                shutil.copytree(self.own, stage / OWN_STAGED)
            except OSError as error:
                raise LetterRenderError(self.own, f"cannot read the folder: {error}") from error
            self._stage = stage
        return self._stage

    def _real_path(self, shown: str) -> Path:
        """The file a path in a Typst diagnostic names, with the staging folder mapped back."""
        path = Path(os.path.normpath(Path.cwd() / shown))
        if self._stage is not None and self.own is not None and path.is_relative_to(self._stage):
            inside = path.relative_to(self._stage)
            if inside.parts[:1] == (OWN_STAGED,):
                return self.own.joinpath(*inside.parts[1:])
            return self.templates / inside
        return path

    def _where(self, error: typst.TypstError) -> tuple[Path | None, int | None]:
        found = _LOCATION.search(error.diagnostic)
        if found is None:
            return None, None
        return self._real_path(found["file"]), int(found["line"])

    def _describe(self, error: typst.TypstError) -> str:
        diagnostic = error.diagnostic.strip()
        found = _LOCATION.search(diagnostic)
        if found is not None:
            real = self._real_path(found["file"])
            diagnostic = diagnostic[: found.start("file")] + str(real) + diagnostic[found.end("file") :]
        parts = [diagnostic or error.message]
        parts += [f"hint: {hint}" for hint in error.hints]
        return "\n".join(parts)


_LOCATION = re.compile(r"┌─ (?P<file>[^\n]+?):(?P<line>\d+):(?P<column>\d+)")
"""Where a Typst diagnostic says the error is: ``┌─ ../templates/own/offer.typ:12:5``."""


_local = threading.local()


def render_pdf(letter: Letter, own: Path | None = None) -> bytes:
    """Render one letter with the shipped templates and, if given, the folder ``own`` of the
    municipality's own (one renderer per thread and folder, reused between calls)."""
    renderers: dict[Path | None, LetterRenderer] | None = getattr(_local, "renderers", None)
    if renderers is None:
        renderers = _local.renderers = {}
    renderer = renderers.get(own)
    if renderer is None:
        renderer = renderers[own] = LetterRenderer(own=own)
    return renderer.render(letter)
