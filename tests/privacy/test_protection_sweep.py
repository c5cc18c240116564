"""The sweep: a protected citizen's address appears nowhere but where it may.

With a protected citizen in the data (tests/privacy/protection_world.py), every role fetches every URL in
every format it offers (HTML, JSON, CSV, XLSX, PDF, ICS, SVG inside the pages, MeMo XML) and the admin's
lists, and the street with its number, the coordinates (three decimals) and the route map's dot for her
home must not be in the answer, its headers included. The address may be shown only to the consultant
assigned to her planned visit, on that visit's page and on her own day (``today``), and in the
right-of-access export, which is the citizen's own data.

A new URL fails the sweep until it has an entry in :data:`URLS` (how to fetch it) and, if it may show the
address, in :data:`MAY_SHOW` (to whom): as tests/web/test_access.py does for roles.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from fhb.citizens.importer import ImportFile, parse_extract
from fhb.citizens.preview import preview_extract
from fhb.events.models import ClubVisit, Event
from fhb.jobs.models import Job
from fhb.letters.models import Dispatch, Letter
from fhb.offers.assessments import referral_groups
from fhb.offers.models import Assessment, EligibilityRun, Request
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.stats.dashboard import dashboard
from fhb.stats.figures import Filters
from tests.citizens.builders import citizens_csv
from tests.conftest import PASSWORD
from tests.privacy.protection_world import PEOPLE, PROTECTED, ProtectionWorld, build_protection_world
from tests.web.test_access import POST_ONLY, our_url_names

pytestmark = pytest.mark.django_db

Urls = Callable[[ProtectionWorld], list[str]]


def one(name: str, *args: object) -> Urls:
    return lambda w: [reverse(name, args=list(args))]


def import_preview(w: ProtectionWorld) -> list[str]:
    """The preview of an extract that leaves the protected citizen out, and the job that made it."""
    extract = parse_extract(
        ImportFile("citizens.csv", citizens_csv([p for p in PEOPLE if p is not PROTECTED])), None
    )
    job = Job.objects.create(
        kind="import_preview",
        title="Forhåndsvisning af indlæsning: citizens.csv",
        state=Job.State.DONE,
        message="Forhåndsvisningen er klar.",
        params={"folder": "/ingen/steder", "citizens_name": "citizens.csv", "events_name": ""},
        result={"preview": preview_extract(extract, events_given=False, today=w.today).to_json()},
    )
    return [
        reverse("import-preview", args=[job.pk]),
        reverse("job-detail", args=[job.pk]),
        reverse("job-list"),
    ]


def stats_csv(w: ProtectionWorld) -> list[str]:
    board = dashboard(Filters(year=w.today.year), current_standard(), w.today)
    return [reverse("stats-csv", args=[table.key]) for table in board.tables]


def assessments_of_ella(w: ProtectionWorld) -> list[str]:
    """An open assessment of the protected citizen (a referral) and an ended one, and their pages."""
    group = referral_groups(current_standard())[0].id
    if not Assessment.objects.filter(citizen=w.ella).exists():
        for outcome in ("", "no_need"):
            Assessment.objects.create(
                citizen=w.ella,
                year=w.today.year,
                group=group,
                what="Naboen har set hende falde",
                known_on=w.today,
                deadline=w.today,
                due_to=w.today,
                origin="referral",
                referred_by="colleague",
                outcome=outcome,
                consultant=w.users["karen"],
            )
    return [reverse("assessment-detail", args=[a.pk]) for a in Assessment.objects.all()]


#: URL name -> the addresses to fetch (every format and object it offers). POST-only names are not
#: fetched: they answer a GET with 405 and show nothing.
URLS: dict[str, Urls] = {
    "home": one("home"),
    "worklist": lambda w: [reverse("worklist"), reverse("worklist") + "?consultant=team"],
    "citizen-list": lambda w: [
        reverse("citizen-list"),
        reverse("citizen-list") + "?q=Skjult",
        reverse("citizen-list") + "?q=Skjult+Vej",
        reverse("citizen-list") + "?q=9800",
        reverse("citizen-list") + "?in_extract=all",
    ],
    "citizen-detail": lambda w: [reverse("citizen-detail", args=[c.cpr]) for c in (w.ella, w.frede)],
    "citizen-export": lambda w: [reverse("citizen-export", args=[c.cpr]) for c in (w.ella, w.frede)],
    "import": one("import"),
    "import-run": lambda w: [reverse("import-run", args=[1])],
    "not-in-extract": one("not-in-extract"),
    "import-preview": import_preview,
    "job-detail": lambda w: [reverse("job-detail", args=[Job.objects.create(kind="x", title="Job").pk])],
    "job-list": one("job-list"),
    "run-list": one("run-list"),
    "run-detail": lambda w: [reverse("run-detail", args=[EligibilityRun.objects.get().pk])],
    "request-list": one("request-list"),
    "request-new": lambda w: [reverse("request-new", args=[w.ella.cpr])],
    "request-detail": lambda w: [reverse("request-detail", args=[r.pk]) for r in Request.objects.all()],
    "assessment-list": lambda w: [
        reverse("assessment-list") + query
        for query in ("", "?hvem=alle", "?hvem=alle&status=afsluttede")
        if assessments_of_ella(w)
    ],
    "assessment-detail": assessments_of_ella,
    "referral-new": lambda w: [reverse("referral-new", args=[c.cpr]) for c in (w.ella, w.frede)],
    "follow-up-list": one("follow-up-list"),
    "outbox": one("outbox"),
    "dispatch-detail": lambda w: [reverse("dispatch-detail", args=[d.pk]) for d in Dispatch.objects.all()],
    "letter-pdf": lambda w: [reverse("letter-pdf", args=[letter.uuid]) for letter in Letter.objects.all()],
    "letter-memo": lambda w: [reverse("letter-memo", args=[letter.uuid]) for letter in Letter.objects.all()],
    "plan-overview": one("plan-overview"),
    "plan-week": lambda w: [reverse("plan-week", args=[c.user_id]) for c in Consultant.objects.all()],
    "plan-day": lambda w: [reverse("plan-day", args=[c.user_id, w.today]) for c in Consultant.objects.all()],
    "visit-move": lambda w: [reverse("visit-move", args=[w.visit.pk])],
    "offer-slots": lambda w: [reverse("offer-slots", args=[w.offer.pk])],
    "offer-call": lambda w: [reverse("offer-call", args=[w.offer.pk])],
    "today": one("today"),
    "visit-detail": lambda w: [reverse("visit-detail", args=[w.visit.pk])],
    "journal-reads": lambda w: [reverse("journal-reads"), reverse("journal-reads") + f"?cpr={w.ella.cpr}"],
    "stats-dashboard": one("stats-dashboard"),
    "stats-csv": stats_csv,
    "stats-xlsx": one("stats-xlsx"),
    "stats-report": one("stats-report"),
    "dementia-queue": one("dementia-queue"),
    "forecast": lambda w: [reverse("forecast"), reverse("forecast") + "?first_year=2028&last_year=2029"],
    "forecast-compare": one("forecast-compare"),
    "event-list": one("event-list"),
    "event-new": one("event-new"),
    "event-detail": lambda w: [reverse("event-detail", args=[Event.objects.get().pk])],
    "event-edit": lambda w: [reverse("event-edit", args=[Event.objects.get().pk])],
    "event-register": lambda w: [
        reverse("event-register", args=[Event.objects.get().pk]) + "?q=Skjult",
        reverse("event-register", args=[Event.objects.get().pk]) + "?q=Ella",
    ],
    "event-attendance": lambda w: [reverse("event-attendance", args=[Event.objects.get().pk])],
    "club-visit-list": one("club-visit-list"),
    "club-visit-new": one("club-visit-new"),
    "club-visit-edit": lambda w: [reverse("club-visit-edit", args=[ClubVisit.objects.get().pk])],
    "consultant-ical": lambda w: [
        reverse("consultant-ical", args=[c.ical_token]) for c in Consultant.objects.all()
    ],
    "login": one("login"),
    "logout": lambda w: [],  # a POST that ends the session
    "health": one("health"),
}

#: URL name -> the users who may see the protected address there. Every other name: nobody.
MAY_SHOW: dict[str, set[str]] = {
    "visit-detail": {"karen"},
    "today": {"karen"},
    "citizen-export": {"leder", "admin"},
}

ROLES = ["anonymous", "karen", "kim", "demens", "leder", "admin"]


def text_of(body: bytes, content_type: str) -> str:
    """What a person (or a program) can read in an answer: a PDF's text, an XLSX's cells, any text."""
    if body.startswith(b"%PDF"):
        pages = PdfReader(io.BytesIO(body)).pages
        return "\n".join(page.extract_text() for page in pages) + body.decode("latin-1")
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    text = body.decode("utf-8", "replace")
    if content_type.startswith("text/calendar"):
        text = text.replace("\r\n ", "").replace("\n ", "")  # unfold iCalendar's folded lines
    return text


def admin_lists() -> list[str]:
    """The change lists of every model in the admin (the admin's change forms are not lists)."""
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def test_every_url_has_an_entry_in_the_sweep() -> None:
    missing = our_url_names() - set(URLS) - POST_ONLY
    assert not missing, f"add these URL names to URLS (and MAY_SHOW if they may show an address): {missing}"
    assert set(MAY_SHOW) <= set(URLS)


@pytest.mark.parametrize("role", ROLES)
def test_a_protected_address_is_shown_only_where_it_may_be(role: str) -> None:
    world = build_protection_world()
    client = Client()
    if role != "anonymous":
        assert client.login(username=role, password=PASSWORD)
    forbidden = world.forbidden()
    leaks, shown = [], []
    for name, urls in URLS.items():
        for url in urls(world):
            response = client.get(url)
            assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
            body = response.content if not response.streaming else b"".join(response.streaming_content)
            text = text_of(body, response.get("Content-Type", "")) + str(response.headers)
            found = [f for f in forbidden if f in text]
            if found and role in MAY_SHOW.get(name, set()):
                shown.append(url)
            elif found:
                leaks.append(f"{url}: {found}")
    if role == "admin":
        for url in admin_lists():
            text = client.get(url).content.decode("utf-8", "replace")
            leaks += [f"{url}: {f}" for f in forbidden if f in text]
    assert not leaks, f"{role} sees the protected address where nobody may:\n" + "\n".join(leaks)
    if role == "karen":
        assert any("/besoeg/" in u for u in shown) and "/idag/" in shown, (
            "the assigned consultant sees the address on the visit's page and her day"
        )
