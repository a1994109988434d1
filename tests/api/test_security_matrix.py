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

# How to fill each route.
def _researching(w):
    return {"claim_id": w.claims["researching"].pk}


def _webhook(w):
    """A subscription of the world's editor (the matrix's "editor" and "read token"), with
    one delivery; other desk callers get 404 for it."""
    from claims.models import WebhookDelivery, WebhookEvent, WebhookSubscription

    owner = w.claims["new"].created_by
    subscription, made = WebhookSubscription.objects.get_or_create(
        owner=owner, url="https://hooks.example/desk",
        defaults={"events": ["claim.created"], "secret": "whsec_bWF0cml4"})
    if made:  # again after the owner's DELETE (tests/security/world.py made the first)
        event, _ = WebhookEvent.objects.get_or_create(uid="msg_matrix", type="claim.created", payload={})
        WebhookDelivery.objects.create(event=event, subscription=subscription, state="sent")
    return subscription


def _own_webhook(w):
    return {"subscription_id": _webhook(w).pk}


FILL = {
    "api:schema": lambda w: {},
    "api:docs": lambda w: {},
    "api:claim_list": lambda w: {},
    "api:claim_detail": _researching,
    "api:claim_triage": lambda w: {"claim_id": w.claims["new"].pk},
    "api:claim_start_research": lambda w: {"claim_id": w.claims["triaged"].pk},
    "api:claim_submit_for_review": _researching,
    "api:claim_move_back": lambda w: {"claim_id": w.claims["triaged"].pk},
    "api:claim_reject": lambda w: {"claim_id": w.claims["new"].pk},
    "api:claim_reopen": lambda w: {"claim_id": w.claims["rejected"].pk},
    "api:claim_mark_duplicate": lambda w: {"claim_id": w.claims["new"].pk},
    "api:claim_assign": _researching,
    "api:evidence_list": _researching,
    "api:evidence_manual": _researching,
    "api:denial_list": _researching,
    "api:claim_suggestions": _researching,
    "api:suggestion_inbox": lambda w: {},
    "api:suggestion_accept": lambda w: {"suggestion_id": w.suggestion.pk},
    "api:suggestion_dismiss": lambda w: {"suggestion_id": w.suggestion.pk},
    "api:verdict_list": _researching,
    "api:verdict_submit": lambda w: {"version_id": w.draft.pk},
    "api:verdict_approve": lambda w: {"version_id": w.submitted.pk},
    "api:verdict_request_changes": lambda w: {"version_id": w.submitted.pk},
    "api:feed_list": lambda w: {},
    "api:feed_pause": lambda w: {"feed_id": w.feed.pk},
    "api:feed_resume": lambda w: {"feed_id": w.feed.pk},
    "api:feed_poll": lambda w: {"feed_id": w.feed.pk},
    "api:fact_check_list": lambda w: {},
    "api:fact_check_detail": lambda w: {"slug": w.published.slug},
    "api:webhook_list": lambda w: {},
    "api:webhook_detail": _own_webhook,
    "api:webhook_rotate_secret": _own_webhook,
    "api:webhook_test": _own_webhook,
    "api:webhook_deliveries": _own_webhook,
    "api:webhook_redeliver": lambda w: {"delivery_id": _webhook(w).deliveries.order_by("pk").first().pk},
}
# A body that would make each write do something, so a refusal is tested on a real request.
BODY = {
    "api:claim_list": {"text": "Matrix claim", "claimant": "Somebody"},
    "api:claim_detail": {"claimant": "Changed"},
    "api:claim_move_back": {"to": "new", "reason": "matrix"},
    "api:claim_reject": {"reason": "matrix"},
    "api:claim_mark_duplicate": lambda w: {"original": w.claims["researching"].pk},
    "api:claim_assign": {"assignee": None},
    "api:evidence_list": {"url": "https://matrix.example/page", "stance": "supports"},
    "api:evidence_manual": {"kind": "document", "title": "Matrix memo", "stance": "supports"},
    "api:denial_list": {"speaker": "Matrix", "title": "Matrix denial"},
    "api:verdict_list": {"rating": "False", "headline": "Matrix", "summary_md": "Matrix"},
    "api:verdict_approve": {"comments": "Matrix"},
    "api:verdict_request_changes": {"comments": "Matrix"},
    "api:feed_list": {"url": "https://matrix.example/feed.xml"},
    "api:webhook_list": {"url": "http://10.0.0.1/hook", "events": ["claim.created"]},
    "api:webhook_detail": {"description": "Matrix"},
}
PUBLIC = {"api:schema", "api:docs", "api:fact_check_list", "api:fact_check_detail"}
READABLE = {"api:claim_list", "api:claim_detail", "api:evidence_list", "api:denial_list",
            "api:claim_suggestions", "api:suggestion_inbox", "api:verdict_list", "api:feed_list",
            "api:webhook_list", "api:webhook_detail", "api:webhook_deliveries"}
# A desk member's own: its owner reads it (200), other desk members are told it is not there.
OWNED = {"api:webhook_detail", "api:webhook_deliveries"}
REVIEWERS_ONLY = {"api:verdict_approve", "api:verdict_request_changes"}
WRITABLE_LISTS = {"api:claim_list", "api:evidence_list", "api:denial_list", "api:verdict_list",
                  "api:feed_list", "api:webhook_list"}
WRITES = {
    **{name: ("POST",) for name in FILL if name not in PUBLIC | READABLE - WRITABLE_LISTS},
    "api:claim_detail": ("PATCH",),
    "api:webhook_detail": ("PATCH", "DELETE"),
}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _api_routes():
    return [route for route in all_routes() if route.name.startswith("api:")]


def test_it_knows_every_api_route():
    names = {route.name for route in _api_routes()}
    assert names == set(FILL), f"Unknown API routes {sorted(names - set(FILL))}: add them to FILL"


def _call(client: Client, name: str, world, method: str):
    import json

    url = reverse(name, kwargs=FILL[name](world))
    body = BODY.get(name, {}) if method != "GET" else {}
    body = body(world) if callable(body) else body
    claim_id = FILL[name](world).get("claim_id")
    headers = {}
    if claim_id and method != "GET":  # the current revision, so a refusal is not just a 428
        from claims.models import Claim

        headers["If-Match"] = f'"{Claim.objects.get(pk=claim_id).revision}"'
    return url, client.generic(method, url, data=json.dumps(body),
                               content_type="application/json", headers=headers)


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
                FILL[route.name](world)  # first: filling may make what the route is about
                before = _state()
                url, response = _call(http, route.name, world, method)
                code = response.status_code
                if route.name in PUBLIC:
                    expected = {401} if kind == "bad token" else {200} if method == "GET" else {405}
                elif kind in ("unauthenticated", "bad token"):
                    expected = {401}
                elif kind == "forbidden":
                    expected = {403}
                elif method == "GET" and route.name in OWNED:
                    expected = {200, 404}  # tests/api/test_webhooks.py says whose is which
                elif method == "GET":
                    expected = {200} if route.name in READABLE else {405}
                elif kind == "reader":
                    expected = {403}  # a read token may not even try to write
                else:
                    expected = None  # the desk: the service decides; never a 5xx, never 401/403
                    refusable = caller == "editor" and route.name in REVIEWERS_ONLY
                    if code >= 500 or code == 401 or (code == 403 and not refusable):
                        problems.append(f"{caller} {method} {url}: {code}")
                    if method not in WRITES.get(route.name, ()) and code != 405:
                        problems.append(f"{caller} {method} {url}: {code}, expected 405")
                    continue
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
    assert response.status_code == 400  # past the CSRF check, to the claim's own fields
    assert "text" in [e["field"] for e in response.json()["errors"]]
