"""The forms of the assessment pages: a referral, and the consultant's decisions on an assessment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fhb.accounts.models import Role, User
from fhb.core.standard.schema import QualityStandard
from fhb.offers.assessments import referral_groups
from fhb.offers.models import Assessment, Offer
from fhb.ui.forms import DateInput, validate_not_future, validate_year

#: The letter kinds a consultant chooses between when the standard leaves it to her.
LETTER_CHOICES = [
    (Offer.Letter.WITH_TIME.value, _("Brev med tidspunkt")),
    (Offer.Letter.WITHOUT_TIME.value, _("Brev uden tidspunkt, borgeren kontakter os")),
]


class ReferralForm(forms.Form):
    group = forms.ChoiceField(label=_("Målgruppe"))
    referred_by = forms.ChoiceField(label=_("Henvist af"), choices=Assessment.ReferredBy.choices)
    referrer_name = forms.CharField(label=_("Henviserens navn"), required=False, max_length=200)
    received = forms.DateField(
        label=_("Modtaget"), widget=DateInput, validators=[validate_year, validate_not_future]
    )
    what = forms.CharField(
        label=_("Hvad drejer henvisningen sig om"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )
    consent = forms.BooleanField(
        label=_("Borgeren har givet samtykke til henvisningen"),
        required=False,
        help_text=_(
            "Kræves, når henvisningen kommer fra en pårørende: borgeren skal selv have sagt ja til, "
            "at vi får oplysningerne."
        ),
    )

    def __init__(self, *args: Any, standard: QualityStandard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.id, g.name) for g in referral_groups(standard)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("referred_by") == Assessment.ReferredBy.RELATIVE and not data.get("consent"):
            self.add_error("consent", _("En henvisning fra pårørende kræver borgerens samtykke."))
        return data


class NeedForm(forms.Form):
    reason = forms.CharField(label=_("Hvilket behov fandt du"), widget=forms.Textarea(attrs={"rows": 3}))
    letter = forms.ChoiceField(label=_("Brevet"), choices=LETTER_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, choose_letter: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not choose_letter:
            del self.fields["letter"]


class NoNeedForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor er der ikke behov for et besøg"), widget=forms.Textarea(attrs={"rows": 3})
    )


class TryForm(forms.Form):
    note = forms.CharField(
        label=_("Note (valgfri)"),
        required=False,
        max_length=80,
        help_text=_("Fx hvordan du prøvede: telefon, besked på telefonsvarer."),
    )


class DeclinedForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse (valgfri)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReassignForm(forms.Form):
    consultant = forms.ModelChoiceField(label=_("Konsulent"), queryset=User.objects.none())

    def __init__(self, *args: Any, current: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = User.objects.filter(is_active=True, role=Role.CONSULTANT).order_by(
            "first_name", "last_name", "username"
        )
        if current is not None:
            others = others.exclude(pk=current)
        self.fields["consultant"].queryset = others  # type: ignore[attr-defined]
