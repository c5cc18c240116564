from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fhb.offers.models import EligibilityRun


class StartRunForm(forms.Form):
    year = forms.IntegerField(label=_("Planår"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kørsel"), choices=EligibilityRun.Kind.choices)
