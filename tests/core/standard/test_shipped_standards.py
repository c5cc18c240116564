"""The shipped standard files against the standards' own texts (docs/standards/*.txt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fhb.core.standard import load_standard
from fhb.core.standard.schema import QualityStandard

SOURCES = Path(__file__).parents[3] / "docs" / "standards"
FILES = {"hjoerring": "hjoerring-2024.txt", "herning": "herning-2022.txt", "ishoej": "ishoej-2020.txt"}


def canonical(text: str) -> str:
    """Text without whitespace and ASCII hyphens: a clause quoted with the source's line-break hyphenation
    undone ("fore-\\nbyggende" -> "forebyggende") still matches, and so does "+65-årige" split over lines."""
    return re.sub(r"[\s\-]+", "", text)


def unquoted_clauses(standard: QualityStandard, text: str) -> list[str]:
    """The clauses of ``standard`` not found in its source ``text`` (already :func:`canonical`), each as
    "path (rule id): the clause's start..."."""
    return [
        f"{path} ({rule.id}): {clause[:60]}..."
        for path, rule in standard.rules()
        for clause in rule.clauses
        if canonical(clause) not in text
    ]


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_clause_is_quoted_verbatim_from_the_standard(name: str) -> None:
    source = SOURCES / FILES[name]
    if not source.exists():
        pytest.skip(f"{source} is not beside the repository")
    text = canonical(source.read_text(encoding="utf-8"))
    standard = load_standard(name)
    assert standard.source == FILES[name]
    missing = unquoted_clauses(standard, text)
    assert not missing, "clauses not found in the standard's text:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", sorted(FILES))
def test_clauses_keep_no_line_break_hyphenation(name: str) -> None:
    standard = load_standard(name)
    for path, rule in standard.rules():
        for clause in rule.clauses:
            assert "\n" not in clause, f"{path}: a line break in the clause"
            # "Social- og Sundhedsudvalget" is Danish for a shared ending; "fore- byggende" is not.
            left = re.search(r"[a-zæøå]- (?!og |eller )[a-zæøå]", clause)
            assert not left, f"{path}: hyphenation left in {clause!r}"


def test_the_readings_of_domain_md_are_recorded() -> None:
    """Each ambiguity DOMAIN.md resolves has a `reading` on the rule that expresses it."""
    ishoej = load_standard("ishoej")
    assert ishoej.group("age75").reading and ishoej.couples is not None and ishoej.couples.reading
    follow_up = ishoej.group("age75").follow_up
    assert follow_up is not None and follow_up.reading
    hjoerring = load_standard("hjoerring")
    assert hjoerring.group("risk").reading and hjoerring.exemptions[0].reading
    herning = load_standard("herning")
    assert all(herning.group(g).reading for g in ("alone70", "age75", "age80", "age82plus"))
    assert herning.group("risk").triggers[0].reading


def test_approval_and_municipality_match_the_texts() -> None:
    assert load_standard("hjoerring").approval.body == "Sundheds-, Ældre- og Handicapudvalget"
    assert load_standard("herning").approval.clause == "Godkendt af Social- og Sundhedsudvalget 15. juni 2022"
    assert load_standard("ishoej").approval.date_precision == "month"
