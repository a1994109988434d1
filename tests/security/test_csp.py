"""A Content-Security-Policy on every page, and no page that would need 'unsafe-inline'.

Every routed page is fetched (anonymously and as each desk persona, as a full page and as
an htmx fragment); every HTML answer must carry the policy and contain no inline script, no
``<style>`` element, no ``style=""`` attribute and no ``on…=`` event handler. JSON-LD data
blocks (``<script type="application/ld+json">``) are data, not script: browsers never run
them, and the policy does not apply to them.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.security.test_url_matrix import FILL, _known_routes

pytestmark = pytest.mark.django_db

DATA_BLOCK_TYPES = {"application/ld+json", "application/json"}


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if "src" not in attributes and (attributes.get("type") or "").lower() not in DATA_BLOCK_TYPES:
                self.problems.append("an inline <script>")
        if tag == "style":
            self.problems.append("a <style> element")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'style="{value}" on <{tag}>')
            if name.startswith("on"):
                self.problems.append(f"an {name} handler on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"a javascript: URL on <{tag}>")


def _inline_problems(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


def test_the_finder_finds_what_the_policy_would_refuse():
    assert _inline_problems('<p style="color: red">x</p>') == ['style="color: red" on <p>']
    assert _inline_problems("<script>alert(1)</script><style>p{}</style>") == [
        "an inline <script>", "a <style> element"]
    assert _inline_problems('<a onclick="x()" href="javascript:y()">') == [
        "an onclick handler on <a>", "a javascript: URL on <a>"]
    assert _inline_problems('<script src="/static/js/app.js"></script>'
                            '<script type="application/ld+json">{}</script>') == []


@pytest.mark.parametrize("persona", [None, "editor", "reviewer", "admin_user"])
def test_every_page_has_the_policy_and_nothing_inline(client, world, persona, request, settings):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    settings.DEBUG = True  # the demo feed's pages too
    policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    problems, pages = [], 0
    for route in _known_routes():
        if route.name == "logout":
            continue
        url = reverse(route.name, kwargs=FILL[route.name](world))
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers, follow=True)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            if response.status_code == 404:
                # Someone else's webhook: DEBUG's technical 404 page, never served in production.
                continue
            pages += 1
            header = response.get("Content-Security-Policy", "")
            if "script-src 'self'" not in header and "default-src 'none'" not in header:
                problems.append(f"{url} {headers}: no Content-Security-Policy ({header!r})")
            problems += [f"{url} {headers}: {p}" for p in _inline_problems(response.content.decode())]
    assert pages > 30
    assert not problems, "\n".join(problems)


def test_the_admin_and_login_pages_have_the_policy(client, admin_user):
    assert "script-src 'self'" in client.get("/accounts/login/")["Content-Security-Policy"]
    client.force_login(admin_user)
    for url in ("/admin/", "/admin/sources/source/", "/admin/claims/emaildelivery/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
