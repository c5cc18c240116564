"""The import from the import page as two background jobs (``fhb.jobs``), both holding the population lock.

``import_preview`` parses the uploaded files and computes what they would change, writing nothing; its
page asks a person to confirm (typing the number of citizens who would be gone when that is more than
``FHB_IMPORT_MAX_GONE_PERCENT``). ``import_apply`` then imports the same files all or nothing, and only if
no other import was applied since the preview was made.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile, parse_extract
from fhb.citizens.models import ImportRun
from fhb.citizens.preview import TooManyGone, preview_extract
from fhb.citizens.uploads import discard
from fhb.core.population.model import InvalidInput
from fhb.jobs.models import Job
from fhb.jobs.progress import Progress
from fhb.jobs.registry import JobFailed, Outcome, housekeeping, job_kind

#: How long an uploaded extract waits for a person to confirm or cancel it.
PREVIEW_KEPT = timedelta(days=3)
#: Problems of a refused file written into the job's message; the rest are counted.
PROBLEMS_SHOWN = 50


def files_of(params: dict[str, str]) -> tuple[ImportFile, ImportFile | None]:
    folder = Path(params["folder"])
    if not (folder / "citizens.csv").is_file():
        raise JobFailed(
            "Filerne fra uploadet findes ikke længere (annulleret, eller allerede indlæst). Upload igen."
        )
    citizens = ImportFile(params["citizens_name"], (folder / "citizens.csv").read_bytes())
    events = None
    if params.get("events_name"):
        events = ImportFile(params["events_name"], (folder / "events.csv").read_bytes())
    return citizens, events


def problems_text(error: InvalidInput) -> str:
    """Every problem kept (file, row, column, value, why), one a line, under the verdict."""
    lines = [str(problem) for problem in error.problems[:PROBLEMS_SHOWN]]
    if len(error.problems) > PROBLEMS_SHOWN or error.truncated:
        lines.append(f"… og flere fejl (de første {PROBLEMS_SHOWN} er vist).")
    return "Intet er gemt: filerne indeholder fejl.\n" + "\n".join(lines)


@job_kind("import_preview", lock="population")
def import_preview(job: Job, progress: Progress) -> Outcome:
    progress.step("Læser filerne")
    citizens, events = files_of(job.params)
    try:
        population = parse_extract(citizens, events)
    except InvalidInput as error:
        discard(job.params["folder"])
        raise JobFailed(problems_text(error)) from error
    progress.step("Sammenligner med de gemte borgere")
    preview = preview_extract(population, events_given=events is not None, today=timezone.localdate())
    counts = preview.counts
    return Outcome(
        message=(
            f"Forhåndsvisningen er klar: {counts.get('new', 0)} nye, {counts.get('gone', 0)} ikke længere i "
            f"udtrækket, {counts.get('died', 0)} døde. Intet er gemt endnu: se den og bekræft."
        ),
        url=reverse("import-preview", args=[job.pk]),
        data={"preview": preview.to_json(), "latest_run": latest_run_id()},
    )


@job_kind("import_apply", lock="population")
def import_apply(job: Job, progress: Progress) -> Outcome:
    preview_job = Job.objects.get(pk=job.params["preview"])
    if latest_run_id() != preview_job.result.get("latest_run"):
        raise JobFailed(
            "Intet er gemt: en anden indlæsning er gemt, efter forhåndsvisningen blev lavet, så den passer "
            "ikke længere. Upload filen igen for at se en ny forhåndsvisning."
        )
    progress.step("Læser filerne")
    citizens, events = files_of(preview_job.params)
    progress.step("Gemmer ændringerne (alt eller intet)")
    try:
        run = import_extract(
            citizens, events, user=job.started_by, confirmed_gone=job.params.get("confirmed_gone")
        )
    except InvalidInput as error:
        raise JobFailed(problems_text(error)) from error
    except TooManyGone as error:
        raise JobFailed(
            f"{error.message} Antallet, der blev skrevet ({job.params.get('confirmed_gone')}), passer ikke "
            "(længere). Upload filen igen."
        ) from error
    discard(preview_job.params["folder"])
    counts = run.summary["counts"]
    return Outcome(
        message=(
            f"Indlæsningen er gemt: {run.summary['total_citizens']} borgere; {counts['new']} nye, "
            f"{counts['died']} døde, {counts['gone']} ikke længere i udtrækket."
        ),
        url=reverse("import-run", args=[run.pk]),
    )


@housekeeping
def expire_previews(now: datetime) -> None:
    """Uploads nobody confirmed or cancelled within :data:`PREVIEW_KEPT` are removed (they hold the whole
    population's CPR numbers); the preview then says it has expired."""
    for job in Job.objects.filter(
        kind="import_preview", state=Job.State.DONE, finished_at__lt=now - PREVIEW_KEPT
    ):
        if job.result.get("cancelled") or job.result.get("applied_by") or job.result.get("expired"):
            continue
        discard(job.params["folder"])
        Job.objects.filter(pk=job.pk).update(result={**job.result, "expired": True})


def latest_run_id() -> int | None:
    return ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first()
