"""The run's page lists the target groups in the standard's order: Målgruppe 1 before 2."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from fhb.offers.actions import start_run
from fhb.standards.current import current_standard
from tests.conftest import PASSWORD
from tests.offers.test_runs import load

pytestmark = pytest.mark.django_db


def test_run_page_lists_groups_in_the_standards_order(client: Any, make_user: Any) -> None:
    load()
    run = start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    make_user("leader")
    assert client.login(username="leader", password=PASSWORD)
    html = client.get(reverse("run-detail", args=[run.pk])).content.decode()
    table = html.split("Gældende afgørelser for planåret", 1)[1].split("</table>", 1)[0]
    groups = re.findall(r"<tr><td>(Målgruppe \d)[^<]*</td>", table)
    assert groups == ["Målgruppe 1", "Målgruppe 2", "Målgruppe 3", "Målgruppe 4"], groups
