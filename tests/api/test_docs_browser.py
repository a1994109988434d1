"""The API docs page in a real browser: Swagger UI loads from our own static files, renders
every operation and reports no Content-Security-Policy violation (``browser_page`` fails the
test on any); the app's own session can call the API from a page."""

from __future__ import annotations

import pytest

from tests.support.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_renders_under_our_policy(browser_page, live_server, editor):
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(live_server.url + "/api/v1/docs/")
    assert response.status == 200
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/claims/" in p for p in paths), paths
    assert "FactDesk API" in page.locator(".title").inner_text()
    assert requested and all(url.startswith(live_server.url) for url in requested), requested


def test_a_logged_in_page_calls_the_api_with_its_session(browser_page, live_server, editor):
    from tests.factories import make_claim

    claim = make_claim(editor, text="A claim the page reads through the API.")
    login(browser_page, live_server, editor)
    body = browser_page.evaluate(
        "async () => (await fetch('/api/v1/claims/', {credentials: 'same-origin'})).json()"
    )
    assert [row["id"] for row in body["results"]] == [claim.pk]
