from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fhb.accounts.models import User
from fhb.events.models import ClubVisit
from fhb.offers.models import Channel
from fhb.ui.forms import validate_not_future

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(forms.Form):
    """An event's activity, name, place, day, time and length; the view turns them into start and end."""

    activity = forms.ChoiceField(label=_("Aktivitet"))
    name = forms.CharField(label=_("Navn"), max_length=200)
    place = forms.CharField(label=_("Sted"), max_length=300)
    day = forms.DateField(label=_("Dato"), widget=DATE)
    start_time = forms.TimeField(
        label=_("Starttidspunkt"),
        initial=dt.time(10, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_min = forms.IntegerField(
        label=_("Varighed (minutter)"),
        min_value=15,
        max_value=24 * 60,
        help_text=_("Kvalitetsstandardens varighed er sat på forhånd."),
    )
    capacity = forms.IntegerField(
        label=_("Pladser"), min_value=1, max_value=100_000, required=False, help_text=_("Tomt: ingen grænse.")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, activities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = activities  # type: ignore[attr-defined]


class CitizenSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Søg borger (CPR-nummer eller navn)"),
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True}),
    )


class RegistrationForm(forms.Form):
    citizen = forms.IntegerField(widget=forms.HiddenInput)
    registered_on = forms.DateField(label=_("Tilmeldt den"), widget=DATE)
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices, initial=Channel.PHONE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    over_capacity = forms.BooleanField(
        label=_("Over kapacitet (lederens beslutning)"),
        required=False,
        help_text=_("Tilmeld selv om alle pladser er optaget."),
    )


class OfferSignUpForm(forms.Form):
    """A citizen signed up, from the offer, for one of the dates of the arrangement she was invited to."""

    event = forms.IntegerField(label=_("Dato og sted"))
    registered_on = forms.DateField(label=_("Tilmeldt den"), widget=DATE, validators=[validate_not_future])
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices, initial=Channel.PHONE)
    note = forms.CharField(label=_("Note"), required=False)


class ClubVisitForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ClubVisit
        fields = ["date", "club", "kind", "topic", "attendees", "consultant", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consultant = self.fields["consultant"]
        consultant.queryset = User.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "first_name", "last_name", "username"
        )
        consultant.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]


class ClubVisitFilterForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100, required=False)
    consultant = forms.ModelChoiceField(
        label=_("Konsulent"),
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name", "username"),
        required=False,
        empty_label=_("Alle"),
    )
