"""An offer that invites to an activity, on the citizen's page: the dates and places she can still sign up
for, her sign-ups, and the sign-up itself.

For a collective arrangement (the group's ``arrangement``: information meetings instead of a visit) the
answers read differently: "yes" is the individual visit she asks for instead, "no" declines both. Signing
up for a date is a :class:`~fhb.events.models.Registration`, not an answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.core.standard.schema import QualityStandard
from fhb.events import actions as event_actions
from fhb.events.forms import OfferSignUpForm
from fhb.events.models import Event, Registration
from fhb.events.services import RegistrationError
from fhb.letters.compose import open_events
from fhb.offers.models import Offer
from fhb.standards.current import current_standard
from fhb.ui.forms import form_errors

#: How the answers read on an offer that is a collective arrangement.
ARRANGEMENT_REPLIES: dict[str, Promise] = {
    Offer.Reply.YES: gettext_lazy("Ønsker et individuelt besøg i stedet"),
    Offer.Reply.NO: gettext_lazy("Nej tak til både arrangement og besøg"),
}


@dataclass(frozen=True)
class SignUps:
    """What the offer card shows of the activity the offer invites to."""

    activity: str
    """The activity's name in the standard ("Informationsmøde om forebyggende hjemmebesøg")."""
    arrangement: bool
    """The activity is the offer itself (a collective arrangement instead of a visit)."""
    open: list[tuple[Event, int | None]]
    """The dates she can still sign up for, each with its free places (None: no limit)."""
    registrations: list[Registration]
    """Her sign-ups for the activity in the offer's plan year."""


def sign_ups(offer: Offer, standard: QualityStandard, today: dt.date) -> SignUps | None:
    """The activity work of ``offer``, or None when its group invites to no activity."""
    try:
        group = standard.group(offer.group)
    except KeyError:
        return None
    activity = group.invites_to
    if activity is None:
        return None
    name = next((a.name for a in standard.activities if a.id == activity), activity)
    events = open_events(offer, standard, today)
    registrations = list(
        offer.citizen.event_registrations.filter(event__activity=activity, event__start__year=offer.year)
        .select_related("event")
        .order_by("event__start")
    )
    registered = {r.event_id for r in registrations}
    return SignUps(
        activity=name,
        arrangement=group.arrangement is not None,
        open=[
            (e, None if e.capacity is None else max(0, e.capacity - e.taken))  # type: ignore[attr-defined]
            for e in events
            if e.pk not in registered
        ],
        registrations=registrations,
    )


def release_places(offer: Offer, standard: QualityStandard, today: dt.date) -> list[Event]:
    """After a *no* to a collective arrangement: cancel the citizen's sign-ups for its dates still ahead, so
    the places can go to others. Nothing for any other offer (a *no* to Hjørring's visit is no *no* to its
    seniormesse). Returns the dates she was signed up for."""
    try:
        activity = standard.group(offer.group).arrangement
    except KeyError:
        return []
    if activity is None:
        return []
    return event_actions.cancel_upcoming(offer.citizen, activity, offer.year, today=today)


def reply_choices(offer: Offer, standard: QualityStandard) -> list[tuple[str, str]]:
    """The answers the offer's form offers, worded for the offer (a collective arrangement reads its own)."""
    choices = [(str(value), str(label)) for value, label in Offer.Reply.choices[1:]]
    try:
        arrangement = standard.group(offer.group).arrangement is not None
    except KeyError:
        arrangement = False
    if not arrangement:
        return choices
    worded = [(v, str(ARRANGEMENT_REPLIES.get(v, label))) for v, label in choices]
    return [(v, label) for v, label in worded if v != Offer.Reply.OTHER_TIME]


@role_required(*STAFF_ROLES)
@require_POST
def offer_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the offer's citizen up for one of the dates of the activity the offer invites to."""
    offer = get_object_or_404(Offer.objects.select_related("citizen"), pk=pk)
    standard = current_standard()
    today = timezone.localdate()
    form = OfferSignUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tilmeldingen blev ikke gemt: ") + form_errors(form))
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    data = form.cleaned_data
    allowed = {e.pk: e for e in open_events(offer, standard, today)}
    event = allowed.get(data["event"])
    if event is None:
        messages.error(
            request,
            _(
                "Tilmeldingen blev ikke gemt: datoen er ikke en af dem, borgeren kan tilmeldes "
                "(den er måske fuldt booket eller overstået). Vælg en anden dato."
            ),
        )
        return redirect("citizen-detail", cpr=offer.citizen.cpr)
    try:
        event_actions.register(
            event,
            offer.citizen,
            standard=standard,
            registered_on=data["registered_on"],
            channel=data["channel"],
            note=data["note"],
            user=staff_user(request),
        )
    except RegistrationError as error:
        messages.error(request, _("Tilmeldingen blev ikke gemt: ") + str(error))
    else:
        messages.success(
            request,
            _("%(name)s er tilmeldt %(event)s den %(day)s.")
            % {
                "name": offer.citizen.name,
                "event": event.place,
                "day": f"{timezone.localtime(event.start):%d.%m.%Y}",
            },
        )
    return redirect("citizen-detail", cpr=offer.citizen.cpr)
