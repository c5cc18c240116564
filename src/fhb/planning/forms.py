from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fhb.local_time import aware
from fhb.planning.models import Consultant
from fhb.ui.forms import validate_year

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


class ConsultantField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An active planning consultant, chosen by her user id (the id visits and the core use)."""

    def __init__(self) -> None:
        super().__init__(
            label=_("Konsulent"),
            queryset=Consultant.objects.filter(active=True).select_related("user"),
            to_field_name="user_id",
            empty_label=None,
        )

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except OverflowError:  # an id beyond the database's integers (SQLite): no such consultant
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class PlanRunForm(forms.Form):
    first = forms.DateField(label=_("Fra"), widget=DAY, validators=[validate_year])
    weeks = forms.IntegerField(label=_("Uger"), min_value=1, max_value=26)


class MoveVisitForm(forms.Form):
    day = forms.DateField(label=_("Dato"), widget=DAY, validators=[validate_year])
    time = forms.TimeField(label=_("Klokken"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    consultant = ConsultantField()
    reason = forms.CharField(
        label=_("Begrundelse (når besøget gives til en anden konsulent)"), required=False, max_length=200
    )

    def start(self) -> dt.datetime:
        return aware(dt.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"]))


class BookSlotForm(forms.Form):
    consultant = ConsultantField()
    start = forms.DateTimeField(label=_("Tidspunkt"), validators=[validate_year])
