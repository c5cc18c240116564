"""What a person sees of a page or a letter, and the internal names that must not be in it (issue 21).

:func:`visible_text` reduces an HTML answer to the text a user reads (no scripts, styles, comments,
attribute values or ``hidden`` elements); :func:`problems_in` lists each internal name found in such a
text: a group or trigger id of a standard (``age80``, ``risk.bereavement``), a UUID, an ISO date
(YYYY-MM-DD), a bare ten-digit CPR number (not DDMMYY-XXXX), a short date without leading zeros
(``7.1.2027``, not ``07.01.2027``) and a standard's slug (``hjoerring``).
:func:`shipped_group_ids` gives the group and trigger ids of every shipped standard, read with the
project's loader. The browser sweep and the test-client sweep (tests/web/test_plain_danish.py) use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import lxml.etree
import lxml.html

from fhb.core.standard.loader import available_standards, load_standard

__all__ = ["problems_in", "shipped_group_ids", "shipped_slugs", "visible_text"]

#: Elements whose text is not shown (or not text): left out with everything inside them.
_UNSEEN = frozenset({"script", "style", "template", "noscript", "head", "title", "meta", "link"})
#: Elements that start a new line, so that the text of two cells or paragraphs never runs together.
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog"),
        *("div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3"),
        *("h4", "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol", "optgroup", "option"),
        *("p", "pre", "section", "select", "summary", "table", "tbody", "td", "tfoot", "th", "thead"),
        *("tr", "ul", "textarea", "button", "label", "text", "tspan", "g", "svg"),
    }
)

_UUID = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}(?![0-9a-fA-F])")
_ISO_DATE = re.compile(r"(?<![\d-])\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d])")
#: Ten digits in a row whose first four read as a day and a month: a CPR number shown without its hyphen.
_BARE_CPR = re.compile(r"(?<![\d])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{6}(?![\d])")
#: A short date whose day or month has one digit (7.12.2026, 07.1.2027): tables show 07.12.2026. A time
#: (9.00) has no year; a long date (7. december 2026) has a space.
_UNPADDED_DATE = re.compile(r"(?<![\d.])(?:\d\.\d{1,2}|\d{2}\.\d)\.\d{4}(?![\d])")
#: Around an internal name: no letter, digit, hyphen, dot or @ before it (so not inside a word, a web
#: address or an e-mail address), no letter, digit or hyphen after it and no dot followed by a letter.
_BEFORE = r"(?<![\w@.\-])"
_AFTER = r"(?![\w\-]|\.\w)"


def visible_text(html: str) -> str:
    """The text of an HTML page (or fragment) as a user sees it, one line per block.

    Left out: ``<script>``, ``<style>``, ``<template>``, ``<head>`` (the tab's title included), comments,
    every attribute value (so a date input's ISO ``value``, hidden inputs, links and ``aria-*``), and
    elements with the ``hidden`` attribute. Kept: the text of everything else, options and SVG text too.
    Block elements (cells, paragraphs, list items, options...) are separated by line breaks; inline
    elements join their neighbours' text as the browser shows it (``<b>11.</b> oktober``).
    """
    if not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    body = root.find("body") if root.tag == "html" else root
    parts: list[str] = []
    _collect(root if body is None else body, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _collect(element: lxml.etree._Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    tag = tag.rsplit("}", 1)[-1].lower()
    seen = tag and tag not in _UNSEEN and element.get("hidden") is None
    if seen:
        block = tag in _BLOCKS
        if block:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            _collect(child, parts)
        if block:
            parts.append("\n")
    if element.tail:
        parts.append(element.tail)


@lru_cache(maxsize=1)
def shipped_group_ids() -> frozenset[str]:
    """The ids of every group and trigger of the shipped standards (``age80``, ``risk.widow``...)."""
    ids: set[str] = set()
    for name in available_standards():
        for group in load_standard(name).groups:
            ids.add(group.id)
            ids.update(trigger.id for trigger in group.triggers)
    return frozenset(ids)


@lru_cache(maxsize=1)
def shipped_slugs() -> frozenset[str]:
    """The ids (slugs) of the shipped standards: ``herning``, ``hjoerring``, ``ishoej``."""
    return frozenset(load_standard(name).id for name in available_standards())


def _word(words: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = sorted(set(words), key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(_BEFORE + "(?:" + "|".join(map(re.escape, alternatives)) + ")" + _AFTER)


@lru_cache(maxsize=16)
def _words(words: frozenset[str]) -> re.Pattern[str] | None:
    return _word(words)


def _around(text: str, match: re.Match[str]) -> str:
    start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
    return " ".join(text[start:end].split())


def problems_in(text: str, *, group_ids: Iterable[str] = ()) -> list[str]:
    """Each internal name in a visible ``text``, described with the text around it; empty when none.

    Looked for: the ``group_ids`` (group and trigger ids, as whole words; pass :func:`shipped_group_ids`),
    a UUID, an ISO date (YYYY-MM-DD), ten digits in a row that read as a CPR number (DDMM...), a short date
    without leading zeros (7.12.2026: tables write 07.12.2026), and the slug
    of a shipped standard (``hjoerring``, ``herning``, ``ishoej`` in lower case as a word, not inside a web
    or e-mail address: "Herning Kommune" is fine).
    """
    detectors: list[tuple[str, re.Pattern[str] | None]] = [
        ("gruppekode", _words(frozenset(group_ids))),
        ("UUID", _UUID),
        ("ISO-dato", _ISO_DATE),
        ("CPR-nummer uden bindestreg", _BARE_CPR),
        ("kort dato uden foranstillet nul", _UNPADDED_DATE),
        ("standardens kortnavn", _words(shipped_slugs())),
    ]
    found: list[str] = []
    for kind, pattern in detectors:
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            found.append(f"{kind} {match.group(0)!r} i: …{_around(text, match)}…")
    return found
