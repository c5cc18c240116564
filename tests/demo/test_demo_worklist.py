"""Every shipped standard's demo has work in "Mine opgaver": for the demo consultant and for the leader."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from fhb.accounts.models import User
from fhb.demo.setup import build_demo
from fhb.offers.models import Assessment
from fhb.offers.years import default_plan_year
from fhb.pages import worklist
from fhb.pages.worklist import At
from fhb.standards.current import standard_named

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["hjoerring", "herning", "ishoej"])
def test_the_demo_gives_the_consultant_and_the_leader_a_worklist(name: str, data_dir: Path) -> None:
    today = timezone.localdate()
    build_demo(
        standard_named(name),
        name=name,
        year=default_plan_year(today),
        seed=1,
        size=0.15,
        data_dir=data_dir,
        today=today,
    )
    at = At.current()
    for username in ("konsulent", "leder"):
        user = User.objects.get(username=username)
        counts = worklist.tally(worklist.scope_for(user), at)
        kinds = worklist.by_kind(counts)
        assert kinds.get(worklist.Kind.ASSESSMENT) and kinds[worklist.Kind.ASSESSMENT].total, (
            f"{name}: {username} has no assessment in the worklist ({kinds})"
        )
    referrals = Assessment.objects.filter(origin=Assessment.Origin.REFERRAL)
    assert referrals.count() == 3, "the demo's three made-up referrals"
    assert not Assessment.objects.filter(outcome="", consultant=None).exists(), "every case has a consultant"
