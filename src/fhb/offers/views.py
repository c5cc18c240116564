"""The leader's eligibility runs: start one, see what it decided and what changed since the last."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.access import role_required
from fhb.accounts.models import Role
from fhb.jobs.views import start_from_page
from fhb.offers.forms import StartRunForm
from fhb.offers.groups import group_order
from fhb.offers.models import EligibilityRun, Offer
from fhb.offers.years import default_plan_year
from fhb.standards.current import current_standard


@role_required(Role.LEADER, Role.ADMIN)
def run_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        form = StartRunForm(request.POST)
        if form.is_valid():
            year, kind = form.cleaned_data["year"], form.cleaned_data["kind"]
            title = _("%(kind)s for %(year)s") % {"kind": EligibilityRun.Kind(kind).label, "year": year}
            return start_from_page(
                request, "eligibility_run", title, {"year": year, "kind": kind}, back="run-list"
            )
    else:
        form = StartRunForm(initial={"year": default_plan_year(today), "kind": EligibilityRun.Kind.YEARLY})
    runs = EligibilityRun.objects.select_related("user")[:50]
    standard = current_standard()
    return render(request, "offers/run_list.html", {"form": form, "runs": runs, "standard": standard})


@role_required(Role.LEADER, Role.ADMIN)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(EligibilityRun.objects.select_related("user"), pk=pk)
    standard = current_standard()
    labels = {g.id: g.label for g in standard.groups}
    counted = (
        Offer.objects.filter(year=run.year, status=Offer.Status.ACTIVE)
        .values("group", "decision")
        .annotate(n=Count("id"))
        .order_by()
    )
    in_standard_order = group_order(standard)
    decisions = list(Offer.Decision.values)
    rows = sorted(counted, key=lambda r: (in_standard_order(r["group"]), decisions.index(r["decision"])))
    table = [(labels.get(r["group"], r["group"]), Offer.Decision(r["decision"]).label, r["n"]) for r in rows]
    summary = run.summary
    new = Offer.objects.filter(pk__in=summary.get("new_ids", [])[:200]).select_related("citizen")
    withdrawn = Offer.objects.filter(pk__in=summary.get("withdrawn_ids", [])[:200]).select_related("citizen")
    return render(
        request,
        "offers/run_detail.html",
        {"run": run, "table": table, "new": new, "withdrawn": withdrawn, "labels": labels},
    )
