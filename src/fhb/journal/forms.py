"""The journal note and consent forms; a note's choices come from the standard's [journal] table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fhb.core.standard.schema import Journal
from fhb.journal.models import Consent
from fhb.ui.forms import DateInput, validate_not_future, validate_year


def _choices(items: list[str]) -> list[tuple[str, str]]:
    return [(item, item) for item in items]


class NoteForm(forms.Form):
    topics = forms.MultipleChoiceField(label=_("Emner"), required=False, widget=forms.CheckboxSelectMultiple)
    themes = forms.MultipleChoiceField(label=_("Temaer"), required=False, widget=forms.CheckboxSelectMultiple)
    referrals = forms.MultipleChoiceField(
        label=_("Henvist til"), required=False, widget=forms.CheckboxSelectMultiple
    )
    agreements = forms.CharField(label=_("Aftaler"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label=_("Notat"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    pass_on = forms.BooleanField(
        label=_("Borgeren giver samtykke til, at oplysninger videregives"), required=False
    )
    pass_on_scope = forms.CharField(label=_("Til hvem og om hvad"), required=False, max_length=500)
    visit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, rule: Journal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = _choices(rule.topics)  # type: ignore[attr-defined]
        self.fields["themes"].choices = _choices(rule.themes)  # type: ignore[attr-defined]
        self.fields["referrals"].choices = _choices(rule.referrals)  # type: ignore[attr-defined]
        if not rule.pass_on_consent:
            del self.fields["pass_on"], self.fields["pass_on_scope"]


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Samtykke til"), choices=Consent.Kind.choices)
    given = forms.ChoiceField(label=_("Givet"), choices=Consent.Given.choices)
    given_on = forms.DateField(
        label=_("Dato"), widget=DateInput, validators=[validate_year, validate_not_future]
    )
    scope = forms.CharField(label=_("Omfang"), required=False, max_length=500)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Trukket tilbage den"), widget=DateInput, validators=[validate_year, validate_not_future]
    )
