"""The citizen list's search and filters."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fhb.accounts.models import User
from fhb.core.standard.schema import QualityStandard
from fhb.offers.groups import group_filter_choices
from fhb.ui.choices import LookedUpOnce

MAX_SEARCH = 100

#: The value of the consultant filter that means the logged-in user.
MINE = "mine"


class OfferState(models.TextChoices):
    """Where a citizen's offer of the plan year stands, as a consultant thinks of it.

    Each active offer is in exactly one state (the first that fits, in the order of
    :func:`fhb.pages.citizen_list.offer_state`); ``NONE`` belongs to a citizen without an active offer.
    """

    NONE = "none", _("Uden tilbud")
    WAITING = "waiting", _("Afventer svar")
    PLANNED = "planned", _("Besøg planlagt")
    HELD = "held", _("Besøg gennemført")
    DECLINED = "declined", _("Takket nej")
    CLOSED_DOOR = "closed_door", _("Lukket dør")
    DEMENTIA_COORDINATOR = "dementia_coordinator", _("Demenskoordinator")
    EXEMPT = "exempt", _("Undtaget")
    # Shown in the list, not offered as filters.
    ANSWERED = "answered", _("Svaret, ikke planlagt")
    ASSESS = "assess", _("Vurderes")


#: The states a consultant can filter the citizen list by.
FILTER_STATES = [state for state in OfferState if state not in (OfferState.ANSWERED, OfferState.ASSESS)]


def consultant_choices() -> list[tuple[str, str]]:
    """Active users who plan visits (a planning row that is active), by name."""
    users = User.objects.filter(is_active=True, planning__active=True).order_by(
        "first_name", "last_name", "username"
    )
    return [
        ("", gettext("Alle konsulenter")),
        (MINE, gettext("Mine borgere")),
        *((str(user.pk), user.get_full_name() or user.username) for user in users),
    ]


class CitizenSearchForm(forms.Form):
    """The citizen list's search and filters. Every field is optional; a bad value is a field error.

    Group and consultant choices are looked up per form: the groups from the standard the page passes, and
    the users only when the field is shown or a consultant is chosen (one query).
    """

    q = forms.CharField(
        label=_("Søg"),
        required=False,
        min_length=2,
        max_length=MAX_SEARCH,
        error_messages={
            "max_length": _("Søgningen er for lang (højst %(limit_value)d tegn)."),
            "min_length": _("Skriv mindst %(limit_value)d tegn for at søge."),
        },
        widget=forms.TextInput(attrs={"placeholder": _("Navn, CPR-nummer eller adresse"), "autofocus": True}),
    )
    in_extract = forms.ChoiceField(
        label=_("Vis"),
        required=False,
        choices=[("", _("Borgere i seneste udtræk")), ("all", _("Alle borgere"))],
    )
    group = forms.ChoiceField(
        label=_("Målgruppe"),
        required=False,
        error_messages={"invalid_choice": _("Målgruppen %(value)s findes ikke i kvalitetsstandarden.")},
    )
    state = forms.ChoiceField(
        label=_("Tilbudsstatus"),
        required=False,
        choices=[("", _("Alle")), *((state.value, state.label) for state in FILTER_STATES)],
        error_messages={"invalid_choice": _("Tilbudsstatus %(value)s findes ikke. Vælg en fra listen.")},
    )
    consultant = forms.ChoiceField(
        label=_("Konsulent"),
        required=False,
        error_messages={
            "invalid_choice": _("Konsulenten findes ikke eller er ikke aktiv. Vælg en fra listen."),
        },
    )

    def __init__(self, *args: Any, standard: QualityStandard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = group_filter_choices(standard)
        # Set per form, so that the field and its widget share one look-up for this request.
        cast(forms.ChoiceField, self.fields["consultant"]).choices = LookedUpOnce(consultant_choices)
