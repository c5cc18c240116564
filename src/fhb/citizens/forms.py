"""The import page's form: an extract of the population and the care system's facts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    citizens = forms.FileField(label=_("Borgerfil (citizens.csv)"))
    events = forms.FileField(label=_("Hændelsesfil (events.csv)"), required=False)
