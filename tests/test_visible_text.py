"""The visible-text helpers of the plain-Danish sweeps (tests/visible_text.py)."""

from __future__ import annotations

import uuid
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tests.visible_text import problems_in, shipped_group_ids, shipped_slugs, visible_text

GROUPS = shipped_group_ids()


def test_shipped_group_ids_hold_every_standards_groups_and_triggers() -> None:
    assert {"alone70", "age75", "age80", "age82plus", "risk"} <= GROUPS
    assert {"risk.bereavement", "risk.widow", "risk.isolation"} <= GROUPS, "triggers of all three standards"
    assert shipped_slugs() == {"hjoerring", "herning", "ishoej"}


def test_visible_text_leaves_out_scripts_styles_head_comments_hidden_and_attributes() -> None:
    html = (
        "<html><head><title>age80</title><style>.age75{}</style></head><body>"
        "<script>var d = '2027-01-01';</script><!-- 0e055ace-0000-4000-8000-000000000000 -->"
        "<p hidden>age82plus</p><input type='date' value='2027-10-11'><input type='hidden' value='alone70'>"
        "<a href='/borger/0101401234/' title='risk'>Anna</a></body></html>"
    )
    assert visible_text(html) == "Anna"


def test_visible_text_keeps_blocks_apart_and_inline_text_together() -> None:
    html = "<table><tr><td>Tilbud</td><td>2027</td></tr></table><p>fylder <b>82</b> den <em>11.</em> okt.</p>"
    assert visible_text(html) == "Tilbud\n2027\nfylder 82 den 11. okt."


def test_visible_text_of_a_fragment_and_of_options() -> None:
    assert visible_text("<select><option value='age80'>80-årige</option><option>Alle</option></select>") == (
        "80-årige\nAlle"
    )
    assert visible_text("") == ""


def test_group_ids_are_found_as_whole_words_only() -> None:
    assert problems_in("Tilbud 2027 · age80", group_ids=GROUPS)
    assert problems_in("Målgruppe: age75.", group_ids=GROUPS)
    assert problems_in("Udløser: risk.bereavement", group_ids=GROUPS)
    assert not problems_in("page80 age800 risikogruppe", group_ids=GROUPS)
    assert not problems_in("age80", group_ids=()), "no group ids given: nothing to look for"


def test_the_issues_examples_are_each_found() -> None:
    for text in (
        "Andre på adressen: ingen andre på adressen 0e055ace-1b2c-4d5e-8f90-a1b2c3d4e5f6",
        "fylder 82 den 2027-10-11",
        "kvalitetsstandarden hjoerring",
        "CPR 0101401234",
    ):
        assert problems_in(text, group_ids=GROUPS), text


def test_plain_danish_passes() -> None:
    text = (
        "Herning Kommune, kvalitetsstandarden godkendt 6. februar 2024. Anna fylder 82 den 11. oktober 2027"
        " (11.10.2027). CPR 010140-1234. Brev 0E05-5ACE."
        " Skriv til forebyggelse@herning.dk eller se herning.dk."
        " Telefon 96 28 28 28, 12345678. 82-årige og ældre."
    )
    assert problems_in(text, group_ids=GROUPS) == []


@given(st.uuids())
def test_any_uuid_is_found(value: uuid.UUID) -> None:
    assert problems_in(f"brev-id: {value}"), value
    assert problems_in(f"brev-id: {str(value).upper()}."), value


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_any_iso_date_is_found_and_its_danish_forms_are_not(day: date) -> None:
    assert problems_in(f"den {day.isoformat()}."), day
    assert not problems_in(f"den {day:%d.%m.%Y} og {day.day}. {day.month}. {day.year}"), day


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, 9999))
def test_a_cpr_is_found_bare_and_passes_formatted(birth: date, serial: int) -> None:
    digits = f"{birth:%d%m%y}{serial:04d}"
    assert problems_in(f"CPR {digits}"), digits
    assert not problems_in(f"CPR {digits[:6]}-{digits[6:]}"), digits


@given(st.sampled_from(sorted(shipped_slugs())), st.sampled_from([" ", ", ", ". ", "\n"]))
def test_a_slug_is_found_as_a_word_but_not_in_addresses_or_names(slug: str, after: str) -> None:
    assert problems_in(f"standarden {slug}{after}godkendt"), slug
    assert not problems_in(f"se www.{slug}.dk eller skriv til post@{slug}.dk"), slug
    assert not problems_in(f"{slug.capitalize()} Kommune"), slug


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_a_short_date_without_leading_zeros_is_found(day: date) -> None:
    unpadded = f"{day.day}.{day.month}.{day.year}"
    assert bool(problems_in(f"besøg {unpadded} 10:00")) == (day.day < 10 or day.month < 10), unpadded


def test_times_long_dates_and_padded_dates_are_not_short_dates_without_zeros() -> None:
    text = "Kl. 9.00–9.45, 7. december 2026, 07.12.2026 10:00, mandag 06.05., 1.234.567 kr., version 1.2.3"
    assert problems_in(text) == []
