"""The citizen list: search, filter by the plan year's offers and their state, and page through."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple, cast

from django.core.paginator import Paginator
from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fhb.accounts.access import STAFF_ROLES, role_required
from fhb.citizens.models import Citizen
from fhb.citizens.protection import learn_protection
from fhb.citizens.search import search_citizens
from fhb.core.standard.schema import QualityStandard
from fhb.offers.groups import group_choices
from fhb.offers.models import EligibilityRun, Offer
from fhb.offers.years import default_plan_year
from fhb.pages.forms import MINE, CitizenSearchForm, OfferState
from fhb.standards.current import current_standard
from fhb.visits.models import Visit

PAGE_SIZE = 50


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


def offer_lines(citizens: list[Citizen], year: int, standard: QualityStandard) -> dict[int, list[OfferLine]]:
    """The active offers of ``year`` of ``citizens`` with their group and state, by citizen id (two queries:
    the offers' ids, then their states worked out for those offers alone)."""
    titles = dict(group_choices(standard))
    labels = {group.id: group.label for group in standard.groups}
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
    standard = current_standard()
    form = CitizenSearchForm(request.GET, standard=standard)
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
    learn_protection(page)
    lines = offer_lines(list(page), year, standard)
    rows = [(citizen, lines.get(citizen.pk, [])) for citizen in page]
    template = "pages/_citizen_results.html" if request.htmx else "pages/citizen_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"form": form, "page": page, "rows": rows, "query": query, "today": today, "year": year},
    )
