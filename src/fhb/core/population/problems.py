"""The problems found in an input file, collected while it is read and raised together, capped."""

from __future__ import annotations

from fhb.core.population.model import InputProblem, InvalidInput

__all__ = ["MAX_KEPT_PROBLEMS", "MAX_REPORTED_PROBLEMS", "Problems", "raise_if_any"]

#: How many problems an InvalidInput carries; more are counted and flagged as truncated.
MAX_REPORTED_PROBLEMS = 100
#: Problems kept in memory while parsing (a wholly broken 1.5-million-row file must not eat the RAM).
MAX_KEPT_PROBLEMS = 10_000


class Problems:
    """Collects the problems of one file (keeps the first few thousand, counts all)."""

    __slots__ = ("count", "file", "items")

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[InputProblem] = []
        self.count = 0

    def add(self, row: int, column: str, value: str, why: str) -> None:
        self.count += 1
        if len(self.items) < MAX_KEPT_PROBLEMS:
            self.items.append(InputProblem(self.file, row, column, value, why))

    def add_problem(self, problem: InputProblem) -> None:
        """Add a problem made elsewhere, as found in this file."""
        self.add(problem.row, problem.column, problem.value, problem.why)

    def clear(self) -> None:
        self.items.clear()
        self.count = 0


def raise_if_any(*collected: Problems) -> None:
    """Raise InvalidInput with the first problems of the files, in their order, when there is any."""
    items = [p for c in collected for p in c.items]
    count = sum(c.count for c in collected)
    if count:
        raise InvalidInput(items[:MAX_REPORTED_PROBLEMS], truncated=count > MAX_REPORTED_PROBLEMS)
