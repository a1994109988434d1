"""Every API route, called by every kind of caller: anonymous, a logged-in outsider, an
editor and a reviewer (session), and read, write, expired and revoked tokens.

The routes are read from the URLconf, so a new API route that this file does not know how to
fill fails ``test_it_knows_every_api_route`` until its access rules are written down here.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import make_token, token_client
from tests.security.test_url_matrix import _state, all_routes

pytestmark = pytest.mark.django_db

# How to fill each route, and a body for its unsafe methods.
FILL = {
    "api:schema": lambda w: {},
    "api:docs": lambda w: {},
    "api:claim_list": lambda w: {},
    "api:claim_detail": lambda w: {"claim_id": w.claims["researching"].pk},
}
PUBLIC = {"api:schema", "api:docs"}
# The methods each route answers, and what an allowed desk caller gets from a GET.
READS = {"api:claim_list", "api:claim_detail"}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _api_routes():
    return [route for route in all_routes() if route.name.startswith("api:")]


def test_it_knows_every_api_route():
    names = {route.name for route in _api_routes()}
    assert names == set(FILL), f"Unknown API routes {sorted(names - set(FILL))}: add them to FILL"


def _call(client: Client, name: str, world, method: str):
    url = reverse(name, kwargs=FILL[name](world))
    return url, client.generic(method, url, data=b"{}", content_type="application/json")


def _callers(client, editor, reviewer, outsider):
    def session(user):
        c = Client()
        c.force_login(user)
        return c

    return {
        "anonymous": (client, "unauthenticated"),
        "outsider": (session(outsider), "forbidden"),
        "outsider token": (token_client(make_token(outsider, scope="write", name="o")), "forbidden"),
        "editor": (session(editor), "desk"),
        "reviewer": (session(reviewer), "desk"),
        "read token": (token_client(make_token(editor, scope="read", name="r")), "reader"),
        "write token": (token_client(make_token(reviewer, scope="write", name="w")), "desk"),
    }


def test_every_caller_gets_exactly_its_due(client, world, editor, reviewer, outsider,
                                           expired_token, revoked_token):
    callers = _callers(client, editor, reviewer, outsider)
    callers["expired token"] = (token_client(expired_token), "bad token")
    callers["revoked token"] = (token_client(revoked_token), "bad token")
    callers["malformed token"] = (Client(headers={"Authorization": "Bearer"}), "bad token")
    problems = []
    for caller, (http, kind) in callers.items():
        for route in _api_routes():
            for method in ("GET", *UNSAFE):
                before = _state()
                url, response = _call(http, route.name, world, method)
                code = response.status_code
                if route.name in PUBLIC:
                    expected = {401} if kind == "bad token" else {200} if method == "GET" else {405}
                elif kind in ("unauthenticated", "bad token"):
                    expected = {401}
                elif kind == "forbidden":
                    expected = {403}
                elif method == "GET":
                    expected = {200}
                elif kind == "reader":
                    expected = {403}  # a read token may not even try to write
                else:
                    expected = {405}  # no writes on these routes (yet)
                if code not in expected:
                    problems.append(f"{caller} {method} {url}: {code}, expected {sorted(expected)}")
                if code >= 400 and route.name not in PUBLIC:
                    if response["Content-Type"] != "application/problem+json":
                        problems.append(f"{caller} {method} {url}: {response['Content-Type']}")
                    elif response.json()["status"] != code:
                        problems.append(f"{caller} {method} {url}: problem status mismatch")
                if code == 401 and 'Bearer realm="api"' not in response.get("WWW-Authenticate", ""):
                    problems.append(f"{caller} {method} {url}: 401 without WWW-Authenticate")
                if _state() != before:
                    problems.append(f"{caller} {method} {url}: changed data")
    assert not problems, "\n".join(problems)


def test_an_outsider_cannot_tell_whether_a_claim_exists(world, outsider, editor):
    """Outsiders are refused at the door (403) for a claim that exists and one that does not:
    the same answer. A desk member gets 404 for a claim that does not exist."""
    outsider_api = token_client(make_token(outsider, name="o"))
    real = reverse("api:claim_detail", args=[world.claims["new"].pk])
    missing = reverse("api:claim_detail", args=[999999999])
    assert outsider_api.get(real).json() == outsider_api.get(missing).json()
    desk = token_client(make_token(editor, name="e"))
    response = desk.get(missing)
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


def test_session_writes_need_the_csrf_token(editor, world):
    """The app's own pages may call the API with the session cookie, but only with the CSRF
    token: another site cannot ride the cookie."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    response = browser.post(reverse("api:claim_list"), {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert browser.get(reverse("api:claim_list")).status_code == 200
    browser.get(reverse("claims:claim_list"))  # sets the CSRF cookie, as a page load does
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(reverse("api:claim_list"), {}, content_type="application/json",
                            headers={"X-CSRFToken": csrf})
    assert response.status_code == 405  # past the CSRF check; the list takes no POST
