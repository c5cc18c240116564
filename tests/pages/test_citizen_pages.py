"""The citizen list with search, the citizen page and the import page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen, ImportRun
from fhb.jobs.models import Job
from tests.citizens.builders import BASE, citizens_csv, person
from tests.conftest import PASSWORD, run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant_client(client, make_user):  # type: ignore[no-untyped-def]
    make_user("consultant")
    client.login(username="consultant", password=PASSWORD)
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    return client


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Clara", {"Clara Prøvesen"}),
        ("testesen", {"Åse Testesen", "Bent Testesen"}),
        ("010150-1234", {"Åse Testesen"}),
        ("020248", {"Bent Testesen"}),
        ("Kløvervej 3", {"Dan Eksempelsen"}),
        ("Ingen Sådan", set()),
    ],
)
def test_search_by_name_cpr_and_address(consultant_client, query: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    response = consultant_client.get(reverse("citizen-list"), {"q": query})
    names = {c.name for c in response.context["page"].object_list}
    assert names == expected, f"search for {query!r}"


def test_search_partial_for_htmx_renders_only_results(consultant_client) -> None:  # type: ignore[no-untyped-def]
    response = consultant_client.get(reverse("citizen-list"), {"q": "Clara"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert "Clara Prøvesen" in response.content.decode()


def test_oversized_search_is_refused_politely(consultant_client) -> None:  # type: ignore[no-untyped-def]
    response = consultant_client.get(reverse("citizen-list"), {"q": "x" * 5000})
    assert response.status_code == 200
    assert "Søgningen er for lang" in response.content.decode()


def test_address_protected_citizen_hides_address_in_list(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("consultant")
    client.login(username="consultant", password=PASSWORD)
    import_extract(
        ImportFile(
            "citizens.csv", citizens_csv([person("0606401234", "Hemmelig Hansen", address_protected="1")])
        )
    )
    html = client.get(reverse("citizen-list")).content.decode()
    assert "Kløvervej" not in html and "Adressebeskyttet" in html


def test_citizen_page_shows_household_and_history(consultant_client) -> None:  # type: ignore[no-untyped-def]
    html = consultant_client.get(reverse("citizen-detail", args=["0101501234"])).content.decode()
    assert "Bent Testesen" in html, "the spouse at the same address is shown in the household"
    assert "010150-1234" in html
    assert "Indlæsning" in html, "the history names the import that created the row"


def test_unknown_citizen_is_404(consultant_client) -> None:  # type: ignore[no-untyped-def]
    assert consultant_client.get(reverse("citizen-detail", args=["9999999999"])).status_code == 404


def test_admin_imports_from_the_browser(client, make_user, data_dir) -> None:  # type: ignore[no-untyped-def]
    make_user("admin")
    client.login(username="admin", password=PASSWORD)
    upload = SimpleUploadedFile("citizens.csv", citizens_csv(BASE), content_type="text/csv")
    preview_job = client.post(reverse("import"), {"citizens": upload})["Location"]
    run_queued_jobs()
    preview = client.get(preview_job).content.decode()
    assert "Forhåndsvisningen er klar: 4 nye" in preview and Citizen.objects.count() == 0
    response = client.post(reverse("import-preview", args=[Job.objects.get().pk]), {"confirm": ""})
    run_queued_jobs()
    run = ImportRun.objects.get()
    assert Citizen.objects.count() == 4
    page = client.get(response["Location"]).content.decode()
    assert reverse("import-run", args=[run.pk]) in page
    assert "Nye borgere" in client.get(reverse("import-run", args=[run.pk])).content.decode()


def test_browser_import_with_errors_shows_them_and_stores_nothing(client, make_user, data_dir) -> None:  # type: ignore[no-untyped-def]
    make_user("admin")
    client.login(username="admin", password=PASSWORD)
    upload = SimpleUploadedFile("borgere.csv", b"cpr,name\n123,X\n", content_type="text/csv")
    response = client.post(reverse("import"), {"citizens": upload})
    run_queued_jobs()
    html = client.get(response["Location"]).content.decode()
    assert "Intet er gemt" in html and "borgere.csv" in html
    assert Citizen.objects.count() == 0 and ImportRun.objects.count() == 0
