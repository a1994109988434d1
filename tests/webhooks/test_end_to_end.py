"""The issue's walk: through the API an editor subscribes and submits a verdict, a second
person (a reviewer) approves it, and a real Celery worker delivers ``claim.published`` to a
receiver on 127.0.0.1 whose signature check (written in tests/webhooks/conftest.py from the
Standard Webhooks text) passes."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from claims.models import WebhookDelivery
from tests.api.conftest import make_token, token_client
from tests.conftest import wait_for
from tests.webhooks.conftest import verify_standard_webhook

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _post(api, url, body=None):
    response = api.post(url, json.dumps(body or {}), content_type="application/json")
    assert response.status_code < 300, response.content
    return response.json()


def test_a_verdict_approved_through_the_api_reaches_a_receiver_signed(receiver, live_worker, editor, reviewer,
                                                                       research_claim):
    author = token_client(make_token(editor, scope="write", name="author"))
    made = _post(author, reverse("api:webhook_list"), {"url": receiver.url("/hook"), "events": ["claim.published"]})

    version = _post(author, reverse("api:verdict_list", args=[research_claim.pk]), {
        "rating": "False", "headline": "No request was made",
        "summary_md": "Both governments **denied** it.", "submit": True,
        "cited_evidence_ids": [e.pk for e in research_claim.evidence.all()],
        "denial_waiver_reason": "No party has answered yet.",
    })
    assert version["state"] == "submitted"
    assert receiver.requests == []  # submitting publishes nothing
    second = token_client(make_token(reviewer, scope="write", name="second"))
    _post(second, reverse("api:verdict_approve", args=[version["id"]]), {"comments": "Sound."})

    delivered = wait_for(lambda: [r for r in receiver.requests if r.path == "/hook"], timeout=60,
                         message=f"no webhook arrived; worker log:\n{live_worker.log()}")
    (request,) = delivered
    body = verify_standard_webhook(made["secret"], request.headers, request.body)
    assert body["type"] == "claim.published"
    research_claim.refresh_from_db()
    assert body["data"]["claim"]["id"] == research_claim.pk
    assert body["data"]["claim"]["status"] == "published"
    assert body["data"]["claim"]["public_url"].endswith(f"/fact-checks/{research_claim.slug}/")
    assert body["data"]["verdict"]["rating"] == "False"
    assert body["data"]["actor"] == reviewer.username
    wait_for(lambda: WebhookDelivery.objects.filter(state="sent").exists(), timeout=30,
             message="the delivery row was not marked sent")
    delivery = WebhookDelivery.objects.get()
    assert request.headers["webhook-id"] == delivery.event.uid
    assert delivery.attempts == 1 and delivery.response_status == 204
