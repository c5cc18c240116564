"""The dashboard's filters: year, target group and consultant. A bad value is a field error in Danish."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fhb.accounts.models import User
from fhb.core.standard.schema import QualityStandard
from fhb.offers.groups import group_filter_choices
from fhb.stats.figures import Filters, years_with_data
from fhb.ui.choices import LookedUpOnce


def consultant_choices() -> list[tuple[str, str]]:
    """Everybody who has, or had, a consultant's planning profile: past years count former staff too."""
    users = User.objects.filter(planning__isnull=False).order_by("first_name", "last_name", "username")
    return [
        ("", gettext("Alle konsulenter")),
        *((str(user.pk), user.get_full_name() or user.username) for user in users),
    ]


class DashboardForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("År"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Året %(value)s har ingen tal. Vælg et år fra listen.")},
    )
    group = forms.ChoiceField(
        label=_("Målgruppe"),
        required=False,
        error_messages={"invalid_choice": _("Målgruppen %(value)s findes ikke i kvalitetsstandarden.")},
    )
    consultant = forms.ChoiceField(
        label=_("Konsulent"),
        required=False,
        error_messages={"invalid_choice": _("Konsulenten %(value)s findes ikke. Vælg en fra listen.")},
    )

    def __init__(self, *args: Any, today: dt.date, standard: QualityStandard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        cast(forms.ChoiceField, self.fields["group"]).choices = group_filter_choices(standard)
        years = years_with_data(today)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [(str(y), str(y)) for y in years]
        cast(forms.ChoiceField, self.fields["consultant"]).choices = LookedUpOnce(consultant_choices)

    def filters(self) -> Filters:
        """The valid fields as filters; a field with an error falls back to its default (all, this year)."""
        self.is_valid()
        values = self.cleaned_data
        consultant = values.get("consultant")
        filters = Filters(
            year=values.get("year") or self.today.year,
            group=values.get("group") or "",
            consultant_id=int(consultant) if consultant else None,
        )
        # The menus show what the page counts: a value left out or refused shows as its default, or the
        # browser would select the first option (next year) and "Vis" would silently switch to it.
        shown = QueryDict(mutable=True)
        shown.update(self.data)
        shown["year"] = str(filters.year)
        shown["group"] = filters.group
        shown["consultant"] = str(filters.consultant_id or "")
        self.data = shown
        return filters
