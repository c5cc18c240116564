"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test here is marked ``browser`` (skip them with ``-m "not browser"``). The ``page`` fixture is a fresh
browser context in Danish on Copenhagen time whose address is the live server, so ``page.goto("/borgere/")``
works; it saves a full-page screenshot of every page the test visits under
``test-output/browser/<test name>/``. ``log_in("consultant")`` makes a user and logs her in through the
real log-in form. docs/testing.md says more.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    Error,
    Frame,
    Page,
    Playwright,
    Request,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.conftest import PASSWORD

# Playwright's sync API runs an asyncio event loop in the main thread (on greenlets) from the moment it
# starts, so Django sees a running loop and refuses every ORM call in the test (making data, checking what
# the browser stored) with SynchronousOnlyOperation. The tests are plain synchronous code that never runs
# on that loop, so the check does not apply; the live server answers in a thread of its own. Set here, at
# import; Playwright (and its loop) lives only while this package's tests run (scope="package").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
#: Screenshots: test-output/browser/<test name>/NN-<slug of the address>.png at the repository root.
OUTPUT_DIR = HERE.parents[1] / "test-output" / "browser"
CHROMIUM = os.environ.get("FHB_CHROMIUM", "/usr/bin/chromium")
#: A municipal laptop's screen; screenshots are full-page, so only the width shows.
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
#: The consultant's phone (tests/browser/test_every_page.py): screenshots at this width end in -390px.
PHONE: ViewportSize = {"width": 390, "height": 844}
#: How long a screenshot waits for the page to load and htmx to settle before it takes the page as it is.
SETTLE_MS = 5_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser ``browser``, before ``-m`` selects (this hook sees all items)."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium (or ``FHB_CHROMIUM``), headless, once for the browser tests; never downloaded."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}, and it is not there. Install Debian's "
            "Chromium with `sudo apt-get install chromium` (run `sudo apt-get update` first if apt cannot "
            "find it), or point FHB_CHROMIUM at a Chromium executable. Do not run `playwright install`. "
            'To run the other tests without a browser: pytest -m "not browser".',
            pytrace=False,
        )
    launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
    yield launched
    launched.close()


@pytest.fixture(autouse=True)
def axes_on(settings: Any) -> None:
    """The log-in lock-out on, as in production: tests/conftest.py turns django-axes off because
    ``client.login()`` passes no request, but the browser logs in through the real form, which does."""
    settings.AXES_ENABLED = True


@pytest.fixture
def page(browser: Browser, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new browser context for each test, in Danish on Copenhagen time, addressing the live server.

    Asking for the live server makes the test's database transactional (pytest-django): what the test
    makes is committed, so the server's thread sees it, and the tables are emptied after the test.
    """
    folder = OUTPUT_DIR / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        locale="da-DK", timezone_id="Europe/Copenhagen", base_url=live_server.url, viewport=VIEWPORT
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    screenshots = Screenshots(opened, folder)
    try:
        yield opened
    finally:
        screenshots.save()  # the page the test ended on, also when it failed
        context.close()
    for problem in screenshots.problems:
        warnings.warn(problem, stacklevel=1)


class Screenshots:
    """Saves a full-page screenshot of each page a test visits, numbered in order: 01-log-ind.png, ...

    A page is new after each navigation of the main frame (a ``goto``, a link, a form's submit and its
    redirect, an htmx push into the address bar) and after each htmx request, which swaps part of it. The
    new page is saved, once it has loaded and htmx has settled, before the test's next action or assertion
    on it (Playwright's locator handler on ``<body>`` runs then) and at the end of the test. So the picture
    shows the page as the test found it. A page that a test leaves with ``goto`` without looking at it is
    not saved.

    Why not ``page.screenshot()`` in a ``page.on("load")`` listener: under the sync API a listener runs
    beside the test, which goes on at once, so the picture could show a half-typed form or the next page.
    Holding back the next request until the picture is taken does not work either: while Chromium has a
    navigation pending, its DevTools protocol answers the page's questions (the page's size, a script) only
    after that navigation, so the screenshot and the navigation wait for each other.
    """

    def __init__(self, page: Page, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.count = 0
        self.unsaved = False  # the page on the screen changed since the last screenshot
        self.problems: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("requestfinished", self._finished)
        # <body> is always visible, so Playwright calls save() before every action and assertion check.
        page.add_locator_handler(page.locator("body"), self.save, no_wait_after=True)

    def _navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame and frame.url != "about:blank":
            self.unsaved = True

    def _finished(self, request: Request) -> None:
        if request.resource_type in ("xhr", "fetch") and request.frame == self.page.main_frame:
            self.unsaved = True

    def save(self) -> None:
        """Save the page on the screen if it changed since the last screenshot."""
        if not self.unsaved or self.page.is_closed():
            return
        self.unsaved = False
        try:
            self.page.wait_for_load_state("load", timeout=SETTLE_MS)
            # htmx marks the elements of a request until its swap has settled (and pushed the address).
            self.page.locator(".htmx-request, .htmx-swapping, .htmx-settling").first.wait_for(
                state="detached", timeout=SETTLE_MS
            )
        except Error:
            pass  # still loading or swapping: the picture shows the page as it is
        self.count += 1
        # A page seen at another width than the laptop's (a phone's 390 px) says so: 03-idag-390px.png.
        width = (self.page.viewport_size or VIEWPORT)["width"]
        suffix = "" if width == VIEWPORT["width"] else f"-{width}px"
        path = self.folder / f"{self.count:02d}-{slug_of(self.page.url)}{suffix}.png"
        try:
            self.page.screenshot(path=path, full_page=True)
        except Error as error:
            self.problems.append(f"no screenshot {path.name}: {error.message}")


def slug_of(url: str) -> str:
    """``http://host/borgere/?q=Åse&group=`` -> ``borgere-q-aase``; ``http://host/`` -> ``root``."""
    parts = urlsplit(url)
    query = " ".join(f"{name} {value}" for name, value in parse_qsl(parts.query))  # without empty fields
    text = f"{unquote_plus(parts.path)} {query}".lower()
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].rstrip("-") or "root"


@pytest.fixture
def log_in(page: Page, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Factory: ``log_in("consultant")`` makes a user with that role and logs her in through the log-in
    form (/log-ind/), as a person would; returns the user. The page is then on the front page."""

    def log_in_as(role: str, username: str | None = None) -> Any:
        user = make_user(role, username)
        page.goto("/log-ind/")
        page.get_by_label("Brugernavn").fill(user.username)
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        expect(page.get_by_role("button", name="Log ud")).to_be_visible()
        return user

    return log_in_as
