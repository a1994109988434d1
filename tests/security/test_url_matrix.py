"""Every URL the project routes, requested by every kind of visitor.

The routes are read from the resolver, so a new route that this file does not know how to
fill fails ``test_it_knows_how_to_fill_every_route`` until someone says which ids it takes
and whether it is public: no page can be added without an access check being tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from claims.models import (
    ActivityEvent,
    Claim,
    ClaimWatch,
    Comment,
    CoverageSuggestion,
    Evidence,
    GatherRun,
    Note,
    Notification,
    SavedView,
    VerdictVersion,
    WebhookDelivery,
    WebhookSubscription,
)
from sources.models import Feed, Source

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "claims:claim_detail"
    pattern: str
    callback: object


def all_routes() -> list[Route]:
    """Every named route, through every include, except the admin and static files."""
    routes = []

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if str(entry.pattern).startswith(("admin/", "static/")):
                    continue
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}{entry.namespace}:"
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                if str(entry.pattern).startswith("static/"):
                    continue
                assert entry.name, f"Unnamed route {prefix}{entry.pattern}: name it so it can be tested."
                routes.append(Route(f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.callback))

    walk(get_resolver().url_patterns)
    return routes


# How to fill each route's parameters from the world (tests/security/world.py).
FILL = {
    "healthz": lambda w: {},
    "ratings_css": lambda w: {},
    "login": lambda w: {},
    "logout": lambda w: {},
    "password_change": lambda w: {},
    "password_change_done": lambda w: {},
    "password_reset": lambda w: {},
    "password_reset_done": lambda w: {},
    "password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "password_reset_complete": lambda w: {},
    "public:list": lambda w: {},
    "public:feed": lambda w: {},
    "public:rss": lambda w: {},
    "sitemap": lambda w: {},
    "public:detail": lambda w: {"slug": w.published.slug},
    "public:claimreview": lambda w: {"slug": w.published.slug},
    "public:archived_copy": lambda w: {"slug": w.published.slug, "snapshot_id": w.snapshot.pk},
    "reviewing:verdict": lambda w: {"claim_id": w.claims["researching"].pk},
    "reviewing:submit": lambda w: {"version_id": w.draft.pk},
    "reviewing:approve": lambda w: {"version_id": w.submitted.pk},
    "reviewing:request_changes": lambda w: {"version_id": w.submitted.pk},
    "reviewing:reviews": lambda w: {},
    "reviewing:notification_read": lambda w: {"pk": w.notification.pk},
    "reviewing:notifications_read_all": lambda w: {},
    "coverage:claim_coverage": lambda w: {"claim_id": w.claims["researching"].pk},
    "coverage:gather_start": lambda w: {"claim_id": w.claims["researching"].pk},
    "coverage:gather_progress": lambda w: {"claim_id": w.claims["researching"].pk,
                                           "run_id": w.gather_run.pk},
    "coverage:inbox": lambda w: {},
    "coverage:accept": lambda w: {"suggestion_id": w.suggestion.pk},
    "coverage:dismiss": lambda w: {"suggestion_id": w.suggestion.pk},
    "coverage:restore": lambda w: {"suggestion_id": w.suggestion.pk},
    "sources:source_detail": lambda w: {"source_id": w.source.pk},
    "sources:source_archive": lambda w: {"source_id": w.source.pk},
    "sources:snapshot_detail": lambda w: {"source_id": w.source.pk, "snapshot_id": w.snapshot.pk},
    "sources:snapshot_raw": lambda w: {"source_id": w.source.pk, "snapshot_id": w.snapshot.pk},
    "sources:feed_list": lambda w: {},
    "sources:feed_detail": lambda w: {"feed_id": w.feed.pk},
    "sources:feed_toggle": lambda w: {"feed_id": w.feed.pk},
    "sources:feed_poll_now": lambda w: {"feed_id": w.feed.pk},
    "sources:document_search": lambda w: {},
    "sources:demo_feed_rss": lambda w: {},
    "sources:demo_claimreview_json": lambda w: {},
    "sources:demo_article": lambda w: {"slug": _demo_slug()},
    "exports:claim_report": lambda w: {"claim_id": w.claims["researching"].pk},
    "exports:claim_report_pdf": lambda w: {"claim_id": w.claims["researching"].pk},
    "exports:claims_csv": lambda w: {},
    "exports:claims_json": lambda w: {},
    "claims:claim_list": lambda w: {},
    "claims:claim_bulk": lambda w: {},
    "claims:saved_view_save": lambda w: {},
    "claims:saved_views_nav": lambda w: {},
    "claims:saved_view_edit": lambda w: {"view_id": w.saved_view.pk},
    "claims:saved_view_delete": lambda w: {"view_id": w.saved_view.pk},
    "claims:claim_new": lambda w: {},
    "claims:claim_similar": lambda w: {},
    "claims:claim_detail": lambda w: {"pk": w.claims["researching"].pk},
    "claims:claim_evidence": lambda w: {"pk": w.claims["researching"].pk},
    "claims:claim_edit": lambda w: {"pk": w.claims["researching"].pk},
    "claims:claim_move": lambda w: {"pk": w.claims["researching"].pk},
    "claims:claim_assign": lambda w: {"pk": w.claims["researching"].pk},
    "claims:claim_duplicate": lambda w: {"pk": w.claims["new"].pk},
    "claims:evidence_attach": lambda w: {"pk": w.claims["researching"].pk},
    "claims:evidence_edit": lambda w: {"pk": w.claims["researching"].pk, "evidence_id": w.evidence.pk},
    "claims:evidence_remove": lambda w: {"pk": w.claims["researching"].pk, "evidence_id": w.evidence.pk},
    "claims:evidence_manual": lambda w: {"pk": w.claims["researching"].pk},
    "claims:denial_record": lambda w: {"pk": w.claims["researching"].pk},
    "claims:note_create": lambda w: {"pk": w.claims["researching"].pk},
    "discussion:mention_suggestions": lambda w: {},
    "discussion:notifications": lambda w: {},
    "discussion:notification_count": lambda w: {},
    "discussion:notifications_mark_all_read": lambda w: {},
    "discussion:notification_open": lambda w: {"pk": w.notification.pk},
    "discussion:notification_mark_read": lambda w: {"pk": w.notification.pk},
    "discussion:claim_watch": lambda w: {"claim_id": w.claims["researching"].pk},
    "discussion:email_preferences": lambda w: {},
    "discussion:comments": lambda w: {"claim_id": w.claims["researching"].pk},
    "discussion:comment_edit": lambda w: {"claim_id": w.claims["researching"].pk,
                                          "comment_id": w.comment.pk},
    "discussion:comment_delete": lambda w: {"claim_id": w.claims["researching"].pk,
                                            "comment_id": w.comment.pk},
    "claims:checked_elsewhere": lambda w: {"pk": w.published.pk},
    "claims:prior_check_cite": lambda w: {"pk": w.claims["researching"].pk},
    "dashboard:dashboard": lambda w: {},
    "dashboard:csv": lambda w: {"key": "throughput"},
    "dashboard:model_labels": lambda w: {},
    "dashboard:resurfacing": lambda w: {},
    "dashboard:suggestion_stance": lambda w: {"suggestion_id": w.suggestion.pk},
    "metrics": lambda w: {},
    # The open API (tests/api/test_security_matrix.py adds tokens of every kind).
    "api:schema": lambda w: {},
    "api:docs": lambda w: {},
    "api:claim_list": lambda w: {},
    "api:claim_detail": lambda w: {"claim_id": w.claims["researching"].pk},
    **{f"api:claim_{action}": lambda w: {"claim_id": w.claims["new"].pk} for action in (
        "triage", "start_research", "submit_for_review", "move_back", "reject", "reopen",
        "mark_duplicate", "assign")},
    "api:evidence_list": lambda w: {"claim_id": w.claims["researching"].pk},
    "api:evidence_manual": lambda w: {"claim_id": w.claims["researching"].pk},
    "api:denial_list": lambda w: {"claim_id": w.claims["researching"].pk},
    "api:claim_suggestions": lambda w: {"claim_id": w.claims["researching"].pk},
    "api:suggestion_inbox": lambda w: {},
    "api:suggestion_accept": lambda w: {"suggestion_id": w.suggestion.pk},
    "api:suggestion_dismiss": lambda w: {"suggestion_id": w.suggestion.pk},
    "api:verdict_list": lambda w: {"claim_id": w.claims["researching"].pk},
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
    **{f"api:webhook_{action}": lambda w: {"subscription_id": w.webhook.pk} for action in (
        "detail", "rotate_secret", "test", "deliveries")},
    "api:webhook_redeliver": lambda w: {"delivery_id": w.webhook_delivery.pk},
    "tokens:list": lambda w: {},
    "tokens:revoke": lambda w: {"token_id": 1},
    # The editor's webhook: the editor and superusers manage it, other desk members get 404.
    "webhooks:list": lambda w: {},
    **{f"webhooks:{action}": lambda w: {"subscription_id": w.webhook.pk} for action in (
        "detail", "rotate", "pause", "resume", "test", "delete")},
    "webhooks:redeliver": lambda w: {"delivery_id": w.webhook_delivery.pk},
}

# Anyone may see these, logged in or not.
PUBLIC = {
    "healthz", "ratings_css", "sitemap", "public:list", "public:feed", "public:rss",
    "public:detail", "public:claimreview",
    "public:archived_copy", "api:schema", "api:docs", "api:fact_check_list",
    "api:fact_check_detail",
    "sources:demo_feed_rss", "sources:demo_article", "sources:demo_claimreview_json",
    # Django's own account pages: logging in, and the password reset flow (which never says
    # whether an account exists).
    "login", "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete",
}
# Logged-in self-service on one's own account: open to anyone who is logged in.
OWN_ACCOUNT = {"logout", "password_change", "password_change_done"}

# Fields that make a POST do something, so a refusal is tested against a real request.
POST_DATA = {
    "claims:claim_bulk": lambda w: {"claims": [w.claims["new"].pk], "action": "priority", "priority": "1"},
    "claims:claim_new": lambda w: {"text": "Outsider claim", "claimant": "Someone",
                                   "claimant_kind": "person", "priority": "2"},
    "claims:claim_edit": lambda w: {"text": "Changed", "claimant": "X", "claimant_kind": "person",
                                    "priority": "1", "revision": w.claims["researching"].revision},
    "claims:claim_move": lambda w: {"to": "triaged"},
    "claims:claim_assign": lambda w: {"assignee": "me"},
    "claims:claim_duplicate": lambda w: {"original": w.claims["researching"].pk},
    "claims:evidence_manual": lambda w: {"title": "Outsider source", "stance": "supports"},
    "claims:denial_record": lambda w: {"title": "Outsider denial", "speaker": "Somebody"},
    "claims:note_create": lambda w: {"body": "Outsider note"},
    "claims:saved_view_save": lambda w: {"name": "Outsider view", "query": "status=new"},
    "claims:saved_view_edit": lambda w: {"name": "Renamed by an outsider", "shared": "on"},
    "discussion:comments": lambda w: {"body": "Outsider comment"},
    "discussion:comment_edit": lambda w: {"body": "Outsider edit"},
    "claims:prior_check_cite": lambda w: {"prior_check": w.prior_check.pk},
    "discussion:claim_watch": lambda w: {"watch": "1"},
    "discussion:email_preferences": lambda w: {"commented": "never", "mentioned": "never"},
    "claims:evidence_edit": lambda w: {"stance": "denies", "speaker": "Outsider", "quote": "x",
                                       "revision": w.evidence.revision},
    "claims:evidence_remove": lambda w: {"reason": "Outsider removal"},
    "reviewing:approve": lambda w: {"comments": "ok"},
    "reviewing:request_changes": lambda w: {"comments": "change it"},
    "sources:feed_list": lambda w: {"url": "https://evil.example/feed.xml", "kind": "rss",
                                    "interval_minutes": "30"},
    "sources:feed_toggle": lambda w: {"active": "0"},
    "dashboard:suggestion_stance": lambda w: {"stance": "denies"},
    "webhooks:list": lambda w: {"url": "http://10.0.0.1/hook", "events": ["claim.created"]},
}


def _demo_slug() -> str:
    from sources import demo_feed

    return demo_feed.DEMO_ITEMS[0].slug


def _methods(route: Route) -> list[str]:
    """GET, plus POST when the view is not GET-only."""
    return ["GET", "POST"]


def _request(client: Client, route: Route, world, method: str):
    url = reverse(route.name, kwargs=FILL[route.name](world))
    if method == "GET":
        return url, client.get(url)
    data = POST_DATA.get(route.name, lambda w: {})(world)
    return url, client.post(url, data)


def _state() -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        list(Claim.objects.order_by("pk").values_list("pk", "status", "revision", "assignee_id", "priority")),
        ActivityEvent.objects.count(),
        Note.objects.count(),
        list(Comment.objects.order_by("pk").values_list("pk", "body", "deleted_at")),
        list(ClaimWatch.objects.order_by("pk").values_list("user_id", "claim_id")),
        list(SavedView.objects.order_by("pk").values_list("pk", "name", "shared", "pinned")),
        list(VerdictVersion.objects.order_by("pk").values_list("pk", "state")),
        list(CoverageSuggestion.objects.order_by("pk").values_list("pk", "status")),
        GatherRun.objects.count(),
        list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        list(Feed.objects.order_by("pk").values_list("pk", "is_active", "next_poll_at")),
        list(Source.objects.order_by("pk").values_list("pk", "fetch_status")),
        list(Evidence.objects.order_by("pk").values_list("pk", "stance", "quote", "revision", "removed_at")),
        list(WebhookSubscription.objects.order_by("pk").values_list("pk", "url", "events", "is_active", "secret")),
        WebhookDelivery.objects.count(),
    )


def test_it_knows_how_to_fill_every_route():
    names = {route.name for route in all_routes()}
    unknown = sorted(names - FILL.keys())
    assert not unknown, (
        f"New routes {unknown}: add them to FILL (and PUBLIC if they are meant to be public) in "
        "tests/security/test_url_matrix.py so their access rules are tested."
    )
    assert not sorted(FILL.keys() - names), "FILL names routes that no longer exist"
    assert len(names) >= 50


def _known_routes():
    return [route for route in all_routes() if route.name in FILL]


def test_it_sends_anonymous_visitors_to_the_login_page_except_for_public_pages(client, world):
    problems = []
    for route in _known_routes():
        for method in _methods(route):
            before = _state()
            url, response = _request(client, route, world, method)
            code = response.status_code
            if route.name in PUBLIC:
                if code >= 500:
                    problems.append(f"{method} {url}: {code}")
                continue
            to_login = code == 302 and response["Location"].startswith(reverse("login"))
            # The API asks for credentials (401) instead of sending a script to a login page.
            api_refusal = route.name.startswith("api:") and code == 401
            if not (to_login or api_refusal or code in (404, 405)):
                problems.append(f"{method} {url}: {code} {response.get('Location', '')}")
            if _state() != before:
                problems.append(f"{method} {url}: changed data for an anonymous visitor")
    assert not problems, "\n".join(problems)


def test_it_refuses_the_desk_to_logged_in_outsiders(client, outsider, world):
    client.force_login(outsider)
    problems = []
    for route in _known_routes():
        for method in _methods(route):
            before = _state()
            url, response = _request(client, route, world, method)
            code = response.status_code
            if route.name in PUBLIC | OWN_ACCOUNT:
                if code >= 500:
                    problems.append(f"{method} {url}: {code}")
                if route.name == "logout":
                    client.force_login(outsider)
                continue
            if code not in (403, 404, 405):
                problems.append(f"{method} {url}: {code} {response.get('Location', '')}")
            if _state() != before:
                problems.append(f"{method} {url}: an outsider changed data")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_it_never_fails_with_a_server_error_for_the_desk(client, world, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    problems = []
    for route in _known_routes():
        for method in _methods(route):
            for headers in ({}, {"HX-Request": "true"}):
                url = reverse(route.name, kwargs=FILL[route.name](world))
                data = POST_DATA.get(route.name, lambda w: {})(world)
                if method == "GET":
                    response = client.get(url, headers=headers)
                else:
                    response = client.post(url, data, headers=headers)
                if response.status_code >= 500:
                    problems.append(f"{persona} {method} {url} {headers}: {response.status_code}")
                if route.name == "logout":
                    client.force_login(user)
    assert not problems, "\n".join(problems)


def test_it_refuses_inactive_accounts_like_outsiders(client, editor, world):
    get_user_model().objects.filter(pk=editor.pk).update(is_active=False)
    client.force_login(editor)  # a session made before the account was switched off
    response = client.get(reverse("claims:claim_detail", args=[world.claims["new"].pk]))
    assert response.status_code in (302, 403, 404)
