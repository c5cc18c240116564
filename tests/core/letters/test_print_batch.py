"""The print batch: letters merged in order, each padded to an even page count for duplex printing."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from fhb.core.letters.print_batch import count_pages, print_batch

A4 = (595.0, 842.0)


def make_pdf(pages: int, width: float = A4[0], height: float = A4[1], title: str | None = None) -> bytes:
    """A small real PDF of blank pages, all of one size."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=height)
    if title is not None:
        writer.add_metadata({"/Title": title, "/Author": title})
        writer.add_outline_item(title=title, page_number=0)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_count_pages() -> None:
    assert [count_pages(make_pdf(n)) for n in (1, 2, 3)] == [1, 2, 3]


@pytest.mark.parametrize(("pages", "padded"), [(1, 2), (2, 2), (3, 4), (4, 4), (5, 6)])
def test_each_letter_is_padded_to_an_even_page_count(pages: int, padded: int) -> None:
    assert count_pages(print_batch([make_pdf(pages)])) == padded


def test_one_two_three_pages_give_two_two_four_in_order() -> None:
    # Each letter has its own page width, so the order of the pages shows the order of the letters.
    letters = [make_pdf(1, width=501), make_pdf(2, width=502), make_pdf(3, width=503)]
    batch = print_batch(letters)
    assert count_pages(batch) == 2 + 2 + 4
    assert [w for w, _ in page_sizes(batch)] == [501, 501, 502, 502, 503, 503, 503, 503]


def test_blank_page_has_the_size_of_the_letters_last_page_and_no_content() -> None:
    a5 = (420.0, 595.0)
    batch = print_batch([make_pdf(1, *a5), make_pdf(1, *A4)])
    assert page_sizes(batch) == [a5, a5, A4, A4]
    pages = PdfReader(io.BytesIO(batch)).pages
    assert pages[1].extract_text() == ""
    assert "/Contents" not in pages[1] or not pages[1].get_contents()


def test_same_letters_give_the_same_bytes() -> None:
    letters = [make_pdf(1), make_pdf(3, width=500), make_pdf(2)]
    assert print_batch(letters) == print_batch(list(letters))


def test_batch_carries_no_letter_metadata_or_bookmarks() -> None:
    # A letter's title could name the citizen; the batch must not repeat it outside the letter's pages.
    batch = print_batch([make_pdf(1, title="Brev til Anna Hansen")])
    reader = PdfReader(io.BytesIO(batch))
    assert b"Anna Hansen" not in batch
    assert reader.outline == []
    assert reader.metadata is None or reader.metadata.title is None


def test_empty_batch_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one letter"):
        print_batch([])


@pytest.mark.parametrize("bad", [b"", b"not a pdf", b"%PDF-1.7\nbroken"])
def test_unreadable_letter_is_named_by_its_number(bad: bytes) -> None:
    with pytest.raises(ValueError, match="letter 2 is not a readable PDF"):
        print_batch([make_pdf(1), bad])
    with pytest.raises(ValueError, match="not a readable PDF"):
        count_pages(bad)


def test_encrypted_letter_is_refused() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=A4[0], height=A4[1])
    writer.encrypt("hemmelig")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValueError, match="letter 1 is encrypted"):
        print_batch([out.getvalue()])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=6))
def test_every_letter_starts_on_the_front_of_a_sheet(counts: list[int]) -> None:
    widths = [400 + i for i in range(len(counts))]
    batch = print_batch([make_pdf(n, width=w) for n, w in zip(counts, widths, strict=True)])
    sizes = [w for w, _ in page_sizes(batch)]
    assert len(sizes) == sum(n + n % 2 for n in counts)
    start = 0
    for n, width in zip(counts, widths, strict=True):
        assert start % 2 == 0  # page start+1 is a front side
        assert sizes[start : start + n + n % 2] == [width] * (n + n % 2)
        start += n + n % 2
