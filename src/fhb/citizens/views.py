"""Citizen list and page, and the import of an extract from the browser."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.access import STAFF_ROLES, role_required
from fhb.accounts.models import Role
from fhb.citizens.forms import CitizenSearchForm, ImportForm
from fhb.citizens.importer import ImportFile, import_extract
from fhb.citizens.models import Citizen, ImportRun
from fhb.core.population.model import InvalidInput
from fhb.offers.case_views import citizen_work
from fhb.offers.models import EligibilityRun
from fhb.offers.service import default_extract_date, explain_citizen
from fhb.offers.views import default_plan_year

PAGE_SIZE = 50
CPR_LIKE = re.compile(r"^\d{6}-?\d{0,4}$")


def search_citizens(query: str, queryset: QuerySet[Citizen]) -> QuerySet[Citizen]:
    """Filter by CPR (whole or the first digits), name words, or address."""
    query = query.strip()
    if not query:
        return queryset
    if CPR_LIKE.match(query):
        return queryset.filter(cpr__startswith=query.replace("-", ""))
    condition = Q()
    for word in query.split():
        condition &= (
            Q(name__icontains=word)
            | Q(dwelling__street__icontains=word)
            | Q(dwelling__postcode=word)
            | Q(dwelling__city__iexact=word)
        )
    return queryset.filter(condition)


@role_required(*STAFF_ROLES)
def citizen_list(request: HttpRequest) -> HttpResponse:
    form = CitizenSearchForm(request.GET or None)
    citizens: QuerySet[Citizen] = Citizen.objects.select_related("dwelling")
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if form.cleaned_data["in_extract"] != "all":
            citizens = citizens.filter(in_extract=True)
    else:
        citizens = citizens.filter(in_extract=True)
    citizens = search_citizens(query, citizens).order_by("name", "cpr")
    page = Paginator(citizens, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    template = "citizens/_results.html" if request.htmx else "citizens/list.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page, "query": query, "today": today})


@role_required(*STAFF_ROLES)
def citizen_detail(request: HttpRequest, cpr: str) -> HttpResponse:
    citizen = get_object_or_404(Citizen.objects.select_related("dwelling"), cpr=cpr)
    today = timezone.localdate()
    household = (
        Citizen.objects.filter(dwelling=citizen.dwelling).exclude(pk=citizen.pk).order_by("birth_date")
    )
    events = citizen.events.order_by("-start")
    changes = citizen.history.select_related("history_user").order_by("-history_date")[:50]
    latest_run = EligibilityRun.objects.first()
    year = latest_run.year if latest_run else default_plan_year(today)
    on = latest_run.on if latest_run else default_extract_date(year, today)
    return render(
        request,
        "citizens/detail.html",
        {
            "citizen": citizen,
            "age": citizen.age_on(today),
            "household": household,
            "events": [(e, e.in_force_on(today)) for e in events],
            "changes": changes,
            "today": today,
            "spouse": citizen.spouse(),
            "offers": citizen.offers.order_by("-year", "due_from"),
            "explanation": explain_citizen(citizen, year, on),
            **citizen_work(citizen),
        },
    )


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
                    user=request.user,
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
