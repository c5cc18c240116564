"""The import page: the upload goes to disk, a job previews it, nothing is stored until a person confirms,
and an extract that leaves out many citizens must be confirmed by typing how many."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fhb.citizens.models import Citizen, ImportRun
from fhb.jobs.models import Job
from fhb.visits.models import Visit
from tests.citizens.builders import citizens_csv
from tests.conftest import run_queued_jobs
from tests.planning.world import CALLER, EAST, NORTH, PEOPLE, WEST, at, staff, visit, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Any, data_dir: Any) -> Any:
    world()
    client.force_login(staff("admin", role="admin"))
    return client


def planned() -> list[tuple[int, str]]:
    return sorted(Visit.objects.values_list("pk", "status"))


def upload(client: Any, rows: list[dict[str, Any]], name: str = "citizens.csv") -> Job:
    file = SimpleUploadedFile(name, citizens_csv(rows), content_type="text/csv")
    response = client.post(reverse("import"), {"citizens": file})
    job = Job.objects.filter(kind="import_preview").latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[job.pk])
    assert run_queued_jobs() == 1
    job.refresh_from_db()
    return job


def test_a_two_row_extract_after_a_full_one_asks_for_the_typed_count_and_cancel_keeps_everything(
    admin_client: Any,
) -> None:
    visit(EAST, at(1, 3, 9), None)
    visit(NORTH, at(1, 3, 11), None)
    before_visits, before_runs = planned(), ImportRun.objects.count()
    job = upload(admin_client, [EAST, WEST], name="test-eksport.csv")
    page = admin_client.get(reverse("import-preview", args=[job.pk])).content.decode()
    assert "Intet er gemt endnu." in page
    assert "2 borgere (50,0 %) fra seneste udtræk er ikke med i filen" in page and "Skriv tallet 2" in page
    assert "Ikke længere i udtrækket: 1 planlagte besøg" in page, "Cecilie's visit is at stake"

    refused = admin_client.post(reverse("import-preview", args=[job.pk]), {"confirm": "", "gone": "20"})
    assert refused.status_code == 200 and "som det står ovenfor" in refused.content.decode()
    missing = admin_client.post(reverse("import-preview", args=[job.pk]), {"confirm": ""})
    assert missing.status_code == 200 and not Job.objects.filter(kind="import_apply").exists()

    cancelled = admin_client.post(reverse("import-preview", args=[job.pk]), {"cancel": ""}, follow=True)
    assert "Indlæsningen er annulleret; intet er gemt." in cancelled.content.decode()
    assert planned() == before_visits and ImportRun.objects.count() == before_runs
    assert Citizen.objects.filter(in_extract=True).count() == 4
    again = admin_client.post(reverse("import-preview", args=[job.pk]), {"confirm": "", "gone": "2"})
    assert not Job.objects.filter(kind="import_apply").exists(), "a cancelled preview cannot be confirmed"
    assert "allerede bekræftet eller annulleret" in again.content.decode()


def test_the_typed_count_confirms_an_extract_that_leaves_many_out(admin_client: Any) -> None:
    job = upload(admin_client, [EAST, WEST])
    response = admin_client.post(reverse("import-preview", args=[job.pk]), {"confirm": "", "gone": "2"})
    apply = Job.objects.get(kind="import_apply")
    assert response["Location"] == reverse("job-detail", args=[apply.pk])
    run_queued_jobs()
    apply.refresh_from_db()
    assert apply.state == Job.State.DONE, apply.error
    assert Citizen.objects.filter(in_extract=True).count() == 2


def test_a_normal_extract_is_confirmed_with_one_click_and_applied(admin_client: Any) -> None:
    runs = ImportRun.objects.count()
    moved = {**NORTH, "street": "Nyvej 9", "address_id": "adr-9"}
    job = upload(admin_client, [EAST, WEST, moved, CALLER])
    page = admin_client.get(reverse("import-preview", args=[job.pk])).content.decode()
    assert "Skriv tallet" not in page and 'name="gone"' not in page
    admin_client.post(reverse("import-preview", args=[job.pk]), {"confirm": ""})
    run_queued_jobs()
    apply = Job.objects.get(kind="import_apply")
    assert apply.state == Job.State.DONE and "Indlæsningen er gemt" in apply.message
    assert ImportRun.objects.count() == runs + 1
    assert apply.result_url == reverse("import-run", args=[ImportRun.objects.latest("pk").pk])
    assert Citizen.objects.get(cpr=NORTH["cpr"]).dwelling.street == "Nyvej 9"
    second = admin_client.post(reverse("import-preview", args=[job.pk]), {"confirm": ""})
    assert Job.objects.filter(kind="import_apply").count() == 1, "a double click imports once"
    assert second.status_code == 200


def test_a_preview_made_before_another_import_was_applied_is_not_applied(admin_client: Any) -> None:
    first = upload(admin_client, PEOPLE)
    second = upload(admin_client, [*PEOPLE[:3], {**CALLER, "name": "Dines Nyt-Navn"}])
    admin_client.post(reverse("import-preview", args=[second.pk]), {"confirm": ""})
    run_queued_jobs()
    admin_client.post(reverse("import-preview", args=[first.pk]), {"confirm": ""})
    run_queued_jobs()
    stale = Job.objects.filter(kind="import_apply").latest("pk")
    assert stale.state == Job.State.FAILED and "en anden indlæsning er gemt" in stale.error
    assert Citizen.objects.get(cpr=CALLER["cpr"]).name == "Dines Nyt-Navn"


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(admin_client: Any, settings: Any) -> None:
    settings.FHB_IMPORT_MAX_MB = 0.0001  # about 100 bytes
    file = SimpleUploadedFile("stor.csv", citizens_csv(PEOPLE), content_type="text/csv")
    response = admin_client.post(reverse("import"), {"citizens": file})
    assert response.status_code == 200
    assert "Filen stor.csv er større end grænsen" in response.content.decode()
    assert not Job.objects.exists()
    assert (
        not list((settings.DATA_DIR / "imports").glob("*"))
        if (settings.DATA_DIR / "imports").exists()
        else True
    )


def test_a_second_upload_while_a_preview_runs_is_refused_and_its_files_are_not_kept(
    admin_client: Any, settings: Any
) -> None:
    file = SimpleUploadedFile("a.csv", citizens_csv(PEOPLE), content_type="text/csv")
    admin_client.post(reverse("import"), {"citizens": file})
    file = SimpleUploadedFile("b.csv", citizens_csv(PEOPLE), content_type="text/csv")
    response = admin_client.post(reverse("import"), {"citizens": file})
    assert response.status_code == 200 and "er allerede i kø" in response.content.decode()
    assert len(list((settings.DATA_DIR / "imports").iterdir())) == 1


def test_an_upload_nobody_confirms_is_deleted_after_three_days(admin_client: Any, settings: Any) -> None:
    from django.utils import timezone

    from fhb.jobs.worker import tidy

    job = upload(admin_client, [EAST, WEST, NORTH, CALLER])
    folder = Path(job.params["folder"])
    assert (folder / "citizens.csv").is_file()
    tidy(timezone.now() + timezone.timedelta(days=2))
    assert folder.is_dir(), "two days: still waiting"
    tidy(timezone.now() + timezone.timedelta(days=4))
    assert not folder.exists()
    page = admin_client.get(reverse("import-preview", args=[job.pk])).content.decode()
    assert "Forhåndsvisningen er udløbet" in page and 'name="confirm"' not in page
    tidy(timezone.now() + timezone.timedelta(days=91))
    assert not Job.objects.filter(pk=job.pk).exists(), "finished jobs are deleted after 90 days"
