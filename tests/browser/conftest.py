"""Browser journeys: a live Django server and Debian's chromium driven by Playwright.

Fixtures
--------
``browser``
    headless chromium (``/usr/bin/chromium``), one per test module.
``language``
    ``"en"`` and ``"de"``: every test that asks for it runs once per language.
``page``
    a fresh browser context and tab at tablet width (768 x 1024), bound to the live server
    (``page.goto("/site/...")`` works with paths).
``shots``
    ``shots("step name")`` saves ``test-artifacts/browser/<test>/<lang>/NN-step-name.png``.

``login(page, user, language)`` signs ``user`` in (password ``tests.factories.PASSWORD``)
with the interface in ``language`` and waits for the home page.

Playwright's sync API runs an asyncio loop in the test thread, which trips Django's guard
against ORM calls from async code; the guard is lifted (``DJANGO_ALLOW_ASYNC_UNSAFE``) only
while a browser of this package is open.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LANGUAGES = ("en", "de")
TABLET_VIEWPORT = {"width": 768, "height": 1024}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in tests/browser is a browser test (``-m "not browser"`` skips them)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


BROWSER_LOCALES = {"en": "en-GB", "de": "de-DE"}


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A tab of a fresh context; the browser's own locale (date pickers) follows the test's
    ``language`` parameter when it has one."""
    callspec = getattr(request.node, "callspec", None)
    language = callspec.params.get("language", "en") if callspec else "en"
    context = browser.new_context(
        base_url=live_server.url,
        viewport=TABLET_VIEWPORT,
        locale=BROWSER_LOCALES.get(language, "en-GB"),
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def shots(page: Any, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Numbered full-page screenshots of the journey's steps, kept as test artifacts."""
    name = re.sub(r"\[.*\]$", "", request.node.name)
    callspec = getattr(request.node, "callspec", None)
    lang = callspec.params.get("language", "en") if callspec else "en"
    folder = ARTIFACTS / name / lang
    if folder.exists():
        for old in folder.glob("*.png"):
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def shoot(step: str) -> Path:
        counter["n"] += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = folder / f"{counter['n']:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


def login(page: Any, user: Any, language: str) -> None:
    """Sign ``user`` in with the interface in ``language`` and wait for the home page."""
    page.goto("/login/")
    origin = re.match(r"^https?://[^/]+", page.url)
    assert origin is not None
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": origin.group(0) + "/"}]
    )
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "/login/" not in page.url, f"login of {user.username} failed at {page.url}"
    assert page.locator("html").get_attribute("lang") == language
