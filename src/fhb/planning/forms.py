from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fhb.core.letters.texts import MONTHS
from fhb.local_time import aware
from fhb.planning.booking import SlotWish
from fhb.planning.models import WEEKDAY_NAMES, Consultant
from fhb.ui.forms import validate_year

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


class ConsultantField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An active planning consultant, chosen by her user id (the id visits and the core use)."""

    def __init__(self, *, required: bool = True, empty_label: StrOrPromise | None = None) -> None:
        super().__init__(
            label=_("Konsulent"),
            queryset=Consultant.objects.filter(active=True).select_related("user"),
            to_field_name="user_id",
            required=required,
            empty_label=empty_label,
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


class SlotWishForm(forms.Form):
    """What the caller asks for on the free-times page (a GET form; any field may be left at "any")."""

    uge = forms.TypedChoiceField(
        label=_("Uge"), required=False, coerce=dt.date.fromisoformat, empty_value=None
    )
    dag = forms.TypedChoiceField(
        label=_("Dag"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle dage")), *((str(i), WEEKDAY_NAMES[i].capitalize()) for i in range(5))],
    )
    tid = forms.ChoiceField(
        label=_("Tid på dagen"),
        required=False,
        choices=[("", _("Hele dagen")), ("formiddag", _("Formiddag")), ("eftermiddag", _("Eftermiddag"))],
    )
    konsulent = ConsultantField(required=False, empty_label=_("Alle konsulenter"))

    def __init__(self, data: Any, *, weeks: Sequence[dt.date]) -> None:
        super().__init__(data)
        self.fields["uge"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle uger")),
            *((monday.isoformat(), week_label(monday)) for monday in weeks),
        ]

    def wish(self) -> SlotWish:
        """The wish as far as the form is valid: a field that is not (an old week, a made-up value) is any."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        part = {"formiddag": "morning", "eftermiddag": "afternoon"}.get(data.get("tid") or "", "")
        return SlotWish(data.get("uge"), data.get("dag"), part, data.get("konsulent"))


def week_label(monday: dt.date) -> str:
    """ "Uge 10 (1.–7. marts)": the week number and its days in Danish."""
    sunday = monday + dt.timedelta(days=6)
    first = f"{monday.day}." if monday.month == sunday.month else f"{monday.day}. {MONTHS[monday.month - 1]}"
    return _("Uge %(n)s (%(first)s–%(last)s)") % {
        "n": monday.isocalendar()[1],
        "first": first,
        "last": f"{sunday.day}. {MONTHS[sunday.month - 1]}",
    }
