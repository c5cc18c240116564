"""Danish error pages: 403, 404 and 500, and the demo runs with debug off so that they are what it shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_missing_page_is_danish(client: Any, make_user: Any) -> None:
    make_user("consultant")
    assert client.login(username="consultant", password=PASSWORD)
    response = client.get("/findes-ikke/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="da">' in page and "Siden findes ikke" in page, page[:300]
    assert "Forside" in page, "the page has the menu (it extends base.html)"


@pytest.mark.django_db
def test_a_page_the_role_may_not_see_is_danish(client: Any, make_user: Any) -> None:
    make_user("consultant")
    assert client.login(username="consultant", password=PASSWORD)
    response = client.get("/statistik/")
    assert response.status_code == 403
    assert "Du har ikke adgang til siden" in response.content.decode()


def test_the_server_error_page_is_danish_and_needs_no_database() -> None:
    """No ``db`` fixture: a database query from the page would fail the test."""
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="da">' in page and "Der skete en fejl" in page, page[:300]


def demo_environment(folder: Path) -> dict[str, str]:
    """The environment ``make demo`` runs the web server in (its DEMO_ENV, read from the Makefile), as the
    shell sets it in ``folder`` (where ``make demo`` has written the demo's secret key)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^DEMO_ENV :?= (.*)$", makefile, re.M)
    assert line is not None, "the Makefile defines DEMO_ENV"
    (folder / "var" / "demo-hjoerring").mkdir(parents=True)
    (folder / "var" / "demo-hjoerring" / "secret-key").write_text("a-test-key-" + "x" * 50 + "\n")
    text = line.group(1).replace("$(STANDARD)", "hjoerring").replace("$(DEMO_NAME)", "hjoerring")
    text = text.replace("$$", "$")
    result = subprocess.run(
        ["sh", "-c", f"{text} env"], capture_output=True, text=True, cwd=folder, check=True
    )
    return dict(row.split("=", 1) for row in result.stdout.splitlines() if "=" in row)


def test_the_demo_answers_a_missing_page_with_the_danish_page_not_the_debug_page(tmp_path: Path) -> None:
    env = demo_environment(tmp_path)
    assert env.get("FHB_DEBUG") == "0", "the demo runs with debug off"
    assert env.get("SECRET_KEY", "").startswith("a-test-key-"), "the demo's own secret key"
    env = {**os.environ, **env, "FHB_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fhb.web.settings"}
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.test import Client\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "assert not settings.DEBUG and not settings.SESSION_COOKIE_SECURE, 'http on the own machine'\n"
        "response = Client().get('/findes-ikke/')\n"
        "print(response.status_code); print(response.content.decode())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    status, page = result.stdout.split("\n", 1)
    assert status == "404" and "Siden findes ikke" in page and "URLconf" not in page, page[:500]
