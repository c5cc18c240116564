"""Assessments of need (vurderinger): the list, one assessment with the consultant's decisions, and
registering a referral for a citizen.

The decisions are posted to the assessment's own page with the name of the form (``action``); each one
that succeeds redirects back to it (POST/redirect/GET). The actions (:mod:`fhb.offers.assessment_actions`)
check who may act and that the assessment is still open, so a second post of the same form changes nothing
and shows why.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import Role, User
from fhb.citizens.models import Citizen
from fhb.core.standard.schema import QualityStandard
from fhb.offers.assessment_actions import (
    reassign,
    record_declined,
    record_need,
    record_no_need,
    record_try,
    register_referral,
)
from fhb.offers.assessment_forms import (
    LETTER_CHOICES,
    DeclinedForm,
    NeedForm,
    NoNeedForm,
    ReassignForm,
    ReferralForm,
    TryForm,
)
from fhb.offers.assessments import AssessmentError, offer_letter_kind
from fhb.offers.models import Assessment, Offer
from fhb.offers.rules import may
from fhb.standards.current import current_standard

#: How many ended assessments the list shows at most (the newest first).
ENDED_SHOWN = 200

#: The filter's words in the address: whose assessments (mine, all, or a consultant's number) and which.
MINE, ALL = "mine", "alle"
OPEN, ENDED = "aabne", "afsluttede"


@role_required(*STAFF_ROLES)
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    consultants = list(
        User.objects.filter(role=Role.CONSULTANT, assessments__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    default_who = MINE if user.role == Role.CONSULTANT else ALL
    who = request.GET.get("hvem", default_who)
    which = ENDED if request.GET.get("status") == ENDED else OPEN
    rows: QuerySet[Assessment] = Assessment.objects.select_related("citizen", "consultant")
    if who == MINE:
        rows = rows.filter(consultant=user)
    elif who.isdigit() and any(c.pk == int(who) for c in consultants):
        rows = rows.filter(consultant_id=int(who))
    else:
        who = ALL
    if which == OPEN:
        rows = rows.filter(outcome=Assessment.Outcome.PENDING).order_by("deadline", "citizen__name")
        shown = list(rows)
    else:
        rows = rows.exclude(outcome=Assessment.Outcome.PENDING).order_by("-decided_on", "-pk")
        shown = list(rows[:ENDED_SHOWN])
    return render(
        request,
        "offers/assessment_list.html",
        {
            "rows": shown,
            "today": timezone.localdate(),
            "who": who,
            "which": which,
            "consultants": consultants,
            "choices": {"mine": MINE, "all": ALL, "open": OPEN, "ended": ENDED},
            "cut": which == ENDED and len(shown) == ENDED_SHOWN,
        },
    )


def _forms(
    assessment: Assessment, standard: QualityStandard, data: Any = None, action: str = ""
) -> dict[str, forms.Form]:
    """The decision forms, the posted one bound to ``data``."""
    letter, _response = offer_letter_kind(assessment, standard)

    def bound(name: str) -> Any:
        return data if action == name else None

    return {
        "need": NeedForm(bound("need"), choose_letter=not letter, prefix="need"),
        "no_need": NoNeedForm(bound("no_need"), prefix="no_need"),
        "try": TryForm(bound("try"), prefix="try"),
        "declined": DeclinedForm(bound("declined"), prefix="declined"),
        "reassign": ReassignForm(bound("reassign"), current=assessment.consultant_id, prefix="reassign"),
    }


def _act(action: str, form: forms.Form, assessment: Assessment, standard: QualityStandard, user: User) -> str:
    """Carry out the posted decision; the success message."""
    data = form.cleaned_data
    today = timezone.localdate()
    if action == "need":
        record_need(
            assessment,
            reason=data["reason"],
            letter=data.get("letter", ""),
            today=today,
            standard=standard,
            user=user,
        )
        return _("Behov fundet: tilbuddet er givet.")
    if action == "no_need":
        record_no_need(assessment, reason=data["reason"], today=today, user=user)
        return _("Vurderingen er afsluttet: intet behov.")
    if action == "declined":
        record_declined(assessment, reason=data["reason"], today=today, user=user)
        return _("Vurderingen er afsluttet: borgeren takker nej.")
    if action == "try":
        ended = record_try(assessment, note=data["note"], today=today, standard=standard, user=user)
        if ended:
            return _("Forsøget er registreret. Borgeren er ikke truffet, og vurderingen er afsluttet.")
        return _("Forsøget er registreret.")
    reassign(assessment, consultant=data["consultant"], user=user)
    return _("Vurderingen er givet til %(name)s.") % {"name": data["consultant"]}


@role_required(*STAFF_ROLES)
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.select_related("citizen", "consultant", "decision", "offer", "decided_by"), pk=pk
    )
    user = staff_user(request)
    standard = current_standard()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    all_forms = _forms(assessment, standard, request.POST, action)
    problem = ""
    if action in all_forms:
        form = all_forms[action]
        if form.is_valid():
            try:
                done = _act(action, form, assessment, standard, user)
            except AssessmentError as error:
                problem = str(error)
            else:
                messages.success(request, done)
                return redirect("assessment-detail", pk=assessment.pk)
    elif action:
        problem = _("Formularen kendes ikke; prøv igen fra siden.")
    if problem:
        # The assessment may have changed under the post (decided in another tab): show it as it is now.
        assessment.refresh_from_db()
    return render(
        request,
        "offers/assessment_detail.html",
        {**_detail_context(assessment, standard, user), "forms": all_forms, "problem": problem},
    )


def _detail_context(assessment: Assessment, standard: QualityStandard, user: User) -> dict[str, Any]:
    letter, _response = offer_letter_kind(assessment, standard)
    most = standard.deadlines.contact_tries
    next_try = assessment.tries + 1
    offer: Offer | None = assessment.offer
    return {
        "a": assessment,
        "trigger_label": trigger_label(assessment, standard),
        "today": timezone.localdate(),
        "decision": assessment.decision,
        "given_letter": letter,
        "letter_label": dict(LETTER_CHOICES).get(letter, ""),
        "most_tries": most,
        "next_try": next_try,
        "last_try": next_try >= most,
        "may_decide": assessment.is_open and may(user, "decide", assessment),
        "may_reassign": assessment.is_open and may(user, "reassign", assessment),
        "offer": offer,
        "history": assessment.history.select_related("history_user").order_by("-history_date", "-history_id"),
    }


def trigger_label(assessment: Assessment, standard: QualityStandard) -> str:
    """The standard's name of what triggered the assessment (it holds the trigger's event, not its id)."""
    try:
        group = standard.group(assessment.group)
    except KeyError:
        return ""
    return next((t.label for t in group.triggers if t.event == assessment.trigger), "")


@role_required(*STAFF_ROLES)
def referral_new(request: HttpRequest, cpr: str) -> HttpResponse:
    citizen = get_object_or_404(Citizen, cpr=cpr)
    standard = current_standard()
    today = timezone.localdate()
    form = ReferralForm(
        request.POST or None, standard=standard, initial={"received": today, "referred_by": "colleague"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = register_referral(
                citizen, today=today, standard=standard, user=staff_user(request), **form.cleaned_data
            )
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Henvisningen er registreret som en vurdering."))
            return redirect("assessment-detail", pk=made.pk)
    return render(request, "offers/referral_new.html", {"citizen": citizen, "form": form})
