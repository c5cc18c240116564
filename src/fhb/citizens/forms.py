"""The import page's form: an extract of the population and the care system's facts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    citizens = forms.FileField(label=_("Borgerfil (citizens.csv)"))
    events = forms.FileField(label=_("Hændelsesfil (events.csv)"), required=False)


class ConfirmImportForm(forms.Form):
    """Confirm a previewed import; when many citizens would be gone, by typing how many."""

    gone = forms.IntegerField(
        label=_("Antal borgere, der ikke længere er i udtrækket"), required=False, min_value=0
    )

    def __init__(self, *args: Any, expected: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected
        if expected is None:
            del self.fields["gone"]

    def clean_gone(self) -> int | None:
        typed = self.cleaned_data.get("gone")
        if self.expected is not None and typed != self.expected:
            raise forms.ValidationError(
                _(
                    "Skriv antallet af borgere, der ikke længere er i udtrækket, som det står ovenfor, "
                    "for at bekræfte."
                )
            )
        return typed
