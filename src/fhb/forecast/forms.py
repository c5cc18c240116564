"""The forecast page's forms: the years and the leader's own figures, and the edited copy of the standard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fhb.core.forecast.editing import problem_lines
from fhb.core.forecast.years import years_problem
from fhb.core.standard import QualityStandard, StandardError, parse_standard

#: The name of the edited standard in messages (it has no file).
EDITED_SOURCE = "forslag.toml"


class ForecastForm(forms.Form):
    """The years, and the figures the leader may give instead of the history's (or the defaults)."""

    first_year = forms.IntegerField(label=gettext_lazy("Fra år"), min_value=2000, max_value=2200)
    last_year = forms.IntegerField(label=gettext_lazy("Til og med år"), min_value=2000, max_value=2200)
    drive_min = forms.IntegerField(
        label=gettext_lazy("Kørsel pr. besøg (min)"),
        required=False,
        min_value=0,
        max_value=600,
        help_text=gettext_lazy("Tomt: gennemsnittet af de gennemførte besøg, ellers 20 min."),
    )
    hours_per_fte = forms.IntegerField(
        label=gettext_lazy("Produktive timer pr. årsværk"),
        required=False,
        min_value=1,
        max_value=8784,
        help_text=gettext_lazy("Timer til besøg og kørsel på et år. Tomt: 1.300 timer."),
    )

    def __init__(self, *args: Any, extract_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extract_year = extract_year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None:
            problem = years_problem(first, last, self.extract_year)
            if problem is not None:
                raise forms.ValidationError(_("Årene kan ikke bruges: %(why)s.") % {"why": problem})
        return data

    @property
    def years(self) -> range:
        return range(self.cleaned_data["first_year"], self.cleaned_data["last_year"] + 1)


class CompareForm(ForecastForm):
    """Also the edited copy of the standard in force, as TOML text."""

    standard_text = forms.CharField(
        label=gettext_lazy("Forslag til kvalitetsstandard (TOML)"),
        strip=False,
        max_length=500_000,
        widget=forms.Textarea(attrs={"rows": 30, "cols": 110, "spellcheck": "false"}),
    )

    def clean_standard_text(self) -> str:
        text: str = self.cleaned_data["standard_text"].replace("\r\n", "\n")
        try:
            self.alternative: QualityStandard = parse_standard(text, EDITED_SOURCE)
        except StandardError as error:
            lines = problem_lines(error, text)
            raise forms.ValidationError(
                [_("Forslaget kan ikke bruges som kvalitetsstandard:"), *lines], code="standard"
            ) from None
        return text
