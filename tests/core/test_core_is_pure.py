"""The core imports no Django, directly or through anything it imports.

What the core's modules import is a contract of import-linter (``pure`` in pyproject.toml, run by
``make lint``); this test checks what that cannot see: that importing every core module at run time
loads no Django.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "fhb" / "core"


def test_importing_every_core_module_loads_no_django() -> None:
    modules = [
        "fhb.core." + ".".join(p.relative_to(CORE).with_suffix("").parts)
        for p in sorted(CORE.rglob("*.py"))
        if p.name != "__init__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"importing the core pulled in Django: {out}"
