"""Plain Danish in every output (issue 21): no internal name in what a person reads.

Every page, fetched with Django's test client as the roles that may see it in the worlds of the access
sweep (tests/web/test_access.py) and the protection sweep (tests/privacy/test_protection_sweep.py) under
each shipped standard, and every letter kind of every shipped standard, must show no group or trigger id
of a standard, no UUID, no ISO date, no CPR number without its hyphen, no short date without leading
zeros and no standard's slug in its visible text (tests/visible_text.py). The browser tests run the same
check on the pages they visit.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import date

import pytest
from django.template import Context, Template
from django.test import Client
from pypdf import PdfReader

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.templatetags.citizens import cpr, plain_danish
from fhb.core.letters import LetterKind, LetterRenderer
from fhb.core.letters.texts import short_reference
from fhb.offers.actions import start_run
from fhb.planning.booking import daydate
from fhb.standards.current import current_standard, standard_named
from tests.citizens.builders import BASE, citizens_csv
from tests.conftest import PASSWORD
from tests.core.letters.test_render import make_letter
from tests.privacy.protection_world import USERS, build_protection_world
from tests.privacy.test_protection_sweep import URLS
from tests.visible_text import problems_in, shipped_group_ids, shipped_slugs, visible_text
from tests.web.test_access import EXPECTED, POST_ONLY, case_work, url_for

pytestmark = pytest.mark.django_db


#: Text in a machine format that a page lets a person edit as it is: the forecast's comparison shows the
#: standard in force as its TOML file (ids, ISO dates and all), to be edited into a proposal.
MACHINE_TEXT = re.compile(r'<textarea[^>]*name="standard_text"[^>]*>.*?</textarea>', re.DOTALL)

#: Pages of the access world that serve made-up bytes (its letter is ``%PDF-1.7 test``, no real PDF); the
#: protection world renders real letters and checks them.
FAKE_BYTES = {"letter-pdf", "letter-memo"}


def readable_text(body: bytes, content_type: str) -> str | None:
    """What a person reads in an answer: an HTML page's visible text or a PDF's text; None for other
    formats (CSV, XLSX, iCalendar, MeMo XML are read by programs)."""
    if body.startswith(b"%PDF"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if content_type.startswith("text/html"):
        return visible_text(MACHINE_TEXT.sub("", body.decode("utf-8")))
    return None


def offences_on(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code < 500, f"{url}: {response.status_code}"
    if response.status_code != 200:
        return []
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    text = readable_text(body, response.get("Content-Type", ""))
    if text is None:
        return []
    return [f"{url}: {problem}" for problem in problems_in(text, group_ids=shipped_group_ids())]


@pytest.mark.parametrize("standard", sorted(shipped_slugs()))
@pytest.mark.parametrize("user", sorted(USERS))
def test_every_page_of_the_protection_world_is_in_plain_danish(settings, user: str, standard: str) -> None:  # type: ignore[no-untyped-def]
    settings.FHB_STANDARD = standard
    world = build_protection_world()
    client = Client()
    assert client.login(username=user, password=PASSWORD)
    found = [problem for urls in URLS.values() for url in urls(world) for problem in offences_on(client, url)]
    assert not found, f"internal names on the pages {user} sees under {standard}:\n" + "\n".join(found)


@pytest.mark.parametrize("standard", sorted(shipped_slugs()))
@pytest.mark.parametrize("role", ["consultant", "dementia_coordinator", "leader", "admin"])
def test_every_page_of_the_access_world_is_in_plain_danish(
    client, make_user, settings, role: str, standard: str
) -> None:  # type: ignore[no-untyped-def]
    settings.FHB_STANDARD = standard
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    case_work()
    make_user(role)
    assert client.login(username=role, password=PASSWORD)
    found = [
        problem
        for name, allowed in EXPECTED.items()
        if name not in POST_ONLY | FAKE_BYTES | {"logout"}
        and (allowed is None or role in allowed or role == "admin")
        for problem in offences_on(client, url_for(name))
    ]
    assert not found, f"internal names on the pages a {role} sees under {standard}:\n" + "\n".join(found)


RENDERER = LetterRenderer()


@pytest.mark.parametrize("joint", [False, True], ids=["one", "couple"])
@pytest.mark.parametrize("standard", sorted(shipped_slugs()))
@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_letter_kind_is_in_plain_danish(kind: LetterKind, standard: str, joint: bool) -> None:
    letter = make_letter(kind, standard, joint=joint, reference=str(uuid.uuid4()))
    pdf = RENDERER.render(letter)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    found = problems_in(text, group_ids=shipped_group_ids())
    assert not found, f"internal names in the {kind.value} letter of {standard}:\n" + "\n".join(found)


def test_a_letter_prints_a_short_reference_that_finds_it() -> None:
    reference = "0e055ace-1b2c-4d5e-8f90-a1b2c3d4e5f6"
    assert short_reference(reference) == "0E05-5ACE"
    assert short_reference("FHB-2027-000123") == "FHB-2027-000123", "a reference of another form is kept"


def test_a_group_is_named_once_not_twice() -> None:
    herning = next(g for g in standard_named("herning").groups if g.id == "age82plus")
    assert herning.name == "82-årige og ældre: mindst ét tilbud hvert år", "the label not said twice"
    hjoerring = next(g for g in standard_named("hjoerring").groups if g.id == "age80")
    assert hjoerring.name == "Målgruppe 3: Alle borgere i det år de fylder 80"


def test_a_reason_is_shown_with_danish_dates_and_a_formatted_cpr() -> None:
    reason = "Målgruppe 4: fylder 82 den 2027-10-11 — hos ægtefællen 0101401234"
    assert plain_danish(reason) == "Målgruppe 4: fylder 82 den 11. oktober 2027 — hos ægtefællen 010140-1234"
    assert cpr("0101401234") == "010140-1234" and cpr("ukendt") == "ukendt"


def test_short_dates_have_leading_zeros_and_long_dates_a_month_name() -> None:
    new_year = date(2027, 1, 1)
    assert Template('{{ d|date:"SHORT_DATE_FORMAT" }}').render(Context({"d": new_year})) == "01.01.2027"
    assert Template('{{ d|date:"DATE_FORMAT" }}').render(Context({"d": new_year})) == "1. januar 2027"
    assert daydate(date(2027, 5, 6)) == "06.05.2027", "messages and job titles write the table's form"
