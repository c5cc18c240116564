"""Forms of the consultant's day: a visit's outcome, its interpreter, and the citizen's home notes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fhb.ui.forms import validate_year
from fhb.visits.models import CancelledBy, CitizenTold, HomeNotes

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OutcomeForm(forms.Form):
    """What every outcome form has: why a leader records it for the visit's consultant (her own: empty)."""

    on_behalf = forms.CharField(
        label=_("Begrundelse for at registrere for konsulenten"), required=False, max_length=300
    )


class HeldForm(OutcomeForm):
    minutes = forms.IntegerField(label=_("Faktisk varighed (min)"), min_value=1, max_value=600)
    another_visit = forms.BooleanField(label=_("Behov for endnu et besøg"), required=False)
    next_start = forms.DateTimeField(
        label=_("Næste besøg aftalt til (valgfrit)"),
        required=False,
        widget=MOMENT,
        validators=[validate_year],
    )


class ClosedDoorForm(OutcomeForm):
    steps = forms.MultipleChoiceField(
        label=_("Proceduren ved lukket dør"), widget=forms.CheckboxSelectMultiple, required=False
    )
    note_left_at = forms.DateTimeField(
        label=_("Seddel lagt (dato og klokkeslæt)"), widget=MOMENT, validators=[validate_year]
    )

    def __init__(self, *args: object, steps: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["steps"].choices = [(s, s) for s in steps]  # type: ignore[attr-defined]


class DeclinedForm(OutcomeForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CancelledForm(OutcomeForm):
    by = forms.ChoiceField(label=_("Aflyst af"), choices=CancelledBy.choices)
    told = forms.ChoiceField(label=_("Borgeren orienteret ved"), choices=CitizenTold.choices)
    reason = forms.CharField(label=_("Begrundelse"), max_length=500)
    new_start = forms.DateTimeField(
        label=_("Nyt tidspunkt (valgfrit)"), required=False, widget=MOMENT, validators=[validate_year]
    )


class InterpreterForm(forms.Form):
    interpreter = forms.CharField(label=_("Tolk til sproget"), required=False, max_length=100)


class HomeNotesForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HomeNotes
        fields = ["phone", "pets", "smoking", "access"]
