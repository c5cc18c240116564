"""Citizen list and page, and the import of an extract from the browser."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.access import STAFF_ROLES, role_required
from fhb.accounts.models import Role
from fhb.citizens.forms import MINE, CitizenSearchForm, ImportForm, OfferState, group_choices
from fhb.citizens.importer import ImportFile, import_extract
from fhb.citizens.models import Citizen, ImportRun
from fhb.core.population.model import InvalidInput
from fhb.offers.case_views import citizen_work
from fhb.offers.models import EligibilityRun, Offer
from fhb.offers.service import current_standard, default_extract_date, explain_citizen
from fhb.offers.views import default_plan_year
from fhb.visits.models import Visit
from fhb.visits.views import citizen_workspace

PAGE_SIZE = 50
CPR_LIKE = re.compile(r"^\d{6}-?\d{0,4}$")


#: A search word matching at most this many citizens is looked up first and its ids passed on; a broader
#: word stays a subquery (an id list this long would cost more than it saves).
SEARCH_IDS_LIMIT = 20_000


def search_citizens(query: str, queryset: QuerySet[Citizen]) -> QuerySet[Citizen]:
    """Filter by CPR (whole or the first digits), name words, or address.

    Each word must match the name, the street or postcode (not of a protected address: finding someone by
    it would reveal it) or the town. Per word the citizens ``name UNION address UNION town``: each part can
    use its own index (trigram indexes on PostgreSQL, migration citizens 0003), where one OR across the
    citizen-dwelling join makes the database read every citizen. The matches of a word are fetched first
    (a few milliseconds) so that the page and its count look citizens up by id instead of joining the
    whole table again.
    """
    query = query.strip()
    if not query:
        return queryset
    if CPR_LIKE.match(query):
        return queryset.filter(cpr__startswith=query.replace("-", ""))
    found: set[int] | None = None
    for word in query.split():
        matches = _word_matches(word)
        ids = list(matches[: SEARCH_IDS_LIMIT + 1])
        if len(ids) > SEARCH_IDS_LIMIT:
            queryset = queryset.filter(pk__in=matches)
        else:
            found = set(ids) if found is None else found & set(ids)
    return queryset if found is None else _among(queryset, sorted(found))


def _among(queryset: QuerySet[Citizen], ids: list[int]) -> QuerySet[Citizen]:
    """``queryset`` limited to ``ids``. PostgreSQL takes the ids as one array parameter (``= ANY``), which
    it hashes; as an ``IN`` list of thousands of literals the query took longer to parse than to run."""
    if connection.vendor == "postgresql":
        table = Citizen._meta.db_table
        return queryset.extra(where=[f'"{table}"."id" IN (SELECT unnest(%s::bigint[]))'], params=[ids])
    return queryset.filter(pk__in=ids)


def _word_matches(word: str) -> QuerySet[Citizen, int]:
    """The ids of the citizens whose name, street or postcode (unless protected) or town matches ``word``."""
    by_name = Citizen.objects.filter(name__icontains=word).order_by().values_list("pk", flat=True)
    by_address = (
        Citizen.objects.filter(
            Q(dwelling__street__icontains=word) | Q(dwelling__postcode=word), address_protected=False
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    by_town = Citizen.objects.filter(dwelling__city__iexact=word).order_by().values_list("pk", flat=True)
    return by_name.union(by_address, by_town)


class OfferLine(NamedTuple):
    """One active offer of the plan year as the citizen list shows it."""

    group: str
    group_title: str
    state: str
    state_label: str


def plan_year(today: date) -> int:
    """The year of the latest eligibility run (what the offers are for), else the default plan year."""
    year = EligibilityRun.objects.values_list("year", flat=True).first()
    return year if year is not None else default_plan_year(today)


def has_visit(*statuses: str, among: Sequence[int] | None = None) -> Q:
    """The offer has a visit in one of ``statuses``; ``among``: only these offers need the answer.

    An uncorrelated ``IN`` subquery over the visit-offer links: the database works it out once. (A
    correlated EXISTS, or a join to the offer's year, made SQLite walk the year's offers for every visit:
    0.3 s.) Without ``among`` it collects the links of every visit in the statuses (all years); the
    citizen list's page of offers passes its own, so the work does not grow with the years of history.
    """
    links = Visit.offers.through.objects.filter(visit__status__in=statuses)
    if among is not None:
        links = links.filter(offer_id__in=among)
    return Q(pk__in=links.values("offer_id"))


def offer_state(among: Sequence[int] | None = None) -> Case:
    """An offer's :class:`OfferState` as an SQL expression over ``Offer``: the first rule that fits wins.

    A decision other than an offer says it all; then what happened at the door counts before an answer
    (a held or planned visit, then a no, then a closed door); a cancelled visit counts as no visit.
    ``among``: the ids of the only offers the expression will be asked about (faster, same answers).
    """
    decision, reply, visit = Offer.Decision, Offer.Reply, Visit.Status

    def visited(*statuses: str) -> Q:
        return has_visit(*statuses, among=among)

    declined = Q(reply__in=[reply.NO, reply.NEVER_AGAIN]) | visited(visit.DECLINED)
    return Case(
        When(decision=decision.EXEMPT, then=Value(OfferState.EXEMPT.value)),
        When(decision=decision.DEMENTIA_COORDINATOR, then=Value(OfferState.DEMENTIA_COORDINATOR.value)),
        When(~Q(decision=decision.OFFER), then=Value(OfferState.ASSESS.value)),
        When(visited(visit.HELD), then=Value(OfferState.HELD.value)),
        When(visited(visit.PLANNED), then=Value(OfferState.PLANNED.value)),
        When(declined, then=Value(OfferState.DECLINED.value)),
        When(visited(visit.CLOSED_DOOR), then=Value(OfferState.CLOSED_DOOR.value)),
        When(reply=reply.NONE, then=Value(OfferState.WAITING.value)),
        default=Value(OfferState.ANSWERED.value),
        output_field=CharField(),
    )


def filter_by_offers(citizens: QuerySet[Citizen], year: int, group: str, state: str) -> QuerySet[Citizen]:
    """Citizens with an active offer of ``year`` of ``group`` (any when empty) in ``state`` (any when empty).

    ``OfferState.NONE`` is a citizen without an active offer (decision *offer*) of the group; with a group
    chosen, the citizen still has an active decision in it (exempt, handed over, to be assessed).
    ``pk IN (subquery)``, not joins: a citizen with several matching offers or visits comes once, so
    neither the count nor the page needs DISTINCT.
    """
    offers = Offer.objects.filter(year=year, status=Offer.Status.ACTIVE)
    if group:
        offers = offers.filter(group=group)
    if state == OfferState.NONE:
        without_offer = ~Q(pk__in=offers.filter(decision=Offer.Decision.OFFER).values("citizen_id"))
        in_group = Q(pk__in=offers.values("citizen_id")) if group else Q()
        return citizens.filter(in_group, without_offer)
    if state:
        offers = offers.annotate(state=offer_state()).filter(state=state)
    elif not group:
        return citizens
    return citizens.filter(pk__in=offers.values("citizen_id"))


def filter_by_consultant(citizens: QuerySet[Citizen], year: int, user_id: int) -> QuerySet[Citizen]:
    """Citizens with a planned or held visit by the consultant ``user_id`` for an offer of ``year``."""
    offers = Offer.objects.filter(
        year=year, visits__status__in=[Visit.Status.PLANNED, Visit.Status.HELD], visits__consultant_id=user_id
    )
    return citizens.filter(pk__in=offers.values("citizen_id"))


def offer_lines(citizens: list[Citizen], year: int) -> dict[int, list[OfferLine]]:
    """The active offers of ``year`` of ``citizens`` with their group and state, by citizen id (two queries:
    the offers' ids, then their states worked out for those offers alone)."""
    titles = dict(group_choices())
    labels = {group.id: group.label for group in current_standard().groups}
    active = Offer.objects.filter(
        citizen_id__in=[c.pk for c in citizens], year=year, status=Offer.Status.ACTIVE
    )
    ids = list(active.values_list("pk", flat=True))
    offers = (
        active.annotate(state=offer_state(among=ids))
        .order_by("due_from", "group")
        .values_list("citizen_id", "group", "state")
    )
    lines: dict[int, list[OfferLine]] = {}
    for citizen_id, group, state in offers:
        title = titles.get(group, group)
        line = OfferLine(labels.get(group, title), title, state, str(OfferState(state).label))
        lines.setdefault(citizen_id, []).append(line)
    return lines


@role_required(*STAFF_ROLES)
def citizen_list(request: HttpRequest) -> HttpResponse:
    form = CitizenSearchForm(request.GET)
    # A bad value is shown as the field's error and left out; the valid fields still search and filter.
    form.is_valid()
    values = form.cleaned_data
    today = timezone.localdate()
    year = plan_year(today)
    citizens: QuerySet[Citizen] = Citizen.objects.select_related("dwelling")
    if values.get("in_extract") != "all":
        citizens = citizens.filter(in_extract=True)
    query = values.get("q", "")
    citizens = search_citizens(query, citizens)
    citizens = filter_by_offers(citizens, year, values.get("group", ""), values.get("state", ""))
    if consultant := values.get("consultant"):
        # role_required lets only a logged-in user in, so "mine" has a user id.
        user_id = cast(int, request.user.pk) if consultant == MINE else int(consultant)
        citizens = filter_by_consultant(citizens, year, user_id)
    page = Paginator(citizens.order_by("name", "cpr"), PAGE_SIZE).get_page(request.GET.get("page"))
    lines = offer_lines(list(page), year)
    rows = [(citizen, lines.get(citizen.pk, [])) for citizen in page]
    template = "citizens/_results.html" if request.htmx else "citizens/list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"form": form, "page": page, "rows": rows, "query": query, "today": today, "year": year},
    )


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
            **citizen_workspace(request, citizen),
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
