"""Every URL, as every role and as an anonymous user: who may see what."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fhb.accounts.models import User
from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile, parse_extract
from fhb.citizens.models import Citizen, ImportRun
from fhb.citizens.preview import preview_extract
from fhb.events.models import ClubVisit, Event
from fhb.jobs.models import Job
from fhb.letters.models import Dispatch, Letter
from fhb.offers.actions import start_run
from fhb.offers.assessments import referral_groups
from fhb.offers.models import Assessment, EligibilityRun, Offer, Request
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.citizens.builders import BASE, citizens_csv
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

#: Pages that only take a POST: a GET by someone allowed gets 405 (Method Not Allowed).
POST_ONLY = {
    "offer-answer",
    "offer-sign-up",
    "offer-visit-time",
    "send-run",
    "closed-door-note",
    "plan-run",
    "ical-reset",
    "offer-slot-book",
    "visit-outcome",
    "visit-interpreter",
    "home-notes",
    "journal-note-new",
    "consent-new",
    "consent-withdraw",
    "dementia-take",
    "registration-cancel",
}

#: Everyone who works with citizens' cases.
STAFF = {"consultant", "dementia_coordinator", "leader", "admin"}

#: URL name -> roles that may open it (admin may open everything). None: open to anyone.
EXPECTED: dict[str, set[str] | None] = {
    "home": STAFF,
    # "Mine opgaver": a consultant's own tasks and the team's; a leader sees every task (issue 19).
    "worklist": STAFF,
    "citizen-list": STAFF,
    "citizen-detail": STAFF,
    # Right of access: everything held about a citizen, journal included (the read is logged).
    "citizen-export": {"leader", "admin"},
    "import": {"admin"},
    "import-run": {"leader", "admin"},
    # What an uploaded extract would change, and its confirmation: the one who imports.
    "import-preview": {"admin"},
    # Background jobs: the leader's list of all; a job's page for its starter and the leaders (this one
    # the system started, so no consultant's).
    "job-list": {"leader", "admin"},
    "job-detail": {"leader", "admin"},
    # Citizens missing from the latest extract: the leader closes their visits and offers, or waits.
    "not-in-extract": {"leader", "admin"},
    "run-list": {"leader", "admin"},
    "run-detail": {"leader", "admin"},
    "offer-answer": STAFF,
    "offer-sign-up": STAFF,
    "offer-visit-time": STAFF,
    # Recording a call about an offer made by phone (issue 20): a consultant or a leader.
    "offer-call": {"consultant", "leader", "admin"},
    "request-list": STAFF,
    "request-new": STAFF,
    "request-detail": STAFF,
    # Assessments of need: everyone who works with citizens sees them; who may decide is checked inside.
    "assessment-list": STAFF,
    "assessment-detail": STAFF,
    "referral-new": STAFF,
    "follow-up-list": STAFF,
    "outbox": {"leader", "admin"},
    "send-run": {"leader", "admin"},
    "dispatch-detail": {"leader", "admin"},
    "letter-pdf": STAFF,
    "letter-memo": STAFF,
    "closed-door-note": STAFF,
    "plan-overview": {"leader", "admin"},
    "plan-run": {"leader", "admin"},
    "plan-week": STAFF,
    "plan-day": STAFF,
    "visit-move": STAFF,
    # A consultant may give only her own feed a new address; the view checks that after the role.
    "ical-reset": STAFF,
    "offer-slots": STAFF,
    "offer-slot-book": STAFF,
    "today": STAFF,
    "visit-detail": STAFF,
    "visit-outcome": STAFF,
    "visit-interpreter": STAFF,
    "home-notes": STAFF,
    "journal-note-new": STAFF,
    "consent-new": STAFF,
    "consent-withdraw": STAFF,
    # The leader checks who read which journal (confidentiality).
    "journal-reads": {"leader", "admin"},
    # The leader's statistics and the committee report.
    "stats-dashboard": {"leader", "admin"},
    "stats-csv": {"leader", "admin"},
    "stats-xlsx": {"leader", "admin"},
    "stats-report": {"leader", "admin"},
    "dementia-queue": {"dementia_coordinator", "leader", "admin"},
    "dementia-take": {"dementia_coordinator", "leader", "admin"},
    # The capacity forecast and the comparison with an edited standard: the leader's planning tools.
    "forecast": {"leader", "admin"},
    "forecast-compare": {"leader", "admin"},
    # Events: leaders create them; everyone working with citizens signs up, records attendance, logs talks.
    "event-list": STAFF,
    "event-new": {"leader", "admin"},
    "event-detail": STAFF,
    "event-edit": {"leader", "admin"},
    "event-register": STAFF,
    "event-attendance": STAFF,
    "registration-cancel": STAFF,
    "club-visit-list": STAFF,
    "club-visit-new": STAFF,
    "club-visit-edit": STAFF,
    # No log-in: the secret token in the address is the key (a phone's calendar cannot log in).
    "consultant-ical": None,
    "login": None,
    "logout": None,
    "health": None,
}


def our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=None):  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue  # Django's admin checks staff status itself
                walk(p.url_patterns, p.namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_pattern_has_an_expectation() -> None:
    missing = our_url_names() - set(EXPECTED)
    assert not missing, f"add these URL names to EXPECTED with the roles that may see them: {missing}"


def url_for(name: str) -> str:
    if name in ("citizen-detail", "citizen-export"):
        return reverse(name, args=["0101501234"])
    if name == "import-run":
        return reverse(name, args=[ImportRun.objects.get().pk])
    if name in ("import-preview", "job-detail"):
        return reverse(name, args=[Job.objects.get(kind="import_preview").pk])
    if name in ("run-detail", "send-run"):
        return reverse(name, args=[EligibilityRun.objects.get().pk])
    if name in ("offer-answer", "offer-visit-time", "offer-call", "offer-sign-up"):
        return reverse(name, args=[Offer.objects.first().pk])  # type: ignore[union-attr]
    if name == "request-new":
        return reverse(name, args=[Citizen.objects.first().cpr])  # type: ignore[union-attr]
    if name == "request-detail":
        return reverse(name, args=[Request.objects.get().pk])
    if name == "assessment-detail":
        return reverse(name, args=[Assessment.objects.get().pk])
    if name == "referral-new":
        return reverse(name, args=[Citizen.objects.first().cpr])  # type: ignore[union-attr]
    if name == "dispatch-detail":
        return reverse(name, args=[Dispatch.objects.get().pk])
    if name in ("letter-pdf", "letter-memo"):
        return reverse(name, args=[Letter.objects.get().uuid])
    if name in ("home-notes", "journal-note-new", "consent-new"):
        return reverse(name, args=[Citizen.objects.first().cpr])  # type: ignore[union-attr]
    if name in ("consent-withdraw", "dementia-take"):
        return reverse(name, args=[1])  # POST only: refused before the lookup
    if name in ("closed-door-note", "visit-move", "visit-detail", "visit-outcome", "visit-interpreter"):
        return reverse(name, args=[Visit.objects.get().pk])
    if name in ("plan-week", "ical-reset"):
        return reverse(name, args=[Consultant.objects.get().user_id])
    if name == "plan-day":
        return reverse(name, args=[Consultant.objects.get().user_id, date(2027, 3, 1)])
    if name == "stats-csv":
        return reverse(name, args=["maalgrupper"])
    if name in ("event-detail", "event-edit", "event-register", "event-attendance"):
        return reverse(name, args=[Event.objects.get().pk])
    if name == "registration-cancel":
        return reverse(name, args=[1])  # POST only: refused before the lookup
    if name == "club-visit-edit":
        return reverse(name, args=[ClubVisit.objects.get().pk])
    if name == "consultant-ical":
        return reverse(name, args=[Consultant.objects.get().ical_token])
    if name in ("offer-slots", "offer-slot-book"):
        return reverse(name, args=[Offer.objects.filter(visits__isnull=True).first().pk])  # type: ignore[union-attr]
    return reverse(name)


def case_work() -> None:
    """A request, an assessment, a visit, a dispatch, a sent letter and a planning consultant, so their
    pages have something to show."""
    citizen = Citizen.objects.first()
    assert citizen is not None
    Request.objects.create(citizen=citizen, received=date(2027, 2, 1), came_from="citizen", channel="phone")
    Assessment.objects.create(
        citizen=citizen,
        year=2027,
        group=referral_groups(current_standard())[0].id,
        what="Egen læge er bekymret efter et fald",
        known_on=date(2027, 2, 1),
        deadline=date(2027, 2, 15),
        due_to=date(2027, 4, 26),
        origin="referral",
        referred_by="gp",
    )
    visit = Visit.objects.create(
        start=datetime(2027, 3, 1, 9, tzinfo=UTC), end=datetime(2027, 3, 1, 10, tzinfo=UTC)
    )
    visit.offers.add(Offer.objects.first())  # type: ignore[arg-type]
    dispatch = Dispatch.objects.create(description="Tilbudsbreve")
    Letter.objects.create(
        kind="offer_without_time",
        channel="digital_post",
        title="Tilbud",
        citizen=citizen,
        dispatch=dispatch,
        content={},
        status="delivered",
        pdf=b"%PDF-1.7 test",
        memo=b"<Message/>",
    )
    planner = User.objects.create_user(username="planner", password=PASSWORD, role="consultant")
    Consultant.objects.create(user=planner, base_lat=57.4643, base_lon=9.9822)
    Event.objects.create(
        activity="seniormesse",
        name="Seniormesse",
        place="Sundhedscentret",
        start=datetime(2027, 4, 20, 8, tzinfo=UTC),
        end=datetime(2027, 4, 20, 11, tzinfo=UTC),
    )
    ClubVisit.objects.create(date=date(2027, 3, 1), club="Ældreklubben", topic="Kost", attendees=12)
    extract = parse_extract(ImportFile("citizens.csv", citizens_csv(BASE)), None)
    Job.objects.create(
        kind="import_preview",
        title="Forhåndsvisning af indlæsning: citizens.csv",
        state=Job.State.DONE,
        params={"folder": "/ingen/steder", "citizens_name": "citizens.csv", "events_name": ""},
        result={"preview": preview_extract(extract, events_given=False, today=date(2027, 2, 1)).to_json()},
    )


@pytest.mark.parametrize("role", ["anonymous", "consultant", "dementia_coordinator", "leader", "admin"])
def test_each_role_sees_exactly_its_pages(client, make_user, role: str) -> None:  # type: ignore[no-untyped-def]
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    case_work()
    if role != "anonymous":
        make_user(role)
        assert client.login(username=role, password=PASSWORD)
    for name, allowed in EXPECTED.items():
        if name == "logout":
            continue  # logging out is a POST and ends the session the loop needs
        response = client.get(url_for(name))
        if allowed is None:
            assert response.status_code in (200, 302), f"{name} should be open, got {response.status_code}"
        elif role == "anonymous":
            assert response.status_code == 302 and "/log-ind/" in response["Location"], (
                f"{name} must send an anonymous user to the log-in page"
            )
        elif role in allowed:
            expected = 405 if name in POST_ONLY else 200
            assert response.status_code == expected, f"{role} should see {name}, got {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} must not see {name}, got {response.status_code}"


def test_pages_send_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_hashes_passwords_with_argon2() -> None:
    from fhb.web import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
