"""Sending a run's letters writes them first, counting, then queues them in one transaction; an offer
answered while the letters were written gets none."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fhb.jobs.models import Job
from fhb.jobs.starting import start_job
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.letters.sending import offers_without_letter, queue_written, write_offer_letters
from fhb.offers.models import Offer
from fhb.standards.current import current_standard
from tests.conftest import run_queued_jobs
from tests.letters.world import world

pytestmark = pytest.mark.django_db


def test_progress_counts_the_letters_as_they_are_written() -> None:
    run = world()
    counted: list[tuple[int, int]] = []
    dispatch = send_run_letters(
        run,
        today=timezone.localdate(),
        standard=current_standard(),
        progress=lambda n, t: counted.append((n, t)),
    )
    total = counted[-1][1]
    assert counted == [(n, total) for n in range(1, total + 1)] and total >= 3
    assert dispatch.summary["queued"] == Letter.objects.count() > 0


def test_an_offer_answered_while_the_letters_are_written_gets_no_letter() -> None:
    run = world()
    today = timezone.localdate()
    written = write_offer_letters(offers_without_letter(run.year), today=today, standard=current_standard())
    answered = written.letters[0][0][0]
    Offer.objects.filter(pk=answered.pk).update(reply=Offer.Reply.NO)
    dispatch = queue_written(written, today=today, run=run)
    assert not Letter.objects.filter(offers=answered).exists()
    assert Letter.objects.exists(), "the others' letters are queued"
    assert any("mens brevene blev skrevet" in why for why in dispatch.summary["waiting"])


def test_the_sending_job_shows_the_count_and_the_result() -> None:
    run = world()
    job = start_job("send_letters", "Tilbudsbreve", params={"run": run.pk})
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.total and job.done == job.total
    assert f"{Letter.objects.count()} breve er lagt i udbakken" in job.message
