"""Letters on paper: one PDF for the print service, each letter starting on a new sheet.

Citizens exempt from Digital Post get their letters on paper. A run's paper letters go to the print
service as one PDF (:func:`print_batch`). The print service prints on both sides of the paper, so a
letter with an odd number of pages is followed by a blank page: the next letter then starts on the front
of a new sheet and no sheet ever carries two citizens' letters. Each letter keeps its own address block
(the window-envelope field), so the batch needs and has no cover list of names or addresses.

The batch is made with pypdf. Its output is deterministic: the same letters give the same bytes. pypdf
writes no creation date, and a PDF's file identifier (``/ID``, which pypdf fills with random bytes) is
only written when the document is encrypted, which a print batch never is; a test checks this.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

__all__ = ["count_pages", "print_batch"]


def count_pages(pdf: bytes) -> int:
    """The number of pages of ``pdf``. Raises ValueError when it is not a readable, unencrypted PDF."""
    return len(_read(pdf, "the PDF").pages)


def print_batch(pdfs: Sequence[bytes]) -> bytes:
    """Merge letters, in the given order, into one PDF for duplex printing.

    A letter with an odd number of pages is followed by a blank page of the size of its last page, so
    every letter starts on the front of a new sheet. Only the pages are taken over: the letters'
    bookmarks (outlines) and document information (title, author...) are not, so nothing in the batch
    but the letters themselves names a citizen.

    Raises ValueError when ``pdfs`` is empty or a letter is not a readable, unencrypted PDF with at least
    one page (the message says which letter, counted from 1).
    """
    if not pdfs:
        raise ValueError("a print batch needs at least one letter")
    writer = PdfWriter()
    for number, pdf in enumerate(pdfs, start=1):
        reader = _read(pdf, f"letter {number}")
        pages = len(reader.pages)
        if pages == 0:
            raise ValueError(f"letter {number} has no pages")
        writer.append(reader, import_outline=False)
        if pages % 2:
            last = reader.pages[-1].mediabox
            writer.add_blank_page(width=float(last.width), height=float(last.height))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _read(pdf: bytes, what: str) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(pdf))
        encrypted = reader.is_encrypted
        if not encrypted:
            _ = len(reader.pages)  # walk the page tree now, so a broken one fails here
    except (PyPdfError, ValueError, OSError, KeyError, IndexError, TypeError, AttributeError) as error:
        raise ValueError(f"{what} is not a readable PDF: {error}") from None
    if encrypted:
        raise ValueError(f"{what} is encrypted")
    return reader
