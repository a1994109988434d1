"""Changing claims through the API: logging one (with its possible duplicates), editing with
``If-Match`` (428 without, 412 when stale, 409 on frozen published fields), each workflow
move as an action, all through the services and logged "via API"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import services
from claims.models import ActivityEvent, Claim
from tests.api.conftest import make_token, token_client
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(editor):
    return token_client(make_token(editor, scope="write"))


def _post(api, url, body=None, **headers):
    return api.post(url, body or {}, content_type="application/json", headers=headers)


def _patch(api, url, body, **headers):
    return api.patch(url, body, content_type="application/json", headers=headers)


def test_logging_a_claim_returns_it_with_possible_duplicates(api, editor):
    original = make_claim(editor, text="Russia asked China for military aid in Ukraine.",
                          claimant="U.S. officials")
    response = _post(api, reverse("api:claim_list"), {
        "text": "Russia asked China for military aid in Ukraine", "claimant": "CNN",
        "claimant_kind": "organization", "said_on": "2022-03-13", "priority": 3,
        "tags": ["aid"],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    claim = Claim.objects.get(pk=body["id"])
    assert response["Location"] == reverse("api:claim_detail", args=[claim.pk])
    assert response["ETag"] == f'"{claim.revision}"'
    assert claim.created_by == editor and claim.priority == 3 and claim.claimant == "CNN"
    assert [t.name for t in claim.tags.all()] == ["aid"]
    duplicates = body["possible_duplicates"]
    assert duplicates[0]["id"] == original.pk and duplicates[0]["similarity"] > 0.8
    event = ActivityEvent.objects.get(claim=claim, verb="logged")
    assert event.actor == editor and event.details["via"] == "api"
    assert event.verb_text == "logged the claim via API"


def test_the_same_claim_sent_twice_is_logged_once(api):
    body = {"text": "A claim sent by a retrying script.", "claimant": "Someone"}
    first = _post(api, reverse("api:claim_list"), body)
    second = _post(api, reverse("api:claim_list"), body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"claimant": "X"}, "text"),
        ({"text": "T", "claimant": "X", "priority": 9}, "priority"),
        ({"text": "T", "claimant": "X", "said_on": "last week"}, "said_on"),
        ({"text": "T", "claimant": "X", "colour": "red"}, "colour"),
        ({"text": "T", "claimant": "X", "said_url": "javascript:alert(1)"}, None),
    ],
)
def test_bad_claims_are_refused_with_field_errors_and_nothing_logged(api, body, field):
    response = _post(api, reverse("api:claim_list"), body)
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["errors"] and all(e["message"] for e in problem["errors"])
    if field:
        assert field in [e["field"] for e in problem["errors"]]
    assert not Claim.objects.exists()


def test_a_read_token_cannot_write(editor):
    reader = token_client(make_token(editor, scope="read", name="reader"))
    response = _post(reader, reverse("api:claim_list"), {"text": "T", "claimant": "X"})
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert not Claim.objects.exists()


def test_editing_needs_the_current_revision(api, editor):
    claim = make_claim(editor)
    url = reverse("api:claim_detail", args=[claim.pk])
    assert _patch(api, url, {"claimant": "The Kremlin"}).status_code == 428
    etag = api.get(url)["ETag"]
    response = _patch(api, url, {"claimant": "The Kremlin", "tags": ["russia"]}, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    assert response.json()["claimant"] == "The Kremlin"
    assert response["ETag"] != etag
    stale = _patch(api, url, {"claimant": "Someone else"}, **{"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["type"] == "/api/v1/problems/stale"
    claim.refresh_from_db()
    assert claim.claimant == "The Kremlin" and [t.name for t in claim.tags.all()] == ["russia"]
    event = ActivityEvent.objects.filter(claim=claim, verb="edited").get()
    assert event.details["via"] == "api" and event.details["changes"]["claimant"]["new"] == "The Kremlin"


def test_a_published_claim_s_public_fields_stay_frozen(api, editor, editor2, reviewer):
    claim = walk_claim_to(make_claim(editor), "researching", actor=editor)
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(),
                          stance="denies", speaker="Beijing", speaker_is_party=True)
    claim = publish_claim(claim, author=editor2, reviewer=reviewer)
    url = reverse("api:claim_detail", args=[claim.pk])
    response = _patch(api, url, {"text": "Rewritten after publication"},
                      **{"If-Match": f'"{claim.revision}"'})
    assert response.status_code == 409
    assert "correction" in response.json()["detail"]
    ok = _patch(api, url, {"priority": 4}, **{"If-Match": f'"{claim.revision}"'})
    assert ok.status_code == 200 and ok.json()["priority"] == 4


def test_each_workflow_move_is_an_action(api, editor, editor2):
    claim = make_claim(editor)
    def act(name, body=None, **headers):
        return _post(api, reverse(f"api:claim_{name}", args=[claim.pk]), body, **headers)

    assert act("triage").json()["status"] == "triaged"
    assert act("start_research").json()["status"] == "researching"
    refused = act("reopen")
    assert refused.status_code == 409 and "cannot move" in refused.json()["detail"]
    assert act("submit_for_review").json()["status"] == "in_review"
    back = act("move_back", {"to": "researching", "reason": "Needs a second source"})
    assert back.json()["status"] == "researching"
    assert act("reject").status_code == 400  # a reason is required
    assert act("reject", {"reason": "Not checkable"}).json()["status"] == "rejected"
    assert act("reopen").json()["status"] == "new"
    assigned = act("assign", {"assignee": editor2.username})
    assert assigned.json()["assignee"] == editor2.username
    assert act("assign", {"assignee": "nobody-here"}).status_code == 400
    assert act("assign", {"assignee": None}).json()["assignee"] is None
    stale = act("triage", **{"If-Match": '"1"'})
    assert stale.status_code == 412
    verbs = list(ActivityEvent.objects.filter(claim=claim).order_by("at", "id")
                 .values_list("verb", "details__via"))
    assert verbs[0] == ("logged", None)
    assert [v for v, _ in verbs[1:]] == [
        "triaged", "started_research", "submitted_for_review", "moved_back", "rejected",
        "reopened", "assigned", "unassigned"]
    assert {via for _, via in verbs[1:]} == {"api"}


def test_marking_a_duplicate_folds_it_into_the_original(api, editor):
    original = make_claim(editor, text="The original claim.")
    repeat = make_claim(editor, text="The original claim, again.")
    response = _post(api, reverse("api:claim_mark_duplicate", args=[repeat.pk]),
                     {"original": original.pk})
    assert response.status_code == 200
    assert response.json()["status"] == "duplicate" and response.json()["duplicate_of"] == original.pk
    itself = _post(api, reverse("api:claim_mark_duplicate", args=[original.pk]),
                   {"original": original.pk})
    assert itself.status_code == 400


def test_session_writes_are_logged_via_api_too(client, editor):
    client.force_login(editor)
    claim = make_claim(editor)
    response = client.post(reverse("api:claim_triage", args=[claim.pk]), {},
                           content_type="application/json")
    assert response.status_code == 200
    assert ActivityEvent.objects.get(claim=claim, verb="triaged").details["via"] == "api"
