"""The import of an extract from the browser (upload, preview, confirm), and what each import changed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from fhb.accounts.access import role_required, staff_user
from fhb.accounts.models import Role
from fhb.citizens.forms import ConfirmImportForm, ImportForm
from fhb.citizens.models import ImportRun
from fhb.citizens.preview import ImportPreview, max_gone_percent
from fhb.citizens.uploads import MB, SizeLimit, discard, import_folder, keep
from fhb.jobs.models import Job
from fhb.jobs.starting import JobRefused, start_job


@csrf_exempt  # the size limit must be in place before the body is read; import_form checks the token
@role_required(Role.ADMIN)
def import_page(request: HttpRequest) -> HttpResponse:
    limit = SizeLimit(request)
    request.upload_handlers.insert(0, limit)
    return import_form(request, limit)


@csrf_protect
def import_form(request: HttpRequest, limit: SizeLimit) -> HttpResponse:
    """Upload: the files go to disk and a job previews them; nothing is stored before a person confirms."""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if limit.too_large:
            form.add_error(
                None,
                _("Filen %(name)s er større end grænsen på %(mb)s MB (FHB_IMPORT_MAX_MB); intet er gemt.")
                % {"name": limit.too_large, "mb": f"{limit.limit // MB:,}".replace(",", ".")},
            )
        elif form.is_valid():
            folder = import_folder()
            citizens, events = form.cleaned_data["citizens"], form.cleaned_data["events"]
            keep(citizens, folder, "citizens.csv")
            if events:
                keep(events, folder, "events.csv")
            params = {
                "folder": str(folder),
                "citizens_name": citizens.name,
                "events_name": events.name if events else "",
            }
            title = _("Forhåndsvisning af indlæsning: %(name)s") % {"name": citizens.name}
            try:
                job = start_job("import_preview", title, params=params, user=staff_user(request))
            except JobRefused as refused:
                discard(folder)
                form.add_error(None, str(refused))
            else:
                return redirect("job-detail", pk=job.pk)
    else:
        form = ImportForm()
    waiting = [
        job for job in Job.objects.filter(kind="import_preview", state=Job.State.DONE)[:20] if awaits(job)
    ]
    runs = ImportRun.objects.select_related("user")[:20]
    return render(request, "citizens/import.html", {"form": form, "runs": runs, "waiting": waiting})


@role_required(Role.ADMIN)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What the uploaded extract would change; confirm (typing a number if many would be gone) or cancel."""
    job = get_object_or_404(Job, pk=pk, kind="import_preview", state=Job.State.DONE)
    preview = ImportPreview.from_json(job.result["preview"])
    typed = preview.needs_typed_confirmation(max_gone_percent())
    form = ConfirmImportForm(request.POST or None, expected=preview.confirmation_number if typed else None)
    if request.method == "POST" and awaits(job):
        if "cancel" in request.POST:
            discard(job.params["folder"])
            Job.objects.filter(pk=job.pk).update(result={**job.result, "cancelled": True})
            messages.success(request, _("Indlæsningen er annulleret; intet er gemt."))
            return redirect("import")
        if form.is_valid():
            params = {"preview": job.pk, "confirmed_gone": preview.confirmation_number if typed else None}
            title = _("Indlæsning: %(name)s") % {"name": job.params["citizens_name"]}
            try:
                apply = start_job("import_apply", title, params=params, user=staff_user(request))
            except JobRefused as refused:
                messages.error(request, str(refused))
            else:
                Job.objects.filter(pk=job.pk).update(result={**job.result, "applied_by": apply.pk})
                return redirect("job-detail", pk=apply.pk)
    return render(
        request,
        "citizens/import_preview.html",
        {
            "job": job,
            "preview": preview,
            "rows": preview_rows(preview),
            "typed": typed,
            "limit": max_gone_percent(),
            "form": form,
            "open": awaits(job),
        },
    )


def awaits(job: Job) -> bool:
    """A finished preview that nobody has confirmed or cancelled yet."""
    return not any(job.result.get(key) for key in ("cancelled", "applied_by", "expired"))


def preview_rows(preview: ImportPreview) -> list[tuple[str, int, list[str]]]:
    """The preview's counts in the summary's order and words, with its examples (protected: no name)."""
    rows = []
    for key, label in SUMMARY_LABELS:
        examples = [
            f"{e.cpr} {e.name}" if e.name else f"{e.cpr} ({_('navne- og adressebeskyttet')})"
            for e in preview.examples.get(key, ())
        ]
        rows.append((label, preview.counts.get(key, 0), examples))
    return rows


@role_required(Role.ADMIN, Role.LEADER)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("user"), pk=pk)
    return render(request, "citizens/import_run.html", {"run": run, "rows": summary_rows(run.summary)})


#: The lines of an import summary, in the order a reader wants them, with their Danish label.
SUMMARY_LABELS = [
    ("new", "Nye borgere"),
    ("moved", "Flyttet"),
    ("died", "Døde"),
    ("civil_status_changed", "Ændret civilstand"),
    ("widowed", "Heraf blevet enke/enkemand"),
    ("gone", "Ikke længere i udtrækket"),
    ("returned", "Tilbage i udtrækket"),
    ("other_changes", "Borgere med ændrede oplysninger i alt"),
    ("dwellings_changed", "Boliger med ændret adresse eller position"),
    ("events_started", "Nye oplysninger fra omsorgssystemet"),
    ("events_ended", "Afsluttede oplysninger"),
    ("events_changed", "Ændrede oplysninger"),
    ("events_removed", "Oplysninger fjernet fra udtrækket"),
]


def summary_rows(summary: dict) -> list[tuple[str, int, list[str]]]:  # type: ignore[type-arg]
    counts = summary.get("counts", {})
    cprs = summary.get("cprs", {})
    return [(label, counts.get(key, 0), cprs.get(key, [])) for key, label in SUMMARY_LABELS]
