"""Why an offer is made, in plain Danish, for a letter that answers several of a citizen's offers with one
visit: the words, the codec (old stored letters still decode) and the sentence each standard prints."""

from __future__ import annotations

import dataclasses

import pytest
from tests.core.letters.test_render import RENDERER, make_letter, text_of

from fhb.core.letters import LetterKind
from fhb.core.letters.codec import letter_from_json, letter_to_json
from fhb.core.letters.reasons import offer_reason
from fhb.core.standard.loader import load_standard
from fhb.core.standard.schema import TargetGroup


def group(standard_id: str, group_id: str) -> TargetGroup:
    return next(g for g in load_standard(standard_id).groups if g.id == group_id)


@pytest.mark.parametrize(
    ("group_id", "trigger", "words"),
    [
        ("age80", "", "fylder 80 år i år"),
        ("alone70", "", "bor alene og fylder 70 år i år"),
        ("age82plus", "", "fylder 82 år eller mere i år"),
        ("risk", "rehabilitation", "har afsluttet et rehabiliteringsforløb"),
        ("risk", "bereavement", "har mistet en ægtefælle eller samlever"),
        ("risk", "retraining", "har afsluttet en genoptræningsplan"),
    ],
)
def test_the_reason_of_hjoerrings_groups_and_triggers(group_id: str, trigger: str, words: str) -> None:
    assert offer_reason(group("hjoerring", group_id), trigger) == words


def test_an_offer_of_no_group_was_asked_for() -> None:
    assert offer_reason(None) == "har bedt om et besøg"


@pytest.mark.parametrize("standard_id", ["hjoerring", "herning", "ishoej"])
def test_every_shipped_trigger_has_words_of_its_own(standard_id: str) -> None:
    for target in load_standard(standard_id).groups:
        for trigger in target.triggers:
            words = offer_reason(target, trigger.event)
            assert not words.startswith("er i målgruppen"), (trigger.id, words)


def test_an_old_stored_letter_without_reasons_decodes_with_none() -> None:
    data = letter_to_json(make_letter(LetterKind.OFFER_WITH_TIME))
    del data["reasons"]
    assert letter_from_json(data).reasons == ()


def test_reasons_survive_the_codec() -> None:
    letter = make_letter(LetterKind.OFFER_WITH_TIME, reasons=("du fylder 80 år i år", "du har mistet en ven"))
    assert letter_from_json(letter_to_json(letter)) == letter


REASONS = ("du fylder 80 år i år", "du har afsluttet et rehabiliteringsforløb")


@pytest.mark.parametrize("standard_id", ["hjoerring", "herning", "ishoej", "example"])
def test_each_standards_letter_with_a_time_names_every_reason(standard_id: str) -> None:
    letter = make_letter(LetterKind.OFFER_WITH_TIME, standard_id, reasons=REASONS)
    text = " ".join(text_of(RENDERER.render(letter)).split())
    assert (
        "Du får tilbuddet, fordi du fylder 80 år i år, og fordi du har afsluttet et rehabiliteringsforløb."
        in text
    ), text
    plain = " ".join(text_of(RENDERER.render(dataclasses.replace(letter, reasons=()))).split())
    assert "fordi" not in plain, "a letter about one offer words its group as before"


def test_hjoerrings_letter_leaves_out_its_age80_sentence_when_it_names_several_reasons() -> None:
    age80 = "tilbyder alle et forebyggende hjemmebesøg i det år, de fylder 80 år"
    letter = make_letter(LetterKind.OFFER_WITH_TIME, "hjoerring")
    assert age80 in " ".join(text_of(RENDERER.render(letter)).split())
    both = dataclasses.replace(letter, reasons=REASONS)
    assert age80 not in " ".join(text_of(RENDERER.render(both)).split())
