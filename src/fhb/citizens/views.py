"""The import of an extract from the browser, and what each import changed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fhb.accounts.access import role_required, staff_user
from fhb.accounts.models import Role
from fhb.citizens.actions import import_extract
from fhb.citizens.forms import ImportForm
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import ImportRun
from fhb.core.population.model import InvalidInput


@role_required(Role.ADMIN)
def import_page(request: HttpRequest) -> HttpResponse:
    problems = None
    truncated = False
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            citizens_file = form.cleaned_data["citizens"]
            events_file = form.cleaned_data["events"]
            try:
                run = import_extract(
                    ImportFile(citizens_file.name, citizens_file.read()),
                    ImportFile(events_file.name, events_file.read()) if events_file else None,
                    user=staff_user(request),
                )
            except InvalidInput as error:
                problems = error.problems
                truncated = error.truncated
                messages.error(request, _("Intet er gemt: filerne indeholder fejl."))
            else:
                messages.success(request, _("Indlæsningen er gennemført."))
                return redirect("import-run", pk=run.pk)
    else:
        form = ImportForm()
    runs = ImportRun.objects.select_related("user")[:20]
    return render(
        request,
        "citizens/import.html",
        {"form": form, "problems": problems, "truncated": truncated, "runs": runs},
    )


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
