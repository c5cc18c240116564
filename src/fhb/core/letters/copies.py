"""Render one stored copy of a letter: the PDF, and for Digital Post the MeMo message around it.

This is the unit of work the outbox hands to its render processes: plain data in, bytes out, no database.
Typst renders on one core and holds the GIL while it does, so the outbox spreads copies over processes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fhb.core.child_process import end_with_parent
from fhb.core.letters.codec import letter_from_json
from fhb.core.letters.memo import build_memo
from fhb.core.letters.print_batch import count_pages
from fhb.core.letters.render import LetterRenderer


@dataclass(frozen=True, slots=True)
class CopyJob:
    """One copy to render: the letter's stored content and who this copy is for."""

    key: int
    """The caller's id for the copy (the outbox's row id)."""
    content: dict[str, Any]
    message_uuid: uuid.UUID
    copy_for: str
    """The CPR of the recipient of this copy."""
    digital_post: bool
    title: str
    created: datetime


@dataclass(frozen=True, slots=True)
class RenderedCopy:
    key: int
    pdf: bytes = b""
    memo: bytes | None = None
    pages: int = 0
    error: str = ""
    """Why the copy could not be rendered (then the bytes are empty)."""


class CopyRenderer:
    """Renders copies with one :class:`LetterRenderer` (its compilers are reused between copies)."""

    def __init__(self, logo: bytes | None = None, logo_format: str = "", own: Path | None = None) -> None:
        self.renderer = LetterRenderer(own=own)
        self.logo, self.logo_format = logo, logo_format

    def __call__(self, job: CopyJob) -> RenderedCopy:
        try:
            letter = letter_from_json(job.content, logo=self.logo, logo_format=self.logo_format)
            pdf = self.renderer.render(letter)
            memo = None
            if job.digital_post:
                recipient = next(r for r in letter.recipients if r.cpr == job.copy_for)
                memo = build_memo(
                    letter,
                    pdf,
                    message_uuid=job.message_uuid,
                    created=job.created,
                    title=job.title,
                    recipient=recipient,
                )
            return RenderedCopy(job.key, pdf, memo, count_pages(pdf))
        except Exception as error:  # one bad letter must not stop the others
            return RenderedCopy(job.key, error=f"{type(error).__name__}: {error}")


_process_renderer: CopyRenderer | None = None


def init_process(
    logo: bytes | None, logo_format: str, parent_pid: int | None = None, own: Path | None = None
) -> None:
    """Initialiser of a render process: one renderer for all the copies it gets (``own``: the folder of the
    municipality's own templates, if any). Given the pid of the process that started it, the render
    process ends when that one ends, however it ends (:func:`fhb.core.child_process.end_with_parent`)."""
    global _process_renderer
    if parent_pid is not None:
        end_with_parent(parent_pid)
    _process_renderer = CopyRenderer(logo, logo_format, own)


def render_in_process(job: CopyJob) -> RenderedCopy:
    """Render ``job`` with the process's renderer (see :func:`init_process`)."""
    if _process_renderer is None:
        init_process(None, "")
    assert _process_renderer is not None
    return _process_renderer(job)
