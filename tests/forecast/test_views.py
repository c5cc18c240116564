"""The leader's forecast page and the comparison with an edited standard: the form starts a background job,
the job stores what the page shows, and the page at ``?job=<id>`` shows it (without computing again)."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.core.forecast import apply_preset
from fhb.forecast import jobs
from fhb.jobs.models import Job
from fhb.jobs.starting import start_job
from tests.citizens.builders import citizens_csv, person
from tests.conftest import PASSWORD, run_queued_jobs

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


def without_token(page: str) -> str:
    """The page without its CSRF token (masked anew on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def computed(client: Any, response: Any) -> str:
    """Follow a started job: its page, the worker, then the result page it links to."""
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("job-detail", args=[job.pk]), (
        "a valid form starts a job and shows the job's page"
    )
    assert "I kø" in client.get(response["Location"]).content.decode()
    assert run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE, f"the job did not finish: {job.error}"
    page = client.get(response["Location"]).content.decode()
    assert "Se resultatet" in page and job.message in page
    result = client.get(job.result_url)
    assert result.status_code == 200
    return str(result.content.decode())


def test_the_forecast_is_a_job_whose_page_shows_a_table_per_year_and_the_assumptions(leader: Any) -> None:
    response = leader.post(reverse("forecast"), {"first_year": NEXT, "last_year": NEXT + 1, "drive_min": 15})
    page = computed(leader, response)
    assert f"<h2>{NEXT}</h2>" in page and f"<h2>{NEXT + 1}</h2>" in page
    assert page.count("Konsulenter:") == 2
    assert "Forudsætninger" in page and "Kørsel: 15 min pr. besøg (angivet af brugeren)" in page
    assert "age75" in page
    assert "Beregnet " in page and "over udtrækket pr." in page
    job = Job.objects.get()
    assert job.kind == "forecast" and job.title == f"Prognose for {NEXT}–{NEXT + 1}"
    assert job.params == {"first_year": NEXT, "last_year": NEXT + 1, "drive_min": 15, "hours_per_fte": None}
    assert job.result_url == f"{reverse('forecast')}?job={job.pk}"


def test_the_forecast_page_survives_a_reload_without_computing_again(
    leader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = leader.post(reverse("forecast"), {"first_year": NEXT, "last_year": NEXT + 1, "drive_min": 15})
    first = computed(leader, response)
    job = Job.objects.get()

    def no_computing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the page computed the forecast again")

    monkeypatch.setattr(jobs, "forecast", no_computing)
    monkeypatch.setattr(jobs, "forecast_inputs", no_computing)
    again = leader.get(job.result_url).content.decode()
    assert without_token(again) == without_token(first), "a reload shows the same page"
    assert Job.objects.count() == 1 and run_queued_jobs() == 0, "a reload starts no job"
    assert 'name="drive_min" value="15"' in again and f'name="last_year" value="{NEXT + 1}"' in again, (
        "the form holds the job's values"
    )


def test_years_that_cannot_be_forecast_are_refused_in_danish_at_once(leader: Any) -> None:
    response = leader.post(reverse("forecast"), {"first_year": NEXT + 2, "last_year": NEXT})
    assert response.status_code == 200, "a form with mistakes answers in the request"
    page = response.content.decode()
    assert "Årene kan ikke bruges" in page and "før startåret" in page
    assert "Konsulenter:" not in page
    assert not Job.objects.exists(), "no job is started for a form with mistakes"


def test_the_forecast_page_refuses_a_job_of_another_kind(leader: Any) -> None:
    other = start_job("eligibility_run", "Årskørsel", params={"year": NEXT, "kind": "yearly"}, user=None)
    response = leader.get(reverse("forecast"), {"job": other.pk})
    assert response.status_code == 404
    page = response.content.decode()
    assert "Beregningen findes ikke" in page and "Konsulenter:" not in page
    assert f'value="{NEXT}"' in page, "the form proposes the next years, as without a job"
    comparison = start_job(jobs.COMPARE, "Sammenligning", params={}, user=None)
    assert leader.get(reverse("forecast"), {"job": comparison.pk}).status_code == 404
    for bad in ("abc", "-1", "99999999999999999999999", "", "1e3"):
        assert leader.get(reverse("forecast"), {"job": bad}).status_code == 404, bad


def test_an_unfinished_forecast_says_so_and_links_to_its_job(leader: Any) -> None:
    leader.post(reverse("forecast"), {"first_year": NEXT, "last_year": NEXT})
    job = Job.objects.get()
    response = leader.get(reverse("forecast"), {"job": job.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Beregningen er ikke færdig endnu (i kø)" in page and reverse("job-detail", args=[job.pk]) in page
    assert "Konsulenter:" not in page


def test_a_failed_forecast_shows_the_error_in_danish(leader: Any) -> None:
    leader.post(reverse("forecast"), {"first_year": NEXT, "last_year": NEXT})
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error="Arbejderen stoppede.")
    page = leader.get(reverse("forecast"), {"job": job.pk}).content.decode()
    assert "Beregningen fejlede: Arbejderen stoppede." in page


def test_a_leader_sees_a_forecast_a_colleague_started(leader: Any, make_user: Any) -> None:
    leader.post(reverse("forecast"), {"first_year": NEXT, "last_year": NEXT})
    run_queued_jobs()
    job = Job.objects.get()
    make_user("leader", username="leder2")
    client = Client()
    assert client.login(username="leder2", password=PASSWORD)
    assert client.get(job.result_url).status_code == 200, "a leader sees a colleague's forecast"


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
    assert not Job.objects.exists(), "a preset only edits the text, in the request"


def test_the_comparison_is_a_job_whose_page_shows_base_alternative_and_difference(leader: Any) -> None:
    edited = apply_preset(hjoerring_text(), "age75_with_time")
    data = {"first_year": NEXT, "last_year": NEXT + 1, "standard_text": edited}
    page = computed(leader, leader.post(reverse("forecast-compare"), data))
    assert "Forslaget kan ikke bruges" not in page
    assert page.count("Konsulenter:") == 2 and "med forslaget" in page
    assert "+6" in page, "six 75-year-olds now get a letter with a time"
    assert "forslag: brev med fast tidspunkt" in page, "the form holds the edited text the job compared"
    job = Job.objects.get()
    assert job.kind == "forecast_compare" and job.params["standard_text"] == edited
    assert job.result_url == f"{reverse('forecast-compare')}?job={job.pk}"


def test_the_comparison_survives_a_reload_and_refuses_a_forecast_job(leader: Any) -> None:
    data = {"first_year": NEXT, "last_year": NEXT, "standard_text": hjoerring_text()}
    first = computed(leader, leader.post(reverse("forecast-compare"), data))
    job = Job.objects.get()
    again = leader.get(job.result_url).content.decode()
    assert without_token(again) == without_token(first), "a reload shows the same page"
    assert run_queued_jobs() == 0, "a reload starts no job"
    leader.post(reverse("forecast"), {"first_year": NEXT, "last_year": NEXT})
    forecast_job = Job.objects.get(kind="forecast")
    response = leader.get(reverse("forecast-compare"), {"job": forecast_job.pk})
    assert response.status_code == 404 and "Beregningen findes ikke" in response.content.decode()
    assert leader.get(reverse("forecast"), {"job": job.pk}).status_code == 404


def test_a_broken_edited_standard_is_refused_in_danish_with_the_line(leader: Any) -> None:
    page = post(leader, hjoerring_text().replace("duration_min = 60", 'duration_min = "en time"'))
    assert "Forslaget kan ikke bruges som kvalitetsstandard" in page
    assert "linje " in page and "skal være et heltal" in page
    assert "Konsulenter:" not in page
    page = post(leader, "dette er ikke toml = = =")
    assert "ikke gyldig TOML" in page and "linje 1" in page
    assert not Job.objects.exists(), "no job is started for a text that is no standard"


def test_consultants_may_not_see_the_forecast(client: Any, make_user: Any) -> None:
    make_user("consultant")
    assert client.login(username="consultant", password=PASSWORD)
    assert client.get(reverse("forecast")).status_code == 403
    assert client.post(reverse("forecast-compare"), {}).status_code == 403


def test_the_forecast_page_draws_letters_visits_and_consultants_per_year(leader: Any) -> None:
    response = leader.post(reverse("forecast"), {"first_year": NEXT, "last_year": NEXT + 2, "drive_min": 15})
    page = computed(leader, response)
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == 2, "a chart of letters and visits, and one of the consultants"
    assert "Breve og besøg pr. år" in charts[0] and "Konsulenter pr. år" in charts[1]
    years = (NEXT, NEXT + 1, NEXT + 2)
    assert all(f">{year}</text>" in charts[0] for year in years), "a group of bars per year"
    assert 'style="' not in page.split("<main", 1)[1], "no inline style: the CSP forbids it"


def test_a_forecast_stored_before_the_charts_is_shown_without_them(leader: Any) -> None:
    response = leader.post(reverse("forecast"), {"first_year": NEXT, "last_year": NEXT, "drive_min": 15})
    computed(leader, response)
    job = Job.objects.get()
    job.result = {key: value for key, value in job.result.items() if key != "chart"}
    job.save()
    page = leader.get(job.result_url).content.decode()
    assert "<svg" not in page and "Konsulenter:" in page
