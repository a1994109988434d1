"""Fixtures for webhook tests: a receiver on 127.0.0.1, a claim under research, subscriptions,
and a signature check written here from the Standard Webhooks text (not the app's code)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest

from tests.factories import SourceFactory, make_claim, walk_claim_to


@pytest.fixture(autouse=True)
def _rating_scale(request):
    """Transactional tests flush the ratings migration 0005 seeded; put them back."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()


@pytest.fixture
def receiver(settings, web_server):
    """The fixture server, reachable by the fetcher on its port only; ``/hook`` answers 204."""
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    settings.FETCH_CONNECT_TIMEOUT = 2
    settings.FETCH_READ_TIMEOUT = 2
    settings.FETCH_TOTAL_TIMEOUT = 10
    web_server.add_route("/hook", "", status=204)
    return web_server


@pytest.fixture
def research_claim(editor):
    from claims import services

    claim = walk_claim_to(make_claim(editor), "researching", actor=editor)
    services.evidence_add(
        actor=editor, claim_id=claim.pk, source=SourceFactory(url="https://news.example/us-claim"),
        stance="supports", speaker="U.S. officials", quote="Russia requested military equipment",
    )
    claim.refresh_from_db()
    return claim


def subscribe(owner, url, events=("claim.published",)):
    from claims.webhooks.services import webhook_subscription_create

    return webhook_subscription_create(actor=owner, url=url, events=list(events)).subscription


def deliveries_of(subscription, event_type=None):
    from claims.models import WebhookDelivery

    rows = WebhookDelivery.objects.filter(subscription=subscription).select_related("event").order_by("pk")
    return [d for d in rows if event_type is None or d.event.type == event_type]


def verify_standard_webhook(secret: str, headers: dict[str, str], body: bytes, *, tolerance: int = 300) -> dict:
    """Check a delivery as a receiver would, from the spec: the key is the base64 after
    ``whsec_``; the signed content is ``id.timestamp.body``; ``webhook-signature`` holds
    space-separated ``v1,<base64 HMAC-SHA256>`` entries. Returns the parsed body."""
    message_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        raise ValueError("timestamp outside tolerance")
    key = base64.b64decode(secret.split("_", 1)[1])
    expected = base64.b64encode(
        hmac.new(key, message_id.encode() + b"." + timestamp.encode() + b"." + body, hashlib.sha256).digest()
    ).decode()
    for entry in headers["webhook-signature"].split():
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return json.loads(body)
    raise ValueError("no valid signature")
