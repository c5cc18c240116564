"""The two locks (issue 18): requirements.lock runs fhb and is all a server installs, so it holds no test
or lint tool; requirements-dev.lock adds them with the very same versions (and hashes) of every package
the two share. Both must hold what pyproject.toml asks for: after a change there, run ``make lock``."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PINNED = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?: ; (?P<marker>.+?))? \\$")
HASH = re.compile(r"^\s+--hash=(?P<hash>\S+)")

# Pin = (version, hashes); a universal lock may pin a package twice, under different markers.
Lock = dict[tuple[str, str], tuple[str, frozenset[str]]]


def read_lock(name: str) -> Lock:
    pins: dict[tuple[str, str], tuple[str, set[str]]] = {}
    current: set[str] | None = None
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if pinned := PINNED.match(line):
            key = (canonicalize_name(pinned["name"]), pinned["marker"] or "")
            assert key not in pins, f"{name}: {key} pinned twice"
            current = set()
            pins[key] = (pinned["version"], current)
        elif (hashed := HASH.match(line)) and current is not None:
            current.add(hashed["hash"])
        elif line and not line.lstrip().startswith("#"):
            raise AssertionError(f"{name}: a line that is neither a pin, a hash nor a comment: {line!r}")
    return {key: (version, frozenset(hashes)) for key, (version, hashes) in pins.items()}


def names(lock: Lock) -> set[str]:
    return {name for name, _marker in lock}


def project() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]  # type: ignore[no-any-return]


def requirement_names(specs: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(spec).name) for spec in specs}


def test_the_runtime_lock_holds_no_test_or_lint_tool() -> None:
    runtime = names(read_lock("requirements.lock"))
    dev_tools = requirement_names(project()["optional-dependencies"]["dev"])
    assert {"pytest", "mypy", "ruff", "playwright"} <= dev_tools
    assert runtime.isdisjoint(dev_tools), sorted(runtime & dev_tools)
    # What the tools bring along only for themselves stays out too (playwright's driver comes in its wheel).
    assert runtime.isdisjoint({"greenlet", "pluggy", "iniconfig", "mypy-extensions", "grimp"})


def test_the_development_lock_pins_every_runtime_package_the_same() -> None:
    runtime = read_lock("requirements.lock")
    dev = read_lock("requirements-dev.lock")
    different = {key: (pin[0], dev.get(key, ("missing", frozenset()))[0]) for key, pin in runtime.items()}
    assert {key: pair for key, pair in different.items() if dev.get(key) != runtime[key]} == {}, (
        "a package that both locks hold has another version or other hashes in requirements-dev.lock"
    )
    assert names(dev) - names(runtime) >= {"pytest", "mypy", "ruff", "playwright"}


def test_both_locks_hold_what_pyproject_asks_for() -> None:
    """A dependency added to pyproject.toml without ``make lock`` would be missing on a server."""
    runtime = names(read_lock("requirements.lock"))
    dev = names(read_lock("requirements-dev.lock"))
    wanted = requirement_names(project()["dependencies"])
    assert wanted - runtime == set(), "requirements.lock is behind pyproject.toml: run make lock"
    dev_wanted = wanted | requirement_names(project()["optional-dependencies"]["dev"])
    assert dev_wanted - dev == set(), "requirements-dev.lock is behind pyproject.toml: run make lock"
