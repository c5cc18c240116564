"""Choices for a form's select that are looked up in the database once per form."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils.choices import BaseChoiceIterator


class LookedUpOnce(BaseChoiceIterator):
    """Choices from ``look_up``, called when first needed and then kept (Django calls plain callable
    choices each time it walks them: to validate, and twice to render a select)."""

    def __init__(self, look_up: Callable[[], list[tuple[str, str]]]) -> None:
        self.look_up = look_up
        self.choices: list[tuple[str, str]] | None = None

    def __iter__(self) -> Iterator[Any]:
        if self.choices is None:
            self.choices = self.look_up()
        return iter(self.choices)
