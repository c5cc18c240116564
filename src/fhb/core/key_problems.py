"""Problems in a TOML file that fhb reads (a quality standard, a synthetic municipality's figures): each
names the key and why, and the error names the file. One shape, so every file's errors read alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class KeyProblem:
    """One problem in a file: the key path (empty for the whole file) and why."""

    key: str
    why: str

    def __str__(self) -> str:
        return f"{self.key}: {self.why}" if self.key else self.why


class FileProblems(Exception):
    """A file that cannot be used; ``source`` names it, ``problems`` say what is wrong (one line each)."""

    def __init__(self, source: str, problems: list[KeyProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {problem}" for problem in problems))


def shown_value(value: Any) -> str:
    """A value as a problem's message quotes it: "a table", "a list", or its repr cut to 60 characters."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."
