"""Coverage suggestions, verdicts, feeds and public fact-checks through the API: the same
services as the pages, so the two-person rule and the desk's roles hold."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import ActivityEvent, ClaimStatus, CoverageSuggestion, VerdictVersion
from sources.models import Feed
from tests.api.conftest import make_token, token_client
from tests.factories import SourceFactory, make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


def _post(api, url, body=None):
    return api.post(url, body or {}, content_type="application/json")


@pytest.fixture
def researched(editor):
    claim = walk_claim_to(make_claim(editor, text="Russia asked China for drones."),
                          "researching", actor=editor)
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(),
                          stance="denies", speaker="Beijing", speaker_is_party=True,
                          quote="Pure disinformation.")
    return claim


def test_the_verdict_flow_holds_the_two_person_rule(researched, editor, reviewer):
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    author = token_client(make_token(editor, scope="write", name="author"))
    evidence_ids = [e.pk for e in researched.evidence.all()]
    saved = _post(author, reverse("api:verdict_list", args=[researched.pk]), {
        "rating": "False", "headline": "No request was made",
        "summary_md": "Both governments **denied** it.", "cited_evidence_ids": evidence_ids,
        "submit": True,
    })
    assert saved.status_code == 201, saved.content
    version = saved.json()
    assert version["state"] == "submitted" and "submit_problems" not in version
    # The author cannot approve their own verdict, even as a reviewer would.
    editor.groups.add(reviewer.groups.first())
    own = _post(token_client(make_token(editor, scope="write", name="self")),
                reverse("api:verdict_approve", args=[version["id"]]))
    assert own.status_code == 403
    second = token_client(make_token(reviewer, scope="write", name="second"))
    approved = _post(second, reverse("api:verdict_approve", args=[version["id"]]),
                     {"comments": "Sound."})
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"
    researched.refresh_from_db()
    assert researched.status == ClaimStatus.PUBLISHED and researched.slug
    assert ActivityEvent.objects.get(claim=researched, verb="verdict_approved").details["via"] == "api"
    listed = author.get(reverse("api:verdict_list", args=[researched.pk])).json()
    assert [v["state"] for v in listed] == ["approved"]
    # And it is public now, with its ClaimReview.
    public = Client().get(reverse("api:fact_check_detail", args=[researched.slug]))
    review = public.json()["claimreview"]
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"] == "False"


def test_a_draft_that_is_not_ready_is_kept_with_its_problems(researched, editor):
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    api = token_client(make_token(editor, scope="write"))
    saved = _post(api, reverse("api:verdict_list", args=[researched.pk]), {
        "rating": "False", "headline": "Nothing cited", "summary_md": "x", "submit": True})
    assert saved.status_code == 201
    assert saved.json()["state"] == "draft" and saved.json()["submit_problems"]
    bad = _post(api, reverse("api:verdict_list", args=[researched.pk]), {
        "rating": "Not a rating", "headline": "x", "summary_md": "x"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "rating"


def test_request_changes_needs_comments_and_sends_the_claim_back(researched, editor, reviewer):
    from claims.models import Rating
    from claims.reviewing import services as reviewing
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    version = reviewing.verdict_save(
        actor=editor, claim_id=researched.pk, submit=True, rating=Rating.objects.get(label="False"),
        headline="h", summary_md="s", cited_evidence_ids=[e.pk for e in researched.evidence.all()],
    ).version
    api = token_client(make_token(reviewer, scope="write"))
    url = reverse("api:verdict_request_changes", args=[version.pk])
    assert _post(api, url).status_code == 400
    assert _post(api, url, {"comments": "Cite the embassy."}).json()["state"] == "changes_requested"
    researched.refresh_from_db()
    assert researched.status == ClaimStatus.RESEARCHING
    editor_api = token_client(make_token(editor, scope="write", name="e"))
    assert _post(editor_api, url, {"comments": "x"}).status_code == 403  # reviewers only


def test_suggestions_per_claim_and_inbox_accept_and_dismiss(world, editor):
    api = token_client(make_token(editor, scope="write"))
    claim = world.claims["researching"]
    services.claim_assign(actor=editor, claim_id=claim.pk, assignee=editor)
    listed = api.get(reverse("api:claim_suggestions", args=[claim.pk])).json()
    assert [s["id"] for s in listed] == [world.suggestion.pk]
    inbox = api.get(reverse("api:suggestion_inbox")).json()
    assert [s["id"] for s in inbox["results"]] == [world.suggestion.pk]
    accepted = _post(api, reverse("api:suggestion_accept", args=[world.suggestion.pk]))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["evidence"] is not None
    again = _post(api, reverse("api:suggestion_dismiss", args=[world.suggestion.pk]))
    assert again.status_code in (400, 409)
    assert CoverageSuggestion.objects.get(pk=world.suggestion.pk).status == "accepted"
    assert api.get(reverse("api:suggestion_inbox")).json()["results"] == []


def test_feeds_list_add_pause_resume_and_poll(world, editor):
    api = token_client(make_token(editor, scope="write"))
    listed = api.get(reverse("api:feed_list")).json()
    assert [f["id"] for f in listed] == [world.feed.pk]
    assert listed[0]["health"]["state"] in ("new", "healthy", "failing")
    added = _post(api, reverse("api:feed_list"), {"url": "https://news.example/feed.xml",
                                                  "kind": "rss", "interval_minutes": 15})
    assert added.status_code == 201, added.content
    again = _post(api, reverse("api:feed_list"), {"url": "https://news.example/feed.xml"})
    assert again.status_code == 409
    bad = _post(api, reverse("api:feed_list"), {"url": "javascript:alert(1)"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "url"
    feed_id = added.json()["id"]
    paused = _post(api, reverse("api:feed_pause", args=[feed_id])).json()
    assert paused["is_active"] is False and paused["health"]["state"] == "paused"
    assert _post(api, reverse("api:feed_poll", args=[feed_id])).status_code == 400
    assert _post(api, reverse("api:feed_resume", args=[feed_id])).json()["is_active"] is True
    polled = _post(api, reverse("api:feed_poll", args=[feed_id]))
    assert polled.status_code == 200
    assert Feed.objects.get(pk=feed_id).poll_queued_at is not None


def test_published_fact_checks_are_public_and_nothing_else_is(world, client):
    listed = client.get(reverse("api:fact_check_list"))
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [r["slug"] for r in rows] == [world.published.slug]
    assert rows[0]["claimreview"]["@type"] == "ClaimReview"
    assert client.get(reverse("api:fact_check_detail", args=[world.published.slug])).status_code == 200
    assert client.get(reverse("api:fact_check_detail", args=["not-published"])).status_code == 404
    assert VerdictVersion.objects.filter(state="submitted").exists()  # present, never listed
