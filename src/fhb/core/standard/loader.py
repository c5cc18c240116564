"""Loading quality-standard files: TOML text in, a validated :class:`QualityStandard` out.

A bare name (``hjoerring``) loads the file shipped in the package (``fhb/standards/hjoerring.toml``);
anything that looks like a path (has a slash or ends in ``.toml``) is read from disk. A file that cannot
be used raises :class:`StandardError`, which names the file and, for each problem, the key path
(``groups[4].triggers[0].min_weeks``) and why.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fhb.core.key_problems import FileProblems, KeyProblem, shown_value
from fhb.core.standard.schema import QualityStandard, reference_problems

#: One problem in a standard file: the key path (empty for the whole file) and why.
StandardProblem = KeyProblem


class StandardError(FileProblems):
    """A standard file that cannot be used; ``source`` names the file, ``problems`` says what is wrong."""


def _shipped_dir() -> Any:
    return resources.files("fhb").joinpath("standards")


def available_standards() -> list[str]:
    """The names of the standards shipped with the package, sorted (``herning``, ``hjoerring``, ...)."""
    return sorted(
        entry.name.removesuffix(".toml") for entry in _shipped_dir().iterdir() if entry.name.endswith(".toml")
    )


def _looks_like_path(name_or_path: str | Path) -> bool:
    if isinstance(name_or_path, Path):
        return True
    return "/" in name_or_path or "\\" in name_or_path or name_or_path.endswith(".toml")


def load_standard(name_or_path: str | Path) -> QualityStandard:
    """Load a shipped standard by name, or a standard file by path. Raises :class:`StandardError`."""
    if _looks_like_path(name_or_path):
        path = Path(name_or_path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StandardError(
                str(path), [StandardProblem("", f"cannot read the file: {exc.strerror}")]
            ) from exc
        source = str(path)
        folder: Path | None = path.resolve().parent
    else:
        name = str(name_or_path)
        resource = _shipped_dir().joinpath(f"{name}.toml")
        if not resource.is_file():
            shipped = ", ".join(available_standards())
            why = f"no shipped standard of that name (shipped: {shipped}); or give the path of a .toml file"
            raise StandardError(name, [StandardProblem("", why)])
        data = resource.read_bytes()
        source = f"{name}.toml"
        folder = Path(str(resource)).parent if isinstance(resource, Path) else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StandardError(source, [StandardProblem("", f"not UTF-8 text (byte {exc.start})")]) from exc
    # A byte order mark (Windows editors write one) is an encoding detail, not a TOML statement.
    standard = parse_standard(text.removeprefix("\ufeff"), source)
    return _with_template_folder(standard, source, folder)


def _with_template_folder(standard: QualityStandard, source: str, folder: Path | None) -> QualityStandard:
    """The standard with ``letters.templates`` made absolute (it is relative to the file's own folder), or
    :class:`StandardError` when that folder does not exist. Its templates are checked where letters are
    rendered (:func:`fhb.core.letters.template_folder.template_folder_problems`): the core's letters
    depend on the standard, not the other way round."""
    given = standard.letters.templates
    if given is None:
        return standard
    resolved = Path(given).expanduser()
    if not resolved.is_absolute() and folder is not None:
        resolved = folder / resolved
    resolved = resolved.resolve()
    if not resolved.is_dir():
        why = f"no such folder: {resolved} (the path is relative to the standard file's folder)"
        raise StandardError(source, [StandardProblem("letters.templates", why)])
    letters = standard.letters.model_copy(update={"templates": str(resolved)})
    return standard.model_copy(update={"letters": letters})


def parse_standard(text: str, source: str = "<standard>") -> QualityStandard:
    """Parse and validate the TOML text of a standard; ``source`` names it in errors."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StandardError(source, [StandardProblem("", f"not valid TOML: {exc}")]) from exc
    except (RecursionError, ValueError, OverflowError) as exc:
        raise StandardError(source, [StandardProblem("", f"not valid TOML: {exc}")]) from exc
    try:
        standard = QualityStandard.model_validate(raw)
    except ValidationError as exc:
        raise StandardError(source, _problems(exc, raw)) from exc
    except RecursionError as exc:  # pragma: no cover - absurdly nested values
        raise StandardError(source, [StandardProblem("", "values nested too deeply")]) from exc
    broken = reference_problems(standard)
    if broken:
        raise StandardError(source, [StandardProblem(key, why) for key, why in broken])
    return standard


_MESSAGES = {
    "missing": "missing key",
    "extra_forbidden": "unknown key (not part of the format; a typo?)",
}


def _problems(exc: ValidationError, raw: dict[str, Any]) -> list[StandardProblem]:
    problems: list[StandardProblem] = []
    seen: set[tuple[str, str]] = set()
    for error in exc.errors(include_url=False):
        key = _key_path(error["loc"], raw)
        message = _MESSAGES.get(error["type"], error["msg"])
        message = message.removeprefix("Value error, ")
        if error["type"] not in _MESSAGES and error["type"] != "value_error" and "input" in error:
            message += f" (found {shown_value(error['input'])})"
        if (key, message) not in seen:
            seen.add((key, message))
            problems.append(StandardProblem(key, message))
    return problems


def _key_path(loc: tuple[int | str, ...], raw: Any) -> str:
    """Render a pydantic location as a TOML key path, dropping pydantic's union/validator tags and naming
    the id of the innermost list element that has one: ``groups[4].triggers[0].min_weeks (id risk.x)``."""
    parts: list[str] = []
    node: Any = raw
    last_id: str | None = None
    for index, part in enumerate(loc):
        is_last = index == len(loc) - 1
        if isinstance(part, int):
            parts.append(f"[{part}]")
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                last_id = node["id"]
            continue
        if isinstance(node, dict) and (part in node or is_last):
            parts.append(f".{part}" if parts else part)
            node = node.get(part)
        # otherwise: a tag pydantic adds for a union member or a validator; not a key of the file
    path = "".join(parts)
    if last_id is not None and path:
        path += f" (id {last_id})"
    return path
