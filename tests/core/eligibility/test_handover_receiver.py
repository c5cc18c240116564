"""A hand-over names its receiver (issue 20): ``[[handovers]] receiver``, "demenskoordinatoren" by default."""

from __future__ import annotations

from typing import Any

import pytest
from eligibility_builders import citizen, event, only, population, rows, standard_with
from pydantic import ValidationError

from fhb.core.eligibility.explain import explain, render_explanation
from fhb.core.standard import load_standard
from fhb.core.standard.schema import Handover

RECEIVER = "Ishøj Kommunes demenskoordinator"


def with_receiver(raw: dict[str, Any]) -> None:
    raw["handovers"][0]["receiver"] = RECEIVER


def test_the_receiver_is_named_in_the_reason_and_the_explanation() -> None:
    std = standard_with("ishoej", with_receiver)
    mads = citizen("1947-05-05")
    pop = population(mads, events=[event(mads, "dementia", "2026-10-10")])
    row = only(rows(std, pop), mads)
    assert row.decision == "dementia_coordinator"  # the contract's decision value is unchanged
    assert row.reason.startswith(f"{RECEIVER} overtager: demens")
    text = render_explanation(explain(std, pop, mads.cpr, 2027))
    assert f"overdrages til {RECEIVER}: demens" in text
    assert f"{RECEIVER} overtager: demens" in text


def test_without_a_receiver_the_shipped_wording_is_unchanged() -> None:
    std = load_standard("ishoej")
    assert [h.receiver for h in std.handovers] == [None]
    assert std.handovers[0].receiver_text == "demenskoordinatoren"
    mads = citizen("1947-05-05")
    pop = population(mads, events=[event(mads, "dementia", "2026-10-10")])
    assert only(rows(std, pop), mads).reason.startswith("Demenskoordinatoren overtager: demens")
    text = render_explanation(explain(std, pop, mads.cpr, 2027))
    assert "overdrages til demenskoordinatoren: demens" in text


def test_an_empty_receiver_is_refused() -> None:
    with pytest.raises(ValidationError):
        Handover(
            id="h",
            clause="…",
            label="demens",
            when_any=["dementia"],
            decision="dementia_coordinator",
            receiver="",
            applies_to=["risk"],
        )
