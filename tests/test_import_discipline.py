"""How modules import each other, beyond the layers import-linter checks (``make lint``).

- No import inside a function, except in ``fhb/commands/`` (a command sets Django up first, and the pure
  commands must start without it) and in ``AppConfig.ready()`` (Django's way to connect signal receivers):
  an import hidden in a function is how a cycle between apps used to be dodged.
- No private name (``_x``) imported from another module: a name two modules share is public.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "fhb"


def python_files() -> Iterator[Path]:
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imports_inside_functions(tree: ast.AST) -> Iterator[tuple[int, str, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    yield inner.lineno, node.name, inner.names[0].name
                elif isinstance(inner, ast.ImportFrom):
                    yield inner.lineno, node.name, inner.module or "."


def test_no_import_inside_a_function_outside_commands_and_app_ready() -> None:
    found = []
    for path in python_files():
        relative = path.relative_to(SRC)
        if relative.parts[0] == "commands":
            continue
        for line, function, module in imports_inside_functions(ast.parse(path.read_text(encoding="utf-8"))):
            if relative.name == "apps.py" and function == "ready":
                continue
            found.append(f"src/fhb/{relative}:{line} imports {module} inside {function}()")
    assert not found, "imports inside functions (move them to the top; a cycle means a layer is wrong):\n" + (
        "\n".join(found)
    )


def test_no_private_name_is_imported_from_another_module() -> None:
    found = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fhb"):
                found += [
                    f"src/fhb/{path.relative_to(SRC)}:{node.lineno} imports {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert not found, "private names imported from another module (make them public):\n" + "\n".join(found)


def test_the_checks_find_what_they_look_for() -> None:
    """The two checks above are not blind: they see an import in a function and a private name."""
    sample = ast.parse("def f():\n    from fhb.x import _y\n")
    assert list(imports_inside_functions(sample)) == [(2, "f", "fhb.x")]
