"""Hostile input to every page: missing, oversized and malformed values, ids that do not exist, and
another user's things. No page may fail (a 500), echo ``<script>`` unescaped, or store half an import.

The pages are found as a user finds them: every URL name of tests/web/test_access.py is opened as the user,
the forms and links on the pages are read (a small HTML parser), and each form is sent back with one field
at a time replaced by a malformed value; the links' query parameters get the same. Forms no page of the
small world shows are sent with their fields from the form classes. Each request's changes are rolled
back, so every request meets the same world. Problems are collected and reported together, one line each.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from typing import Any, cast
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhb.accounts.models import User
from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import CareEvent, Citizen, Dwelling, ImportRun
from fhb.core.population.model import InvalidInput
from fhb.events.forms import ClubVisitForm, OfferSignUpForm, RegistrationForm
from fhb.events.models import Event, Registration
from fhb.journal.forms import NoteForm, WithdrawForm
from fhb.journal.models import Consent, JournalNote
from fhb.offers.actions import start_run
from fhb.offers.forms import AnswerForm, VisitTimeForm
from fhb.offers.models import FollowUp, Offer
from fhb.pages.not_in_extract import DecisionForm
from fhb.planning.forms import BookSlotForm
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.forms import CancelledForm, ClosedDoorForm, DeclinedForm, HeldForm, InterpreterForm
from fhb.visits.models import Visit
from tests.citizens.builders import BASE, BASE_EVENTS, citizens_csv, events_csv, person
from tests.conftest import PASSWORD, rolled_back_block, run_queued_jobs
from tests.web.test_access import EXPECTED, POST_ONLY, case_work, url_for

pytestmark = pytest.mark.django_db

PROBE = "<script>"
#: What a careless or hostile user types into a field.
MALFORMED = [
    "",
    "x" * 10_000,
    "-1",
    "99999999999999999999",
    "2027-13-45",
    PROBE,
    "' OR 1=1 --",
    "\x00",
    "ÆØÅ",
]
#: Fewer values, for a second role's sweep (the code is the same; what differs by role is what it allows).
SOME = ["", "x" * 10_000, "99999999999999999999", PROBE, "\x00"]
#: Dates and weeks at the ends of the calendar, for date fields and the links' parameters (?dag=, ?uge=): a
#: page that shows the day before or the week after must not step off the calendar.
EDGES = ["0001-01-01", "9999-12-31", "9999-12-31T23:59", "0001-W01"]
DATE_INPUTS = {"date", "datetime-local", "time", "week", "month"}
#: Where a form's ``next`` (the page to go back to) must never lead.
OFF_SITE = ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
#: The statuses a page may answer malformed input with: the page with a form error, a redirect with a
#: message, a refusal, no such thing, not this method.
CALM = {200, 302, 400, 403, 404, 405}

#: Failures the sweep finds and that are known but not fixed yet (URL name -> exception), each with a strict
#: xfail test that fails once it is fixed. Empty: every failure found is fixed.
KNOWN: dict[str, str] = {}

#: A citizen with name and address protection, and no visit: only an administrator sees her street.
PROTECTED = person("0505451239", "Petra Skjult", "adr-7", street="Hemmelig Allé 7", address_protected="1")

#: Pages that take no input but their address (their id is tried in test_ids_that_do_not_exist_give_404).
NO_INPUT = {
    "home",
    "citizen-detail",
    "citizen-export",
    "import",
    "import-run",
    "job-list",
    "job-detail",
    "run-detail",
    "request-list",
    "outbox",
    "dispatch-detail",
    "letter-pdf",
    "letter-memo",
    "closed-door-note",
    "plan-overview",
    "plan-day",
    "consultant-ical",
    "offer-slots",
    "visit-detail",
    "dementia-queue",
    "stats-csv",
    "stats-xlsx",
    "stats-report",
    "event-detail",
    "login",
    "logout",
    "health",
}

#: Forms a page of the world may not show (the journal note needs a consent in force, a sign-up a search
#: first, the interpreter a standard that offers one): their fields, read from the form classes, are sent
#: when no page showed the form.
FORM_FIELDS: dict[str, list[str]] = {
    "journal-note-new": [*NoteForm.base_fields],
    "event-register": [*RegistrationForm.base_fields],
    "visit-interpreter": [*InterpreterForm.base_fields],
    "club-visit-new": [*ClubVisitForm.base_fields],
    "consent-withdraw": [*WithdrawForm.base_fields],
    "visit-outcome": [
        "outcome",
        *HeldForm.base_fields,
        *ClosedDoorForm.base_fields,
        *DeclinedForm.base_fields,
        *CancelledForm.base_fields,
    ],
    "offer-answer": list(AnswerForm.base_fields),
    "offer-sign-up": list(OfferSignUpForm.base_fields),
    "offer-visit-time": list(VisitTimeForm.base_fields),
    "offer-slot-book": list(BookSlotForm.base_fields),
    # the world has no citizen missing from the extract, so the list shows no decision form
    "not-in-extract": list(DecisionForm.base_fields),
}


# --------------------------------------------------------------------------------------------------
# The world, and a client that collects what goes wrong
# --------------------------------------------------------------------------------------------------


def build_world() -> dict[str, str]:
    """test_access's world (a run, a request, a visit, a dispatch and letter, a planning consultant, an
    event, a club visit) and a protected citizen, a consent, a sign-up, a follow-up and an offer handed to
    the dementia coordinator; returns each URL name's address in it."""
    import_extract(
        ImportFile("citizens.csv", citizens_csv([*BASE, PROTECTED])),
        ImportFile("events.csv", events_csv(BASE_EVENTS)),
    )
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    case_work()
    offer = Offer.objects.first()
    assert offer is not None
    citizen = offer.citizen
    Consent.objects.create(citizen=citizen, kind=Consent.Kind.DOCUMENTATION, given_on=date(2027, 1, 5))
    Registration.objects.create(
        event=Event.objects.get(), citizen=citizen, registered_on=date(2027, 2, 1), channel="phone"
    )
    FollowUp.objects.create(offer=offer, due=date(2027, 5, 1), note="Ring igen")
    handed_over = Offer.objects.create(
        citizen=Citizen.objects.get(cpr=PROTECTED["cpr"]),
        year=2027,
        group="risk",
        decision=Offer.Decision.DEMENTIA_COORDINATOR,
        due_from=date(2027, 1, 1),
        due_to=date(2027, 12, 31),
        reason="Demens",
        rule_id="handover.dementia",
    )
    urls = {name: url_for(name) for name in EXPECTED if name not in ("logout",)}
    # test_access gives these pages an id it never looks up (they refuse a GET first): use real ones
    urls["consent-withdraw"] = reverse("consent-withdraw", args=[Consent.objects.get().pk])
    urls["dementia-take"] = reverse("dementia-take", args=[handed_over.pk])
    urls["registration-cancel"] = reverse("registration-cancel", args=[Registration.objects.get().pk])

    # A visit today and a seniormesse yesterday: their pages then show the forms of what happened (the
    # visit's outcome, the attendance), which wait for the day.
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time(9)))
    visit = Visit.objects.create(
        start=start, end=start + timedelta(hours=1), consultant=User.objects.get(username="planner")
    )
    waiting = Offer.objects.filter(visits__isnull=True, decision=Offer.Decision.OFFER).last()
    assert waiting is not None
    visit.offers.add(waiting)
    fair = Event.objects.create(
        activity="seniormesse",
        name="Seniormesse i går",
        place="Hallen",
        start=start - timedelta(days=1),
        end=start - timedelta(hours=21),
    )
    Registration.objects.create(event=fair, citizen=citizen, registered_on=today, channel="phone")
    for name in ("visit-detail", "visit-outcome", "visit-interpreter", "closed-door-note", "visit-move"):
        urls[name] = reverse(name, args=[visit.pk])
    for name in ("event-detail", "event-attendance"):
        urls[name] = reverse(name, args=[fair.pk])
    # The citizen with an offer and a consent: her page shows the answer, time and journal forms.
    for name in ("citizen-detail", "citizen-export", "home-notes", "journal-note-new", "consent-new"):
        urls[name] = reverse(name, args=[citizen.cpr])
    # An offer made by phone: its call page shows the form to record a call (issue 20).
    by_phone = Offer.objects.create(
        citizen=citizen,
        year=2027,
        group=offer.group,
        decision=Offer.Decision.OFFER,
        letter=Offer.Letter.PHONE,
        response=Offer.Response.OPT_OUT,
        due_from=date(2027, 3, 1),
        due_to=date(2027, 12, 31),
        reason="Tilbud ved telefonopkald",
        rule_id=offer.rule_id,
    )
    urls["offer-call"] = reverse("offer-call", args=[by_phone.pk])
    urls["offer-sign-up"] = reverse("offer-sign-up", args=[offer.pk])
    return urls


def log_in(role: str, username: str | None = None) -> Client:
    User.objects.create_user(username=username or role, password=PASSWORD, role=role)
    client = Client()
    assert client.login(username=username or role, password=PASSWORD)
    return client


def url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).url_name
    except Resolver404:
        return None


@dataclass
class Prober:
    """Sends requests; records every 500, exception, unescaped probe and unexpected status."""

    client: Client
    problems: list[str] = field(default_factory=list)
    sent: int = 0
    #: Text that must never appear in a page this user sees.
    secrets: tuple[str, ...] = ()
    #: Failures of KNOWN seen (not counted as problems).
    known: list[str] = field(default_factory=list)

    def send(
        self,
        method: str,
        path: str,
        data: dict[str, Any] | None = None,
        *,
        what: str = "",
        calm: set[int] = CALM,
        keep: bool = False,
    ) -> HttpResponse | None:
        """One request; unless ``keep``, what it stores is rolled back afterwards, so every request meets the
        same world (a first valid answer must not close the offer the next malformed one is about)."""
        label = f"{method.upper()} {path[:120]} {what}".strip()
        with rolled_back_block():
            response = self.request(method, path, data, label, calm)
            if (
                response is not None
                and method == "post"
                and response.status_code == 302
                and PROBE in (data or {}).values()
                and url_name(response["Location"])
            ):
                # the message about the input is shown on the next page
                self.request("get", response["Location"], None, f"{label}, then the page it led to", CALM)
            transaction.set_rollback(not keep)
        return response

    def request(
        self, method: str, path: str, data: dict[str, Any] | None, label: str, calm: set[int]
    ) -> HttpResponse | None:
        self.sent += 1
        try:
            # A savepoint: a request that breaks the transaction (PostgreSQL) must not break the next one.
            with rolled_back_block():
                send = self.client.get if method == "get" else self.client.post
                response = cast(HttpResponse, send(path, data or {}))
        except Exception as error:  # the test client re-raises what the view raised: a 500 in production
            problem = f"{label}: {type(error).__name__}: {str(error)[:160]}"
            known = KNOWN.get(url_name(path) or "") == type(error).__name__
            (self.known if known else self.problems).append(problem)
            return None
        if response.status_code not in calm:
            self.problems.append(f"{label}: status {response.status_code}")
        if response.status_code in (301, 302) and urlsplit(response["Location"]).netloc not in (
            "",
            "testserver",
        ):
            self.problems.append(f"{label}: redirects off the site to {response['Location']}")
        if response.status_code in (301, 302) and response["Location"].startswith("javascript:"):
            self.problems.append(f"{label}: redirects to {response['Location']}")
        self.check_body(response, label)
        return response

    def check_body(self, response: HttpResponse, label: str) -> None:
        if getattr(response, "streaming", False):
            return
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode("utf-8", errors="replace")
            if PROBE in body:
                self.problems.append(f"{label}: {PROBE} unescaped in the page")
            for secret in self.secrets:
                if secret in body:
                    self.problems.append(f"{label}: shows {secret!r}")

    def assert_none(self) -> None:
        shown = "\n".join(self.problems[:60])
        more = f"\n... and {len(self.problems) - 60} more" if len(self.problems) > 60 else ""
        assert not self.problems, f"{len(self.problems)} problems in {self.sent} requests:\n{shown}{more}"


# --------------------------------------------------------------------------------------------------
# Reading the pages: forms and links
# --------------------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    #: Field name -> the values a browser would send unchanged (several for a multiple choice).
    values: dict[str, list[str]] = field(default_factory=dict)
    #: Names sent only by a button or a file input: fuzzed, not sent by default.
    extra: set[str] = field(default_factory=set)
    #: Fields that take a date or a time (they get the calendar's ends too).
    dates: set[str] = field(default_factory=set)

    def key(self) -> tuple[str, str | None, tuple[str, ...]]:
        return (self.method, url_name(self.action), tuple(sorted({*self.values, *self.extra})))


class PageReader(HTMLParser):
    """The forms (with the values they would send) and the links of a page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            method = "post" if (a.get("method") or "get").lower() == "post" else "get"
            self._form = Form(urljoin(self.page, a.get("action") or self.page), method)
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))
        elif self._form is not None and a.get("name"):
            self.field(self._form, tag, a)

    def field(self, form: Form, tag: str, a: dict[str, str]) -> None:
        name = a["name"]
        kind = a.get("type", "text").lower()
        if kind in DATE_INPUTS:
            form.dates.add(name)
        if tag == "input":
            if kind in ("submit", "button", "image", "reset", "file"):
                form.extra.add(name)
            elif kind in ("checkbox", "radio"):
                form.values.setdefault(name, [])
                if "checked" in a:
                    form.values[name].append(a.get("value") or "on")
            else:
                form.values[name] = [a.get("value", "")]
        elif tag == "button":
            form.extra.add(name)
        elif tag == "select":
            self._select = (name, [], [])
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            self._form.values[name] = selected or options[:1]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.values[self._textarea] = ["".join(self._text).lstrip("\n")]
            self._textarea = None


def read_page(path: str, response: HttpResponse | None) -> PageReader:
    reader = PageReader(path)
    if response is not None and response.get("Content-Type", "").startswith("text/html"):
        reader.feed(response.content.decode("utf-8", errors="replace"))
    return reader


def variants(
    values: dict[str, list[str]], names: set[str], dates: set[str], malformed: list[str], edges: list[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The form as it is with one field at a time set to each ``malformed`` value (and a date field to the
    ends of the calendar)."""
    for name in sorted(names):
        if name == "csrfmiddlewaretoken":
            continue
        elsewhere = OFF_SITE if name == "next" else []
        for bad in malformed + (edges if name in dates else []) + elsewhere:
            data: dict[str, Any] = {k: v for k, v in values.items() if v}
            data[name] = bad
            yield f"{name}={bad[:20]!r}", data


# --------------------------------------------------------------------------------------------------
# Every page, every form, every parameter
# --------------------------------------------------------------------------------------------------


def sweep(
    prober: Prober, urls: dict[str, str], role: str, malformed: list[str], edges: list[str]
) -> set[tuple[str, str]]:
    """Open every page the role may see, send its forms and links back with malformed values; returns the
    (method, URL name) that got malformed values."""
    allowed = [n for n, roles in EXPECTED.items() if n in urls and (roles is None or role in roles)]
    pages: dict[str, PageReader] = {}
    for name in allowed:
        path = urls[name]
        if name in POST_ONLY:
            prober.send("post", path, what="(no fields)")  # (a) nothing at all
            continue
        response = prober.send("get", path)
        prober.send("get", path, {PROBE: PROBE, "page": "-1", "side": "\x00"}, what="(unknown parameters)")
        pages[name] = read_page(path, response)

    fuzzed: set[tuple[str, str]] = set()
    done: set[tuple[str, str | None, tuple[str, ...]]] = set()
    forms = [form for reader in pages.values() for form in reader.forms]
    for form in forms:
        target = url_name(form.action)
        if target in (None, "logout", "login", "import") or form.key() in done:
            continue
        done.add(form.key())
        fuzzed.add((form.method, target))
        prober.send(form.method, form.action, {}, what="(no fields)")
        for what, data in variants(form.values, {*form.values, *form.extra}, form.dates, malformed, edges):
            prober.send(form.method, form.action, data, what=what)

    # Query parameters the pages link with (?uge=, ?dag=, ?year=, ?side=, ...).
    params: dict[str, tuple[str, set[str]]] = {}
    for reader in pages.values():
        for link in reader.links:
            parts = urlsplit(link)
            target = url_name(parts.path)
            if target in urls and target not in ("logout",) and parts.query:
                names = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
                params.setdefault(target, (parts.path, set()))[1].update(names)
    for target, (path, names) in sorted(params.items()):
        fuzzed.add(("get", target))
        for what, data in variants({}, names, names, malformed, edges):
            prober.send("get", path, data, what=what)

    # Forms the world does not show, from their classes.
    for target, fields in FORM_FIELDS.items():
        if target in allowed and ("post", target) not in fuzzed:
            fuzzed.add(("post", target))
            for what, data in variants({}, set(fields), set(), malformed, edges):
                prober.send("post", urls[target], data, what=what)
    return fuzzed


@pytest.mark.parametrize("role", ["admin", "consultant"])
def test_every_page_survives_malformed_values(role: str) -> None:
    urls = build_world()
    prober = Prober(log_in(role))
    if role == "admin":
        fuzzed = sweep(prober, urls, role, MALFORMED, EDGES)
    else:
        fuzzed = sweep(prober, urls, role, SOME, [])
    prober.assert_none()
    if role == "admin":
        # the pages that take input must have been reached, or the sweep proves nothing about them
        takes_input = [n for n in EXPECTED if n not in NO_INPUT]
        missed = [n for n in takes_input if ("get", n) not in fuzzed and ("post", n) not in fuzzed]
        assert not missed, f"no form or parameter of {missed} was found to send malformed values to"


# --------------------------------------------------------------------------------------------------
# Ids and paths that do not exist
# --------------------------------------------------------------------------------------------------

#: What to put in a path argument instead of an id that exists, by converter.
_MISSING = {
    "IntConverter": ["999999", "0", "99999999999999999999"],
    "CprConverter": ["0101010000", "3113990000", "010101-0000", "x", PROBE, "' OR 1=1 --", "ÆØÅ", "\x00"],
    "UUIDConverter": [str(uuid.UUID(int=1))],
    "IsoDateConverter": ["2027-13-45", "0000-00-00"],
    "TokenConverter": ["A" * 16, "-" * 64],
    "SlugConverter": ["findes-ikke"],
}
#: Dates at the edge of the calendar: the page is there, its previous and next day are not.
_EDGE_DATES = ["0001-01-01", "9999-12-31"]


def our_patterns() -> Iterator[tuple[str, str, URLPattern]]:
    """(url name, route prefix, pattern) of every named pattern outside the admin."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, str, URLPattern]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "admin":
                    yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                yield p.name, prefix, p

    yield from walk(get_resolver().url_patterns, "")


def with_argument(path: str, name: str, value: str) -> str:
    """``path`` (an address of URL ``name``) with its argument ``name`` replaced (quoted) by ``value``."""
    from urllib.parse import quote

    match = resolve(path)
    original = str(match.kwargs[name])
    if isinstance(match.kwargs[name], date):
        original = match.kwargs[name].isoformat()
    quoted = quote(original, safe="")
    assert quoted in path, (path, original)
    before, _, after = path.rpartition(quoted) if name == list(match.kwargs)[-1] else path.partition(quoted)
    return before + quote(value, safe="") + after


@pytest.mark.parametrize("role", ["admin", "consultant"])
def test_ids_that_do_not_exist_give_404(role: str) -> None:
    urls = build_world()
    prober = Prober(log_in(role))
    checked = 0
    for name, _prefix, pattern in our_patterns():
        roles = EXPECTED[name]
        if name not in urls or (roles is not None and role not in roles):
            continue
        method = "post" if name in POST_ONLY else "get"
        for argument, converter in pattern.pattern.converters.items():
            for value in _MISSING[type(converter).__name__]:
                checked += 1
                prober.send(method, with_argument(urls[name], argument, value), calm={404})
            if type(converter).__name__ == "IsoDateConverter":
                for value in _EDGE_DATES:
                    prober.send(method, with_argument(urls[name], argument, value), calm={200, 404})
    prober.assert_none()
    assert checked > 50, f"only {checked} missing ids tried: did the URL patterns change?"


# --------------------------------------------------------------------------------------------------
# Another user's things
# --------------------------------------------------------------------------------------------------


def test_a_consultant_sees_no_protected_address_and_no_colleagues_feed() -> None:
    """Across every page a consultant may open, and a search for the street: the protected citizen's street
    (she has no visit there) and a colleague's calendar token never show."""
    urls = build_world()
    colleague = Consultant.objects.get()
    prober = Prober(log_in("consultant"), secrets=(PROTECTED["street"], colleague.ical_token))
    for name, roles in EXPECTED.items():
        if name in urls and name not in POST_ONLY and roles is not None and "consultant" in roles:
            prober.send("get", urls[name])
    prober.send("get", reverse("citizen-detail", args=[PROTECTED["cpr"]]))
    response = prober.send("get", reverse("citizen-list"), {"q": "Hemmelig", "in_extract": "all"})
    assert response is not None and PROTECTED["name"] not in response.content.decode()
    prober.assert_none()
    # the secrets are where they may be (the citizen's own right-of-access export): the check above looked
    # for the right text
    export = log_in("admin").get(reverse("citizen-export", args=[PROTECTED["cpr"]])).content.decode()
    assert PROTECTED["street"] in export, "the right-of-access export lacks the citizen's own address"
    planner = Client()
    assert planner.login(username="planner", password=PASSWORD)
    own_week = planner.get(urls["plan-week"]).content.decode()
    assert colleague.ical_token in own_week, "the consultant's own week does not show her feed"


def test_a_consultant_cannot_act_as_leader_or_coordinator_nor_reset_a_colleagues_feed() -> None:
    urls = build_world()
    colleague = Consultant.objects.get()
    token = colleague.ical_token
    handed_over = Offer.objects.get(decision=Offer.Decision.DEMENTIA_COORDINATOR)
    prober = Prober(log_in("consultant"))
    refused = {
        reverse("ical-reset", args=[colleague.user_id]): {},
        reverse("dementia-take", args=[handed_over.pk]): {},
        urls["send-run"]: {},
        urls["plan-run"]: {"first": "2027-03-01", "weeks": "1"},
        urls["event-new"]: {"activity": "x", "name": "x", "place": "x", "day": "2027-05-01"},
        urls["import"]: {},
        urls["forecast-compare"]: {"first_year": "2027", "last_year": "2028", "standard_text": "x"},
    }
    for path, data in refused.items():
        prober.send("post", path, data, calm={403}, keep=True)
    prober.assert_none()
    colleague.refresh_from_db()
    handed_over.refresh_from_db()
    assert colleague.ical_token == token, "a consultant gave a colleague's calendar a new address"
    assert handed_over.coordinator_id is None, "a consultant took over a dementia case"


def test_times_at_the_ends_of_the_calendar_are_refused() -> None:
    """Every form that plans or records a time, with a time in year 1 or 9999 and otherwise sound values."""
    urls = build_world()
    open_offer = Offer.objects.filter(visits__isnull=True, decision=Offer.Decision.OFFER).first()
    assert open_offer is not None
    consultant = str(Consultant.objects.get().user_id)
    forms: list[tuple[str, dict[str, str], str]] = [
        (reverse("offer-visit-time", args=[open_offer.pk]), {}, "start"),
        (urls["offer-answer"], {"reply": "yes", "channel": "phone", "received": "2027-01-05"}, "new_start"),
        (reverse("offer-slot-book", args=[open_offer.pk]), {"consultant": consultant}, "start"),
        (urls["visit-outcome"], {"outcome": "held", "minutes": "60", "another_visit": "on"}, "next_start"),
        (urls["visit-outcome"], {"outcome": "closed_door"}, "note_left_at"),
        (
            urls["visit-outcome"],
            {"outcome": "cancelled", "by": "us", "told": "phone", "reason": "Syg"},
            "new_start",
        ),
        (urls["visit-move"], {"consultant": consultant, "time": "10:00"}, "day"),
        (urls["plan-run"], {"weeks": "1"}, "first"),
        (urls["request-new"], {"came_from": "citizen", "channel": "phone"}, "received"),
    ]
    prober = Prober(log_in("admin"))
    for path, data, name in forms:
        for edge in EDGES:
            prober.send("post", path, {**data, name: edge}, what=f"{name}={edge}")
    prober.assert_none()


def test_a_follow_up_is_done_only_with_sound_values() -> None:
    build_world()
    follow_up = FollowUp.objects.get()
    prober = Prober(log_in("consultant"))
    for bad in MALFORMED:
        for data in (
            {"pk": bad, "action": "done"},
            {"pk": follow_up.pk, "action": bad, "note": "Ringet"},
            {"pk": follow_up.pk, "action": "done", "note": bad},
        ):
            prober.send("post", reverse("follow-up-list"), data, what=str(data)[:40])
    prober.assert_none()


def test_each_forecast_preset_takes_any_text() -> None:
    """The comparison's presets edit the posted text before the form looks at it."""
    from fhb.core.forecast import PRESETS

    build_world()
    prober = Prober(log_in("leader"))
    for preset in [*PRESETS, *MALFORMED]:
        for bad in [*MALFORMED, "a = " + "[" * 5000 + "]" * 5000]:
            data = {"preset": preset, "standard_text": bad, "first_year": "2027", "last_year": "2028"}
            prober.send("post", reverse("forecast-compare"), data, what=f"{preset[:20]!r} {bad[:20]!r}")
    prober.assert_none()


def test_a_note_without_consent_is_not_written_whatever_is_posted() -> None:
    """The journal needs the citizen's consent: no posted value gets a note in without it."""
    build_world()
    without = Citizen.objects.get(cpr=BASE[1]["cpr"])  # no consent recorded
    prober = Prober(log_in("consultant"))
    path = reverse("journal-note-new", args=[without.cpr])
    for bad in MALFORMED:
        prober.send("post", path, {"text": bad or "Notat", "agreements": bad, "visit": bad}, keep=True)
    prober.assert_none()
    assert not JournalNote.objects.filter(citizen=without).exists(), "a note was written without consent"


def test_anonymous_visitors_get_the_log_in_page_whatever_they_send() -> None:
    urls = build_world()
    prober = Prober(Client())
    prober.send("get", reverse("login"), {"next": PROBE})
    for bad in MALFORMED:
        prober.send("post", reverse("login"), {"username": bad, "password": bad, "next": bad})
        prober.send("get", reverse("health"), {"x": bad})
    for name, roles in EXPECTED.items():
        if roles is not None and name in urls:
            response = prober.send("post" if name in POST_ONLY else "get", urls[name], {"q": PROBE})
            assert response is not None and response.status_code == 302, f"{name} let an anonymous user in"
    prober.assert_none()


# --------------------------------------------------------------------------------------------------
# Hostile extracts: refused whole, nothing stored
# --------------------------------------------------------------------------------------------------


def stored() -> dict[str, int]:
    """Rows of every table an import writes, history included."""
    models = (Citizen, Dwelling, CareEvent)
    counts = {model.__name__: model.objects.count() for model in models}
    counts |= {f"{model.__name__} history": model.history.count() for model in models}
    counts["ImportRun"] = ImportRun.objects.count()
    return counts


def import_outcome(citizens: bytes, events: bytes | None) -> tuple[InvalidInput | None, dict[str, int]]:
    """Import inside a savepoint that is rolled back afterwards; returns the refusal (None: imported) and the
    counts as the import left them."""
    refused = None
    with rolled_back_block():
        try:
            import_extract(
                ImportFile("borgere.csv", citizens),
                ImportFile("hændelser.csv", events) if events is not None else None,
            )
        except InvalidInput as error:
            refused = error
        after = stored()
        transaction.set_rollback(True)
    return refused, after


def assert_refused_whole(
    citizens: bytes, events: bytes | None, before: dict[str, int]
) -> InvalidInput | None:
    refused, after = import_outcome(citizens, events)
    if refused is not None:
        assert after == before, "a refused import changed the database"
        assert refused.problems and all(p.file in ("borgere.csv", "hændelser.csv") for p in refused.problems)
    return refused


VALID_CITIZENS = citizens_csv([*BASE, person("0606461230", "Frida Ny", "adr-5")]).decode()
VALID_EVENTS = events_csv(BASE_EVENTS).decode()


@st.composite
def hostile(draw: st.DrawFn, text: str) -> bytes:
    """A damaged copy of ``text``: cut, spliced, in another encoding, with NUL bytes or a huge cell."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        piece = draw(
            st.sampled_from(["\x00", '"', ",", ";", "\r", "\r\n", "ÆØÅ", "x" * 140_000, "-", "2027-13-45"])
        )
        cut = draw(st.integers(0, 30))
        text = text[:at] + piece + text[at + cut :]
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"])), errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at:]
    return data


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), hostile(VALID_CITIZENS)), st.none() | hostile(VALID_EVENTS))
def test_a_hostile_extract_is_refused_and_nothing_is_stored(citizens: bytes, events: bytes | None) -> None:
    if not ImportRun.objects.exists():  # the stored population the hostile extract meets (once per test)
        import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    assert_refused_whole(citizens, events, stored())


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", "N" * 201),
        ("address_id", "a" * 101),
        ("street", "S" * 201),
        ("postcode", "9" * 11),
        ("city", "C" * 101),
    ],
)
def test_a_value_longer_than_the_database_keeps_is_refused_with_its_place(column: str, value: str) -> None:
    """A cell longer than its database column is a problem of the file (row and column), not a database
    error half-way through the import (PostgreSQL) or a value stored whole against the model (SQLite)."""
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    before = stored()
    people = [*BASE[:2], {**BASE[2], column: value}, *BASE[3:]]
    refused = assert_refused_whole(citizens_csv(people), None, before)
    assert refused is not None, f"a {column} of {len(value)} characters was imported"
    assert [(p.row, p.column) for p in refused.problems] == [(4, column)]


def test_the_import_page_shows_the_problems_of_a_hostile_upload_and_stores_nothing() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    before = stored()
    prober = Prober(log_in("admin"))
    uploads = [
        VALID_CITIZENS.encode("utf-16"),
        VALID_CITIZENS.replace("Bent", "<script>\x00").encode(),
        b"\xff" * 1000,
        b"",
        VALID_CITIZENS.replace("Clara", "x" * 140_000).encode(),
    ]
    for data in uploads:
        upload = SimpleUploadedFile(f"{PROBE}.csv", data, content_type="text/csv")
        response = prober.send(
            "post", reverse("import"), {"citizens": upload}, what=f"upload {data[:20]!r}", keep=True
        )
        assert response is not None and response.status_code in (200, 302), "a hostile upload broke the page"
        if response.status_code == 302:  # kept for a preview: the worker finds the problems
            run_queued_jobs()
            response = prober.send("get", response["Location"], what=f"the preview job of {data[:20]!r}")
            assert response is not None and response.status_code == 200
        page = response.content.decode()
        assert "Intet er gemt" in page or "Den indsendte fil er tom" in page, "no reason shown"
    prober.assert_none()
    assert stored() == before


def test_the_closed_door_note_without_sender_settings_says_why() -> None:
    urls = build_world()
    prober = Prober(log_in("consultant"))
    response = prober.send("post", urls["closed-door-note"])
    assert prober.known == [] and response is not None and response.status_code == 302


def test_the_parser_refuses_what_the_database_cannot_store() -> None:
    """The CSV reader's length limits are the database columns' (they are kept in two places)."""
    from fhb.core.population.columns import CITIZEN_MAX_LENGTHS

    model_of = {
        "name": Citizen,
        "address_id": Dwelling,
        "street": Dwelling,
        "postcode": Dwelling,
        "city": Dwelling,
    }
    for column, limit in CITIZEN_MAX_LENGTHS.items():
        assert getattr(model_of[column]._meta.get_field(column), "max_length", None) == limit, column
