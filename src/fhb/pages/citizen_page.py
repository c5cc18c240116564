"""A citizen's page: who the citizen is, the offers and why, the case's work (answers, letters, requests,
visits, the journal), and the forms that act on an offer (an answer, a time set by hand)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.citizens.protection import address_protected
from fhb.core.standard.schema import QualityStandard
from fhb.events.forms import OfferSignUpForm
from fhb.journal.forms import ConsentForm, NoteForm
from fhb.journal.models import Consent
from fhb.journal.reads import CITIZEN_PAGE
from fhb.journal.service import consent_in_force, journal_rule, read_journal
from fhb.letters.compose import NotReady
from fhb.letters.models import Letter
from fhb.offers.actions import register_answer
from fhb.offers.answers import AnswerError
from fhb.offers.declined import honours_never_again
from fhb.offers.forms import AnswerForm, VisitTimeForm
from fhb.offers.models import EligibilityRun, Offer
from fhb.offers.population import explain_citizen
from fhb.offers.years import default_extract_date, default_plan_year
from fhb.pages.arrangements import release_places, reply_choices, sign_ups
from fhb.planning.actions import answer_with_time, set_visit_time
from fhb.planning.locks import BookingError
from fhb.standards.current import current_standard
from fhb.ui.forms import form_errors
from fhb.visits.forms import HomeNotesForm
from fhb.visits.models import HomeNotes, Visit


@role_required(*STAFF_ROLES)
def citizen_detail(request: HttpRequest, cpr: str) -> HttpResponse:
    citizen = get_object_or_404(Citizen.objects.select_related("dwelling"), cpr=cpr)
    user = staff_user(request)
    standard = current_standard()
    today = timezone.localdate()
    # A protected housemate is not named on another's page: that would tell where she lives.
    household = (
        Citizen.objects.filter(dwelling=citizen.dwelling, address_protected=False)
        .exclude(pk=citizen.pk)
        .order_by("birth_date")
    )
    events = citizen.events.order_by("-start")
    changes = citizen.history.select_related("history_user").order_by("-history_date")[:50]
    latest_run = EligibilityRun.objects.first()
    year = latest_run.year if latest_run else default_plan_year(today)
    on = latest_run.on if latest_run else default_extract_date(year, today)
    return render(
        request,
        "pages/citizen_page.html",
        {
            "citizen": citizen,
            "age": citizen.age_on(today),
            "household": household,
            "events": [(e, e.in_force_on(today)) for e in events],
            "changes": changes,
            "today": today,
            "spouse": citizen.spouse(),
            "offers": citizen.offers.order_by("-year", "due_from"),
            "assessments": citizen.assessments.order_by("-known_on", "-pk"),
            "explanation": explain_citizen(citizen, year, on, standard),
            **offers_work(citizen, standard),
            **consultants_work(citizen, user, standard),
        },
    )


def offers_work(citizen: Citizen, standard: QualityStandard) -> dict[str, Any]:
    """What the citizen page shows of the offers' work: answer forms, letters, requests."""
    today = timezone.localdate()
    open_offers = citizen.offers.filter(status=Offer.Status.ACTIVE, decision=Offer.Decision.OFFER)
    return {
        "open_offers": [
            (o, visit, o.answers.all()[:5], reply_choices(o, standard), sign_ups(o, standard, today))
            for o, visit in current_first(open_offers, today)
        ],
        "sign_up_form": OfferSignUpForm(initial={"registered_on": today, "channel": "phone"}),
        "answer_form": AnswerForm(initial={"received": today, "channel": "phone"}),
        "visit_form": VisitTimeForm(),
        "never_again": honours_never_again(standard),
        "letters": Letter.objects.filter(citizen=citizen).order_by("-created_at")[:50],
        "requests": citizen.requests.order_by("-received"),
    }


DONE = (Visit.Status.HELD, Visit.Status.CLOSED_DOOR)
"""An offer whose visit took place (or met a closed door) is the past, whatever its status."""


def current_first(offers: Iterable[Offer], today: dt.date) -> list[tuple[Offer, Visit | None]]:
    """Each offer with its visit (planned, held or met by a closed door; the latest), the current one first.

    The current offer is the one the citizen may still be visited for: open, no visit that took place, its
    period not over. Among several, the latest plan year first, then the earliest start; the past last.
    """
    with_visit = [
        (o, o.visits.filter(status__in=(Visit.Status.PLANNED, *DONE)).order_by("-start").first())
        for o in offers
    ]

    def order(pair: tuple[Offer, Visit | None]) -> tuple[bool, bool, bool, int, dt.date]:
        offer, visit = pair
        done = visit is not None and visit.status in DONE
        return (done, not offer.is_open, offer.due_to < today, -offer.year, offer.due_from)

    return sorted(with_visit, key=order)


def consultants_work(citizen: Citizen, user: User, standard: QualityStandard) -> dict[str, Any]:
    """What the citizen page shows of the consultant's work: visits, home notes, consent and journal."""
    notes = HomeNotes.objects.filter(citizen=citizen).first()
    person = {
        "citizen": citizen,
        "notes": notes,
        # A protected address is shown on the visit's page and the consultant's day, never here.
        "show_address": not address_protected(citizen),
        "consent": consent_in_force(citizen, Consent.Kind.DOCUMENTATION),
        "pass_on": consent_in_force(citizen, Consent.Kind.PASS_ON),
        "journal": read_journal(citizen, user, CITIZEN_PAGE),
        "notes_form": HomeNotesForm(instance=notes, prefix=f"c{citizen.pk}"),
    }
    return {
        "person": person,
        "show_address": person["show_address"],
        "visits": Visit.objects.filter(offers__citizen=citizen)
        .select_related("consultant")
        .distinct()
        .order_by("-start"),
        "note_form": NoteForm(rule=journal_rule(standard)),
        "consent_form": ConsentForm(initial={"given_on": timezone.localdate()}),
    }


@role_required(*STAFF_ROLES)
@require_POST
def answer_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the citizen's answer; with a new time, the visit moves there (:mod:`fhb.planning.actions`)."""
    offer = get_object_or_404(Offer.objects.select_related("citizen"), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Svaret blev ikke registreret: ") + form_errors(form))
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    data = form.cleaned_data
    given = {
        "channel": data["channel"],
        "received": data["received"],
        "note": data["note"],
        "standard": current_standard(),
        "user": staff_user(request),
    }
    try:
        if data["new_start"] is None:
            register_answer(offer, data["reply"], today=timezone.localdate(), **given)
        else:
            answer_with_time(offer, data["reply"], data["new_start"], today=timezone.localdate(), **given)
    except (AnswerError, NotReady) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Svaret er registreret."))
        if data["reply"] in (Offer.Reply.NO, Offer.Reply.NEVER_AGAIN):
            for event in release_places(offer, given["standard"], timezone.localdate()):
                messages.info(
                    request,
                    _("Tilmeldingen til %(place)s den %(day)s er afmeldt, så pladsen kan gå til andre.")
                    % {"place": event.place, "day": f"{timezone.localtime(event.start):%d.%m.%Y}"},
                )
    return redirect("citizen-detail", cpr=offer.citizen.cpr)


@role_required(*STAFF_ROLES)
@require_POST
def offer_visit_time(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an offer a visit at a time agreed by hand (the planner does this for most offers)."""
    offer = get_object_or_404(Offer.objects.select_related("citizen"), pk=pk)
    form = VisitTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tidspunktet blev ikke sat: ") + form_errors(form))
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    try:
        set_visit_time(
            offer,
            form.cleaned_data["start"],
            consultant=staff_user(request),
            proposed=form.cleaned_data["proposed"],
            standard=current_standard(),
        )
    except BookingError as error:
        messages.error(request, _("Tidspunktet blev ikke sat: ") + str(error))
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    messages.success(request, _("Besøget er planlagt."))
    return redirect("citizen-detail", cpr=offer.citizen.cpr)
