"""Background jobs: a page starts one and returns at once; its page shows progress, result or error; one
job per lock; a job cut off by a dead worker ends failed with the reason."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fhb.jobs.models import Job, WorkerBeat
from fhb.jobs.progress import Progress
from fhb.jobs.registry import JobFailed, Outcome, job_kind
from fhb.jobs.starting import JobRefused, start_job
from fhb.jobs.worker import announce, recover
from tests.conftest import PASSWORD, run_queued_jobs

pytestmark = pytest.mark.django_db

SEEN: list[Any] = []


@job_kind("test_counts", lock="test")
def counts(job: Job, progress: Progress) -> Outcome:
    progress.step("Tæller", total=3)
    for n in range(1, 4):
        progress.advance(n)
    SEEN.append(Job.objects.get(pk=job.pk).step)
    return Outcome(message=f"Talte til {job.params['to']}.", url="/", data={"to": job.params["to"]})


@job_kind("test_refuses", lock="test")
def refuses(job: Job, progress: Progress) -> Outcome:
    raise JobFailed("Filen borgere.csv, række 3: CPR-nummeret mangler.")


@job_kind("test_breaks")
def breaks(job: Job, progress: Progress) -> Outcome:
    raise ZeroDivisionError("division by zero")


@job_kind("test_in_transaction")
def in_transaction(job: Job, progress: Progress) -> Outcome:
    with transaction.atomic():
        # Inside a transaction: not written (another connection could not see it).
        progress.step("Skjult trin")
    SEEN.append(Job.objects.get(pk=job.pk).step)
    return Outcome(message="ok")


def test_a_started_job_waits_for_the_worker_then_shows_its_result(make_user: Any, client: Any) -> None:
    leader = make_user("leader")
    job = start_job("test_counts", "Tælling", params={"to": 3}, user=leader)
    assert job.state == Job.State.QUEUED and job.task_id
    client.login(username="leader", password=PASSWORD)
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "I kø" in page and 'hx-trigger="every 1s"' in page

    assert run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.message == "Talte til 3." and job.result == {"to": 3}
    assert job.started_at and job.finished_at and job.worker == f"{socket.gethostname()}:{os.getpid()}"
    assert SEEN[-1] == "Tæller"  # the step was written where the page reads it while the job ran
    page = client.get(reverse("job-detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "Talte til 3." in page and "Se resultatet" in page and "hx-trigger" not in page


def test_a_second_job_on_the_same_lock_is_refused_naming_the_first(make_user: Any) -> None:
    first = start_job("test_counts", "Første tælling", params={"to": 1}, user=make_user("leader"))
    with pytest.raises(JobRefused) as refused:
        start_job("test_refuses", "Anden", user=None)
    assert refused.value.running == first
    assert "«Første tælling» er allerede i kø" in str(refused.value) and "leader" in str(refused.value)
    assert Job.objects.count() == 1
    run_queued_jobs()
    start_job("test_refuses", "Anden")  # the lock is free once the first is done


def test_the_database_refuses_two_active_jobs_on_one_lock_even_past_the_check() -> None:
    Job.objects.create(kind="test_counts", title="A", lock="test", state=Job.State.RUNNING)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="test_counts", title="B", lock="test")
    Job.objects.create(kind="test_breaks", title="C", lock="")  # no lock: any number
    Job.objects.create(kind="test_breaks", title="D", lock="")


def test_a_job_that_cannot_be_done_fails_with_its_message() -> None:
    job = start_job("test_refuses", "Indlæsning")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "Filen borgere.csv, række 3: CPR-nummeret mangler."


def test_an_unexpected_error_fails_the_job_and_the_worker_goes_on() -> None:
    broken = start_job("test_breaks", "Går i stykker")
    after = start_job("test_counts", "Bagefter", params={"to": 2})
    assert run_queued_jobs() == 2
    broken.refresh_from_db()
    after.refresh_from_db()
    assert broken.state == Job.State.FAILED and "ZeroDivisionError" in broken.error
    assert after.state == Job.State.DONE


def test_progress_inside_a_transaction_is_not_written() -> None:
    job = start_job("test_in_transaction", "Transaktion")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and SEEN[-1] == ""


def test_a_job_left_running_by_a_dead_worker_is_failed_with_the_reason() -> None:
    here = socket.gethostname()
    dead_pid = _a_dead_pid()
    WorkerBeat.objects.create(
        name=f"{here}:{dead_pid}", host=here, pid=dead_pid, started_at=timezone.now(), seen_at=timezone.now()
    )
    cut = Job.objects.create(
        kind="test_counts",
        title="Afbrudt",
        lock="test",
        state=Job.State.RUNNING,
        worker=f"{here}:{dead_pid}",
        step="Gemmer",
    )
    alive = Job.objects.create(
        kind="test_breaks", title="Kører", state=Job.State.RUNNING, worker=f"{here}:{os.getpid()}"
    )
    announce(f"{here}:{os.getpid()}")
    cut.refresh_from_db()
    alive.refresh_from_db()
    assert cut.state == Job.State.FAILED and "stoppede, mens jobbet var i gang (trin: Gemmer)" in cut.error
    assert alive.state == Job.State.RUNNING
    assert not WorkerBeat.objects.filter(pid=dead_pid).exists()
    start_job("test_counts", "Igen", params={"to": 1})  # the lock is free again


def test_a_worker_elsewhere_is_gone_only_when_not_seen_for_a_while() -> None:
    long_ago = timezone.now() - timezone.timedelta(minutes=30)
    WorkerBeat.objects.create(name="other:1", host="other", pid=1, started_at=long_ago, seen_at=long_ago)
    WorkerBeat.objects.create(
        name="other:2", host="other", pid=2, started_at=long_ago, seen_at=timezone.now()
    )
    old = Job.objects.create(kind="test_breaks", title="Gammel", state=Job.State.RUNNING, worker="other:1")
    fresh = Job.objects.create(kind="test_breaks", title="Frisk", state=Job.State.RUNNING, worker="other:2")
    assert recover(timezone.now()) == 1
    assert Job.objects.get(pk=old.pk).state == Job.State.FAILED
    assert Job.objects.get(pk=fresh.pk).state == Job.State.RUNNING


def test_a_consultant_sees_only_her_own_jobs_and_the_list_is_for_leaders(make_user: Any, client: Any) -> None:
    leader, consultant = make_user("leader"), make_user("consultant")
    job = start_job("test_counts", "Lederens", params={"to": 1}, user=leader)
    client.login(username="consultant", password=PASSWORD)
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 403
    assert client.get(reverse("job-list")).status_code == 403
    own = start_job("test_breaks", "Egen", user=consultant)
    assert client.get(reverse("job-detail", args=[own.pk])).status_code == 200
    client.login(username="leader", password=PASSWORD)
    page = client.get(reverse("job-list")).content.decode()
    assert "Lederens" in page and "Egen" in page


def test_the_pages_say_when_no_worker_has_been_seen(make_user: Any, client: Any) -> None:
    job = start_job("test_counts", "Venter", params={"to": 1}, user=make_user("leader"))
    client.login(username="leader", password=PASSWORD)
    warning = "Ingen arbejder (fhb worker) er set"
    assert warning in client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert warning in client.get(reverse("job-list")).content.decode()
    announce("tests:1")
    assert warning not in client.get(reverse("job-detail", args=[job.pk])).content.decode()


def _a_dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_the_outbox_says_when_no_worker_has_been_seen(make_user: Any, client: Any) -> None:
    make_user("leader")
    client.login(username="leader", password=PASSWORD)
    warning = "Ingen arbejder (fhb worker) er set i de sidste minutter"
    assert warning in client.get(reverse("outbox")).content.decode()
    announce("tests:2")
    assert warning not in client.get(reverse("outbox")).content.decode()
    WorkerBeat.objects.update(seen_at=timezone.now() - timezone.timedelta(minutes=6))
    assert warning in client.get(reverse("outbox")).content.decode()


def test_an_import_and_an_eligibility_run_do_not_run_side_by_side() -> None:
    start_job("import_preview", "Forhåndsvisning", params={"folder": "/ingen", "citizens_name": "c.csv"})
    with pytest.raises(JobRefused) as refused:
        start_job("eligibility_run", "Årskørsel for 2027", params={"year": 2027, "kind": "yearly"})
    assert "«Forhåndsvisning» er allerede i kø" in str(refused.value)
    start_job("plan_run", "Plan", params={"first": "2027-03-01", "weeks": 1})  # another lock: side by side


def test_the_job_pages_name_who_started_it(make_user: Any, client: Any) -> None:
    leader = make_user("leader", "ll")
    leader.first_name, leader.last_name = "Lene", "Leder"
    leader.save()
    job = start_job("test_counts", "Tælling", params={"to": 3}, user=leader)
    client.login(username="ll", password=PASSWORD)
    listing = client.get(reverse("job-list")).content.decode()
    assert "<td>Lene Leder</td>" in listing and "<td>ll</td>" not in listing, "her name, not her user name"
    detail = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "af Lene Leder" in detail
