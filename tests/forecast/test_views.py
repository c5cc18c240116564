"""The leader's forecast page and the comparison with an edited standard."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.core.forecast import apply_preset
from tests.citizens.builders import citizens_csv, person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEXT = timezone.localdate().year + 1


def hjoerring_text() -> str:
    return resources.files("fhb").joinpath("standards", "hjoerring.toml").read_text(encoding="utf-8")


@pytest.fixture
def leader(client: Any, make_user: Any) -> Any:
    rows = [
        person(f"{date(NEXT - 75, 1 + i, 10):%d%m%y}{1001 + i:04d}", f"Borger {i}", f"adr-{i}")
        for i in range(6)
    ]
    import_extract(ImportFile("citizens.csv", citizens_csv(rows)))
    make_user("leader")
    assert client.login(username="leader", password=PASSWORD)
    return client


def test_the_form_proposes_the_next_three_years(leader: Any) -> None:
    response = leader.get(reverse("forecast"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Prognose: breve, besøg og konsulenter" in page
    assert f'value="{NEXT}"' in page and f'value="{NEXT + 2}"' in page
    assert "Konsulenter:" not in page, "nothing is computed before the leader asks"


def test_the_forecast_shows_a_table_per_year_and_the_assumptions(leader: Any) -> None:
    response = leader.get(reverse("forecast"), {"first_year": NEXT, "last_year": NEXT + 1, "drive_min": 15})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h2>{NEXT}</h2>" in page and f"<h2>{NEXT + 1}</h2>" in page
    assert page.count("Konsulenter:") == 2
    assert "Forudsætninger" in page and "Kørsel: 15 min pr. besøg (angivet af brugeren)" in page
    assert "age75" in page


def test_years_that_cannot_be_forecast_are_refused_in_danish(leader: Any) -> None:
    response = leader.get(reverse("forecast"), {"first_year": NEXT + 2, "last_year": NEXT})
    page = response.content.decode()
    assert "Årene kan ikke bruges" in page and "før startåret" in page
    assert "Konsulenter:" not in page


def test_compare_form_holds_the_standard_in_force_as_text(leader: Any) -> None:
    response = leader.get(reverse("forecast-compare"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<textarea" in page and "id = &quot;hjoerring&quot;" in page
    assert "75-årige får et fast tidspunkt" in page and "82+ hvert andet år" in page


def post(client: Any, text: str, **more: Any) -> str:
    data = {"first_year": NEXT, "last_year": NEXT + 1, "standard_text": text, **more}
    response = client.post(reverse("forecast-compare"), data)
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_preset_edits_the_text_without_computing(leader: Any) -> None:
    page = post(leader, hjoerring_text(), preset="age75_with_time")
    assert "forslag: brev med fast tidspunkt" in page
    assert "Konsulenter:" not in page


def test_comparison_shows_base_alternative_and_difference(leader: Any) -> None:
    page = post(leader, apply_preset(hjoerring_text(), "age75_with_time"))
    assert "Forslaget kan ikke bruges" not in page
    assert page.count("Konsulenter:") == 2 and "med forslaget" in page
    assert "+6" in page, "six 75-year-olds now get a letter with a time"


def test_a_broken_edited_standard_is_refused_in_danish_with_the_line(leader: Any) -> None:
    page = post(leader, hjoerring_text().replace("duration_min = 60", 'duration_min = "en time"'))
    assert "Forslaget kan ikke bruges som kvalitetsstandard" in page
    assert "linje " in page and "skal være et heltal" in page
    assert "Konsulenter:" not in page
    page = post(leader, "dette er ikke toml = = =")
    assert "ikke gyldig TOML" in page and "linje 1" in page


def test_consultants_may_not_see_the_forecast(client: Any, make_user: Any) -> None:
    make_user("consultant")
    assert client.login(username="consultant", password=PASSWORD)
    assert client.get(reverse("forecast")).status_code == 403
    assert client.post(reverse("forecast-compare"), {}).status_code == 403
