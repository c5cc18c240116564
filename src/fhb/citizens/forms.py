from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_SEARCH = 100


class CitizenSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Søg"),
        required=False,
        max_length=MAX_SEARCH,
        widget=forms.TextInput(attrs={"placeholder": _("Navn, CPR-nummer eller adresse"), "autofocus": True}),
    )
    in_extract = forms.ChoiceField(
        label=_("Vis"),
        required=False,
        choices=[("", _("Borgere i seneste udtræk")), ("all", _("Alle borgere"))],
    )


class ImportForm(forms.Form):
    citizens = forms.FileField(label=_("Borgerfil (citizens.csv)"))
    events = forms.FileField(label=_("Hændelsesfil (events.csv)"), required=False)
