from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fhb.offers.models import Channel, EligibilityRun, Offer, Request
from fhb.ui.forms import DateInput, validate_not_future, validate_year


class StartRunForm(forms.Form):
    year = forms.IntegerField(label=_("Planår"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kørsel"), choices=EligibilityRun.Kind.choices)


class AnswerForm(forms.Form):
    reply = forms.ChoiceField(label=_("Svar"), choices=Offer.Reply.choices[1:])
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices)
    received = forms.DateField(
        label=_("Modtaget"), widget=DateInput, validators=[validate_year, validate_not_future]
    )
    new_start = forms.DateTimeField(
        label=_("Nyt tidspunkt (valgfrit)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Ved ja eller et andet tidspunkt: besøget bookes eller flyttes hertil."),
        validators=[validate_year],
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VisitTimeForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Tidspunkt"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_year],
    )
    proposed = forms.BooleanField(
        label=_("Foreslået tidspunkt (borgeren kan sige ja eller nej)"), required=False
    )


class RequestForm(forms.Form):
    received = forms.DateField(
        label=_("Modtaget"), widget=DateInput, validators=[validate_year, validate_not_future]
    )
    came_from = forms.ChoiceField(label=_("Henvendelse fra"), choices=Request.From.choices)
    contact_name = forms.CharField(label=_("Henvenderens navn"), required=False, max_length=200)
    consent = forms.BooleanField(label=_("Borgeren har givet samtykke"), required=False)
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices)
    note = forms.CharField(
        label=_("Hvad drejer henvendelsen sig om"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=_("Afgørelse"),
        choices=[("1", _("Bevilg besøg")), ("0", _("Afslå"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Begrundelse"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    """A follow-up on the list marked done: by a letter, or with a note of the call."""

    pk = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("letter", _("Send opfølgningsbrev")), ("done", _("Fulgt op"))], required=False
    )
    note = forms.CharField(label=_("Note"), required=False)
