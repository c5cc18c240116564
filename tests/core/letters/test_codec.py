"""A queued letter's JSON gives back the same letter (the outbox renders from it)."""

from __future__ import annotations

import json

import pytest
from tests.core.letters.test_render import make_letter

from fhb.core.letters.codec import letter_from_json, letter_to_json
from fhb.core.letters.model import LetterKind


@pytest.mark.parametrize("kind", list(LetterKind))
@pytest.mark.parametrize("joint", [False, True])
def test_round_trip_through_json(kind: LetterKind, joint: bool) -> None:
    letter = make_letter(kind, "hjoerring", joint=joint, extra={"note": "ekstra"})
    data = json.loads(json.dumps(letter_to_json(letter)))
    assert letter_from_json(data) == letter


def test_the_logo_is_not_stored_but_given_back() -> None:
    from dataclasses import replace

    letter = make_letter(LetterKind.FOLLOW_UP)
    with_logo = replace(letter, sender=replace(letter.sender, logo=b"<svg/>", logo_format="svg"))
    data = letter_to_json(with_logo)
    assert "logo" not in data["sender"] and "logo_format" not in data["sender"]
    assert letter_from_json(data, logo=b"<svg/>", logo_format="svg") == with_logo
