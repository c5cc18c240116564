"""From the browser: a leader sends a run's letters, staff see what was sent and register answers."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fhb.jobs.models import Job
from fhb.letters.models import Letter
from fhb.letters.outbox import work_once
from fhb.letters.transports import FileDropTransport
from fhb.offers.models import Request
from fhb.visits.models import Visit
from tests.conftest import PASSWORD, run_queued_jobs
from tests.letters.world import ALONE70, WIFE80, at, offer, plan, world

pytestmark = pytest.mark.django_db


def login(client: Any, make_user: Any, role: str) -> None:
    make_user(role)
    assert client.login(username=role, password=PASSWORD)


def test_leader_sends_a_runs_letters_and_staff_see_the_exact_bytes(
    client: Any, make_user: Any, tmp_path: Path
) -> None:
    run = world()
    plan(offer(WIFE80["cpr"], "age80"), at(9, 3, 10))
    login(client, make_user, "leader")
    response = client.post(reverse("send-run", args=[run.pk]), follow=True)
    assert response.status_code == 200 and Letter.objects.count() == 0, "the worker writes the letters"
    assert run_queued_jobs() == 1
    job = Job.objects.get()
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "3 breve er lagt i udbakken" in page
    page = client.get(job.result_url).content.decode()
    assert "Tilbudsbreve for 2027" in page and "venter" in page.lower()
    assert Letter.objects.count() == 3

    work_once(FileDropTransport(tmp_path))
    letter = Letter.objects.get(citizen__cpr=WIFE80["cpr"])
    citizen_page = client.get(reverse("citizen-detail", args=[WIFE80["cpr"]])).content.decode()
    assert reverse("letter-pdf", args=[letter.uuid]) in citizen_page
    pdf = client.get(reverse("letter-pdf", args=[letter.uuid]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(letter.pdf)  # type: ignore[arg-type]
    memo = client.get(reverse("letter-memo", args=[letter.uuid]))
    assert memo.content == bytes(letter.memo)  # type: ignore[arg-type]
    assert "Afsendt" in client.get(reverse("outbox")).content.decode()


def test_consultant_registers_a_no_from_the_citizen_page(client: Any, make_user: Any) -> None:
    world()
    wife = offer(WIFE80["cpr"], "age80")
    visit = plan(wife, at(9, 3, 10))
    login(client, make_user, "consultant")
    received = timezone.localdate().isoformat()  # a receipt in the future is refused
    data = {"reply": "no", "channel": "phone", "received": received, "note": "Har det godt"}
    response = client.post(reverse("offer-answer", args=[wife.pk]), data, follow=True)
    assert "Svaret er registreret" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DECLINED


def test_consultant_sets_a_time_and_leaves_a_closed_door_note(
    client: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world()
    wife = offer(WIFE80["cpr"], "age80")
    login(client, make_user, "consultant")
    client.post(reverse("offer-visit-time", args=[wife.pk]), {"start": "2027-03-09T10:00"})
    visit = wife.visits.get()
    assert visit.end - visit.start == timedelta(minutes=wife.duration_min or 60)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("closed-door-note", args=[visit.pk]))
    assert response.status_code == 302
    note = Letter.objects.get(kind="closed_door")
    assert note.channel == "by_hand" and note.status == Letter.Status.DELIVERED
    assert client.get(response["Location"]).content.startswith(b"%PDF")


def test_request_registered_and_decided_in_the_browser(client: Any, make_user: Any) -> None:
    world()
    login(client, make_user, "consultant")
    new = reverse("request-new", args=[ALONE70["cpr"]])
    assert "år" in client.get(new).content.decode()
    data = {
        "received": timezone.localdate().isoformat(),  # a receipt in the future is refused
        "came_from": "staff_with_consent",
        "channel": "phone",
        "note": "Hjemmeplejen",
    }
    page = client.post(new, data).content.decode()
    assert "samtykke" in page and not Request.objects.exists(), "no consent: refused with the reason"
    response = client.post(new, {**data, "consent": "on"}, follow=True)
    request = Request.objects.get()
    assert request.deadline is not None
    listing = client.get(reverse("request-list")).content.decode()
    assert ALONE70["name"] in listing
    client.post(reverse("request-detail", args=[request.pk]), {"granted": "0", "reason": "Klarer sig godt"})
    request.refresh_from_db()
    assert request.status == Request.Status.REFUSED and response.status_code == 200
