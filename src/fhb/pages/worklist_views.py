"""The page "Mine opgaver" (issue 19): a consultant's tasks and the team's, a leader's view of all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import Role, User
from fhb.pages import worklist
from fhb.pages.worklist import At, Kind, Scope, Tally, Task
from fhb.ui.choices import LookedUpOnce

#: The most rows of one kind the page shows; the rest are counted ("og 12 flere").
ROWS_PER_KIND = 50

#: The consultant filter's value for the tasks nobody owns.
TEAM = "team"


def _people() -> list[tuple[str, str]]:
    users = User.objects.filter(
        is_active=True, role__in=[Role.CONSULTANT, Role.DEMENTIA_COORDINATOR, Role.LEADER]
    ).order_by("first_name", "last_name", "username")
    return [
        ("", gettext("Alle")),
        (TEAM, gettext("Ingen bestemt (teamets)")),
        *((str(u.pk), u.get_full_name() or u.get_username()) for u in users),
    ]


class WorklistFilterForm(forms.Form):
    """A leader's filters: whose tasks, and which kind."""

    consultant = forms.ChoiceField(
        label=_("Konsulent"),
        required=False,
        error_messages={"invalid_choice": _("Konsulenten findes ikke. Vælg en fra listen.")},
    )
    kind = forms.ChoiceField(
        label=_("Opgave"),
        required=False,
        error_messages={"invalid_choice": _("Den slags opgave findes ikke. Vælg en fra listen.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["consultant"]).choices = LookedUpOnce(_people)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", gettext("Alle")),
            *((kind, worklist.kind_label(kind)) for kind in Kind.ALL),
        ]

    def scope(self) -> Scope:
        """The leader's scope as filtered (every task when the form is not valid)."""
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("kind") or ""
        kinds = frozenset([kind]) if kind else frozenset(Kind.ALL)
        consultant = data.get("consultant") or ""
        if consultant == TEAM:
            return Scope(kinds=kinds, team=True)
        if consultant:
            return Scope(kinds=kinds, user_id=int(consultant), team=False)
        return Scope(kinds=kinds, everyone=True)


@dataclass(frozen=True)
class Section:
    """One kind of task on the page: its rows and how many more there are."""

    kind: str
    label: str
    tally: Tally
    rows: list[Task]

    @property
    def more(self) -> int:
        return max(0, self.tally.total - len(self.rows))


def sections(scope: Scope, at: At) -> list[Section]:
    kinds = worklist.by_kind(worklist.tally(scope, at))
    rows = worklist.tasks(scope, at, limit=ROWS_PER_KIND)
    return [
        Section(kind, worklist.kind_label(kind), tally, rows.get(kind, [])) for kind, tally in kinds.items()
    ]


@role_required(*STAFF_ROLES)
def worklist_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    at = At.current()
    leader = worklist.sees_everyone(user)
    form = WorklistFilterForm(request.GET or None) if leader else None
    scope = form.scope() if form is not None else worklist.scope_for(user)
    return render(
        request,
        "pages/worklist.html",
        {
            "today": at.today,
            "leader": leader,
            "form": form,
            "filtered": form is not None and form.is_bound,
            "sections": sections(scope, at),
            "me": user.pk,
        },
    )
