"""Editing a copy of a quality standard for a forecast: quick presets, and the loader's problems in Danish
with line numbers.

The presets change the TOML text itself, line by line, so the leader sees (and can edit further) exactly
what is compared, comments and quoted clauses included:

- ``age75_with_time`` ("75-årige får et fast tidspunkt"): the groups of those who turn 75 get a letter with
  a set time, which the citizen must decline (``letter = "with_time"``, ``response = "opt_out"``).
- ``age82_every_second_year`` ("82+ hvert andet år"): the format has no "every N years"; a yearly group
  "N and over" (``turns_at_least``) becomes one group per even age: the group itself for those turning N,
  and copies for N + 2, N + 4, ... up to :data:`OLDEST` (ids ``<id>_<age>``, same label), each added
  wherever the file lists the group (exemptions, hand-overs, couples, goals, activities).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from fhb.core.standard.loader import StandardError

#: Preset key -> its Danish name on the page.
PRESETS: dict[str, str] = {
    "age75_with_time": "75-årige får et fast tidspunkt",
    "age82_every_second_year": "82+ hvert andet år",
}

#: The oldest age "every second year" writes a group for.
OLDEST = 110

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(#.*)?$")
_ID = re.compile(r'^\s*id\s*=\s*"([^"]*)"')


class PresetNotPossible(ValueError):
    """The preset finds nothing to change in this standard (the message is Danish)."""


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 0-based
    header: str | None  # the table name when the line is a table header outside a string
    in_string: bool  # the line starts inside a multi-line string


def _scan(lines: list[str]) -> list[_Line]:
    """Each line's table header (if any) and whether it starts inside a multi-line basic string."""
    scanned = []
    inside = False
    for number, line in enumerate(lines):
        header = None
        if not inside:
            match = _HEADER.match(line)
            header = match.group(1) if match else None
        scanned.append(_Line(number, header, inside))
        if line.count('"""') % 2 == 1:
            inside = not inside
    return scanned


def _groups(lines: list[str]) -> dict[str, tuple[int, int, int]]:
    """Group id -> (first line of its ``[[groups]]`` header, end of its own keys, end of its block with
    sub-tables); ends are exclusive line numbers."""
    scanned = _scan(lines)
    headers = [line for line in scanned if line.header is not None]
    found: dict[str, tuple[int, int, int]] = {}
    for i, head in enumerate(headers):
        if head.header != "groups" or not lines[head.number].lstrip().startswith("[["):
            continue
        own_end = headers[i + 1].number if i + 1 < len(headers) else len(lines)
        block_end = len(lines)
        for later in headers[i + 1 :]:
            if not (later.header or "").startswith("groups."):
                block_end = later.number
                break
        for line in scanned[head.number + 1 : own_end]:
            match = None if line.in_string else _ID.match(lines[line.number])
            if match:
                found[match.group(1)] = (head.number, own_end, block_end)
                break
    return found


def _group_lines(lines: list[str], group_id: object) -> tuple[int, int, int]:
    """:func:`_groups`' lines of the group ``group_id``; refused when its id is not written ``id = "..."``
    (a number, a literal string: the text was edited by hand, and the lines cannot be found)."""
    found = _groups(lines).get(str(group_id))
    if found is None:
        raise PresetNotPossible(f"målgruppen {group_id!r} kan forslaget ikke finde i teksten")
    return found


def _key_line(lines: list[str], start: int, end: int, key: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for line in _scan(lines)[start:end]:
        if not line.in_string and pattern.match(lines[line.number]):
            return line.number
    return None


def _set_key(lines: list[str], start: int, end: int, key: str, value: str, comment: str) -> int:
    """Set ``key = value`` in the group whose own keys are lines start..end; returns the lines added."""
    number = _key_line(lines, start, end, key)
    text = f"{key} = {value}   # {comment}\n"
    if number is not None:
        lines[number] = text
        return 0
    id_line = _key_line(lines, start, end, "id")
    lines.insert((id_line if id_line is not None else start) + 1, text)
    return 1


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    raise PresetNotPossible("målgruppen har en værdi, forslaget ikke kan kopiere")


def _parsed(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PresetNotPossible(f"teksten er ikke gyldig TOML ({error}); ret den først") from None
    except (RecursionError, ValueError) as error:  # nested thousands deep; a number of thousands of digits
        why = (
            "værdier indlejret for dybt"
            if isinstance(error, RecursionError)
            else "et tal med for mange cifre"
        )
        raise PresetNotPossible(f"teksten er ikke gyldig TOML ({why}); ret den først") from None


def apply_preset(text: str, preset: str) -> str:
    """The standard's TOML ``text`` with ``preset`` applied. Raises :class:`PresetNotPossible`."""
    if preset == "age75_with_time":
        return _age75_with_time(text)
    if preset == "age82_every_second_year":
        return _every_second_year(text)
    raise PresetNotPossible(f"ukendt forslag {preset!r}")


def _age75_with_time(text: str) -> str:
    raw = _parsed(text)
    ids = [
        group.get("id")
        for group in raw.get("groups", [])
        if isinstance(group, dict)
        and isinstance(group.get("age"), dict)
        and group["age"].get("kind") == "turns"
        and group["age"].get("years") == 75
    ]
    if not ids:
        raise PresetNotPossible("kvalitetsstandarden har ingen målgruppe for dem, der fylder 75")
    lines = text.splitlines(keepends=True)
    for group_id in ids:
        start, end, _ = _group_lines(lines, group_id)
        comment = "forslag: brev med fast tidspunkt"
        end += _set_key(lines, start, end, "letter", '"with_time"', comment)
        end += _set_key(lines, start, end, "response", '"opt_out"', "forslag: borgeren skal framelde sig")
        if _key_line(lines, start, end, "decision") is not None:
            _set_key(lines, start, end, "decision", '"offer"', "forslag: tilbud med brev")
    return "".join(lines)


#: Keys of a group the copies of "every second year" do not take over (they get their own or none).
_NOT_COPIED = frozenset({"id", "title", "clause", "reading", "age", "triggers", "follow_up"})


def _every_second_year(text: str) -> str:
    raw = _parsed(text)
    yearly = [
        group
        for group in raw.get("groups", [])
        if isinstance(group, dict)
        and isinstance(group.get("age"), dict)
        and group["age"].get("kind") == "turns_at_least"
        and not group.get("triggers")
    ]
    if not yearly:
        raise PresetNotPossible(
            "kvalitetsstandarden har ingen årlig målgruppe for borgere fra en bestemt alder"
        )
    lines = text.splitlines(keepends=True)
    for group in yearly:
        group_id = str(group.get("id"))
        first = group["age"].get("years")
        if not isinstance(first, int) or isinstance(first, bool) or not 0 <= first <= OLDEST:
            raise PresetNotPossible(f"målgruppen {group_id} har ingen alder i hele år, forslaget kan ændre")
        start, own_end, block_end = _group_lines(lines, group_id)
        age_line = _key_line(lines, start, own_end, "age")
        if age_line is None:
            raise PresetNotPossible(
                f"målgruppen {group_id} skriver alderen på en måde, forslaget ikke kan ændre"
            )
        birthday = ", due_from_birthday = true" if group["age"].get("due_from_birthday") else ""
        first_age = f'{{ kind = "turns", years = {first}{birthday} }}'
        lines[age_line] = f"age = {first_age}   # forslag: hvert andet år, se kopierne\n"
        title = _toml_value(f"Borgere, der fylder {first} år (forslag: hvert andet år)")
        block_end += _set_key(lines, start, own_end, "title", title, "forslag")
        copies = [
            f"# --- Forslag: {group_id} hvert andet år fra {first} år (én målgruppe pr. lige alder) ---\n"
        ]
        ages = list(range(first + 2, OLDEST + 1, 2))
        for age in ages:
            copies += [
                "[[groups]]\n",
                f'id = "{group_id}_{age}"\n',
                f"title = {_toml_value(f'Borgere, der fylder {age} år (forslag: hvert andet år)')}\n",
                f'age = {{ kind = "turns", years = {age} }}\n',
            ]
            copies += [
                f"{key} = {_toml_value(value)}\n" for key, value in group.items() if key not in _NOT_COPIED
            ]
            clause = (
                f"Forslag: borgere på {first} år og derover tilbydes besøg hvert andet år, i de år de fylder "
                f"{first}, {first + 2}, {first + 4} osv."
            )
            copies += [f"clause = {_toml_value(clause)}\n", "\n"]
        lines[block_end:block_end] = copies
        names = ", ".join(f'"{group_id}_{age}"' for age in ages)
        quoted = f'"{group_id}"'
        for line in _scan(lines):
            content = lines[line.number]
            if line.in_string or quoted not in content or _ID.match(content):
                continue
            lines[line.number] = content.replace(quoted, f"{quoted}, {names}")
    return "".join(lines)


# --- The loader's problems in Danish ---------------------------------------------------------------------

_TRANSLATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), danish)
    for pattern, danish in (
        (r"^missing key$", "nøglen mangler"),
        (r"^cannot read the file: (.*)$", r"filen kan ikke læses: \1"),
        (r"^not UTF-8 text \(byte (\d+)\)$", r"ikke UTF-8-tekst (byte \1)"),
        (
            r"^no shipped standard of that name \(shipped: (.*)\); or give the path of a \.toml file$",
            r"ingen medfølgende kvalitetsstandard med det navn (medfølger: \1); "
            r"eller angiv stien til en .toml-fil",
        ),
        (
            r"^unknown key \(not part of the format; a typo\?\)$",
            "ukendt nøgle (ikke en del af formatet; en slåfejl?)",
        ),
        (r"^not valid TOML: (.*)$", r"ikke gyldig TOML: \1"),
        (
            r"^unknown group '([^']*)'; the file's groups are: (.*)$",
            r"ukendt målgruppe '\1'; filens målgrupper er: \2",
        ),
        (r"^group id '([^']*)' is used twice$", r"målgruppe-id '\1' bruges to gange"),
        (r"^rule id '([^']*)' is also used by (.*)$", r"regel-id '\1' bruges også af \2"),
        (r"^unknown activity '([^']*)'$", r"ukendt aktivitet '\1'"),
        (r"^Input should be a valid integer(.*)$", r"skal være et heltal\1"),
        (r"^Input should be a valid string(.*)$", r"skal være en tekst\1"),
        (r"^Input should be a valid boolean(.*)$", r"skal være true eller false\1"),
        (r"^Input should be a valid date(.*)$", r"skal være en dato (ÅÅÅÅ-MM-DD)\1"),
        (r"^Input should be a valid list(.*)$", r"skal være en liste\1"),
        (r"^Input should be greater than or equal to (.*)$", r"skal være mindst \1"),
        (r"^Input should be less than or equal to (.*)$", r"må højst være \1"),
        (r"^Input should be greater than (.*)$", r"skal være større end \1"),
        (r"^Input should be less than (.*)$", r"skal være mindre end \1"),
        (r"^Input should be (.*)$", r"skal være \1"),
        (r"^String should match pattern (.*)$", r"teksten passer ikke til mønstret \1"),
        (r"^String should have at least (.*)$", r"teksten skal have mindst \1"),
        (r"^List should have at least (.*)$", r"listen skal have mindst \1"),
    )
)


def danish_why(why: str) -> str:
    """The loader's English reason in Danish where the wording is known (else unchanged)."""
    text = why
    for pattern, danish in _TRANSLATIONS:
        if pattern.match(text):
            text = pattern.sub(danish, text)
            if pattern.pattern.startswith(("^Input", "^String", "^List")):  # pydantic's own words
                text = (
                    text.replace(" or ", " eller ")
                    .replace(" characters", " tegn")
                    .replace(" items", " elementer")
                )
            break
    text = re.sub(r"\(at line (\d+), column (\d+)\)", r"(linje \1, kolonne \2)", text)
    return re.sub(r"\(found ([^)]*)\)$", r"(fundet \1)", text)


def problem_line(text: str, key: str, why: str) -> int | None:
    """The 1-based line of ``text`` a problem is about: the line the TOML parser names, else the key's line
    (found through the rule id the key path names, or its table), else None."""
    match = re.search(r"\(at line (\d+), column \d+\)", why)
    if match:
        return int(match.group(1))
    if not key:
        return None
    lines = text.splitlines(keepends=True)
    scanned = _scan(lines)
    path, _, rule = key.partition(" (id ")
    last = re.sub(r"\[\d+\]", "", path.rsplit(".", 1)[-1])
    start, end = 0, len(lines)
    rule_id = rule.rstrip(")")
    if rule_id:
        found = [
            line.number
            for line in scanned
            if not line.in_string and (m := _ID.match(lines[line.number])) and m.group(1) == rule_id
        ]
        if not found:
            return None
        start = found[0]
        while start > 0 and scanned[start].header is None:
            start -= 1
    else:
        table = path.split(".", 1)[0].split("[", 1)[0]
        heads = [line.number for line in scanned if line.header == table]
        if heads and "." in path:
            start = heads[0]
        elif "." in path:
            return None
    following = [line.number for line in scanned[start + 1 :] if line.header is not None]
    end = following[0] if following else len(lines)
    number = _key_line(lines, start, end, last)
    if number is None:
        return start + 1 if rule_id or "." in path else None
    return number + 1


def problem_lines(error: StandardError, text: str | None) -> list[str]:
    """Each problem of ``error`` as one Danish line, with the line number where it can be found in ``text``
    (the file's text, when there is one)."""
    shown = []
    for problem in error.problems:
        why = danish_why(problem.why)
        where = problem_line(text, problem.key, problem.why) if text is not None else None
        head = f"linje {where}: " if where is not None else ""
        shown.append(f"{head}{problem.key}: {why}" if problem.key else f"{head}{why}")
    return shown
