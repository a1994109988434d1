"""Real-browser fixtures: headless Debian Chromium driven by Playwright.

Usage in a test module::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_x(browser_page, live_server, editor):
        login(browser_page, live_server, editor)
        browser_page.goto(live_server.url + "/")
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "correct horse battery staple"  # the factories' password


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or bool(shutil.which("chromium"))


@pytest.fixture(scope="session")
def _playwright_browser():
    if not _chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM} (CI installs it; apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which trips Django's
    # async-safety check for the ORM calls tests make between browser steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_playwright_browser, settings):
    """A page in a fresh context. Any Content-Security-Policy violation the browser reports
    while the test runs (an inline script or style, an eval) fails the test."""
    context = _playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def login(page, live_server, user, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
