"""Every key of the quality-standard format is read by code (:mod:`fhb.core.standard.readers`): a key
spelled right never silently does nothing."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from fhb.core.standard.readers import FOR_PEOPLE, READERS
from fhb.core.standard.schema import QualityStandard


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models(arg)]


def key_paths(model: type[BaseModel] = QualityStandard, prefix: str = "") -> Iterator[str]:
    """Every key path of ``model``, walking into nested tables and lists of tables."""
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path
        for nested in _models(field.annotation):
            yield from key_paths(nested, path + ".")


def resolve(target: str) -> Any:
    module_name, _, qualified = target.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in qualified.split("."):
        found = getattr(found, part)
    return found


def mentions(code: Any, name: str) -> bool:
    """Whether the source of ``code`` reads ``name``: an attribute ``.name`` or the string ``"name"``."""
    if isinstance(code, property):
        code = code.fget
    tree = ast.parse(textwrap.dedent(inspect.getsource(code)))
    return any(
        (isinstance(node, ast.Attribute) and node.attr == name)
        or (isinstance(node, ast.Constant) and node.value == name)
        or (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name)
        for node in ast.walk(tree)
    )


PATHS = list(key_paths())


def test_every_key_has_a_reader_and_no_reader_names_a_key_that_is_gone() -> None:
    missing = [p for p in PATHS if p not in READERS and p not in FOR_PEOPLE]
    assert not missing, f"keys nothing is registered as reading (fhb/core/standard/readers.py): {missing}"
    stale = sorted((set(READERS) | FOR_PEOPLE) - set(PATHS))
    assert not stale, f"registered keys the format no longer has: {stale}"
    assert not set(READERS) & FOR_PEOPLE


def test_only_readings_are_for_people_alone() -> None:
    assert all(path.endswith(".reading") for path in FOR_PEOPLE)


@pytest.mark.parametrize("path", sorted(READERS))
def test_the_named_reader_exists_and_reads_the_key(path: str) -> None:
    code = resolve(READERS[path])  # AttributeError/ImportError: the entry names nothing
    name = path.rsplit(".", 1)[-1]
    assert mentions(code, name), f"{READERS[path]} does not mention {name!r} (key {path})"


def test_the_checks_catch_a_reader_that_does_not_read() -> None:
    assert mentions(resolve("fhb.visits.views:interpreter_refusal"), "requires_prior_agreement")
    assert not mentions(resolve("fhb.offers.requests:deadline"), "requires_prior_agreement")
    with pytest.raises(AttributeError):
        resolve("fhb.offers.requests:no_such_function")
