"""``/api/v1/webhooks/``: subscriptions CRUD with a write token, the secret only when made,
the delivery log by cursor, redeliver and a test event; someone else's is a 404."""

from __future__ import annotations

import json

import pytest

from claims.models import WebhookDelivery, WebhookSubscription
from claims.webhooks.tasks import webhook_delivery_send
from tests.api.conftest import make_token, token_client
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings, web_server):
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    web_server.add_route("/hook", "", status=204)
    return web_server


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_crud_with_a_write_token(editor, receiver):
    api = token_client(make_token(editor, scope="write"))
    response = _post(api, "/api/v1/webhooks/", {"url": receiver.url("/hook"), "events": ["claim.published"],
                                                "description": "CMS"})
    assert response.status_code == 201
    made = response.json()
    subscription = WebhookSubscription.objects.get()
    assert made["secret"] == subscription.secret and made["secret"].startswith("whsec_")
    assert made["events"] == ["claim.published"] and made["active"] is True and made["state"] == "active"
    assert response["Location"] == f"/api/v1/webhooks/{subscription.pk}/"

    listed = api.get("/api/v1/webhooks/").json()
    assert [w["id"] for w in listed] == [subscription.pk]
    assert "secret" not in listed[0]
    read = api.get(f"/api/v1/webhooks/{subscription.pk}/").json()
    assert "secret" not in read and read["deliveries"] == f"/api/v1/webhooks/{subscription.pk}/deliveries/"

    changed = api.patch(f"/api/v1/webhooks/{subscription.pk}/", json.dumps({"active": False, "events": [
        "claim.published", "claim.corrected"]}), content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["state"] == "paused" and changed.json()["events"] == ["claim.corrected", "claim.published"]
    resumed = api.patch(f"/api/v1/webhooks/{subscription.pk}/", json.dumps({"active": True}),
                        content_type="application/json")
    assert resumed.json()["active"] is True

    rotated = _post(api, f"/api/v1/webhooks/{subscription.pk}/rotate-secret/")
    assert rotated.status_code == 200 and rotated.json()["secret"] != made["secret"]

    assert api.delete(f"/api/v1/webhooks/{subscription.pk}/").status_code == 204
    assert not WebhookSubscription.objects.exists()


def test_a_refused_url_is_a_field_error(editor, settings):
    settings.FETCH_ALLOW_LOOPBACK = ""
    api = token_client(make_token(editor, scope="write"))
    response = _post(api, "/api/v1/webhooks/", {"url": "http://169.254.169.254/", "events": ["claim.created"]})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["field"] == "url" and "link-local" in error["message"]
    response = _post(api, "/api/v1/webhooks/", {"url": "https://hooks.example/", "events": ["claim.exploded"]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].startswith("events")


def test_a_read_token_reads_but_cannot_subscribe(editor, receiver):
    api = token_client(make_token(editor, scope="read"))
    assert api.get("/api/v1/webhooks/").status_code == 200
    response = _post(api, "/api/v1/webhooks/", {"url": receiver.url("/hook"), "events": ["claim.created"]})
    assert response.status_code == 403
    assert not WebhookSubscription.objects.exists()


def test_deliveries_redeliver_and_test(editor, receiver):
    api = token_client(make_token(editor, scope="write"))
    subscription_id = _post(api, "/api/v1/webhooks/", {"url": receiver.url("/hook"),
                                                       "events": ["claim.created"]}).json()["id"]
    for n in range(3):
        make_claim(editor, text=f"Claim {n}")
    first = WebhookDelivery.objects.order_by("pk").first()
    webhook_delivery_send(first.pk, ticket=None)

    page = api.get(f"/api/v1/webhooks/{subscription_id}/deliveries/?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]
    rest = api.get(page["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None
    oldest = rest["results"][0]
    assert oldest["id"] == first.pk and oldest["state"] == "sent" and oldest["response_status"] == 204
    assert oldest["event"]["type"] == "claim.created" and oldest["event"]["id"].startswith("msg_")
    assert oldest["attempt_log"][0]["ok"] is True

    again = _post(api, f"/api/v1/webhooks/deliveries/{first.pk}/redeliver/")
    assert again.status_code == 202
    assert again.json()["redelivery_of"] == first.pk and again.json()["state"] == "pending"
    tested = _post(api, f"/api/v1/webhooks/{subscription_id}/test/")
    assert tested.status_code == 202 and tested.json()["event"]["type"] == "webhook.test"


@pytest.mark.parametrize("persona", ["editor2", "reviewer"])
def test_someone_elses_webhook_is_not_found(editor, receiver, request, persona):
    owner = token_client(make_token(editor, scope="write"))
    subscription_id = _post(owner, "/api/v1/webhooks/", {"url": receiver.url("/hook"),
                                                         "events": ["claim.created"]}).json()["id"]
    make_claim(editor)
    delivery = WebhookDelivery.objects.get()
    other = token_client(make_token(request.getfixturevalue(persona), scope="write", name="other"))
    assert other.get("/api/v1/webhooks/").json() == []
    for method, url in [("get", f"/api/v1/webhooks/{subscription_id}/"),
                        ("get", f"/api/v1/webhooks/{subscription_id}/deliveries/"),
                        ("delete", f"/api/v1/webhooks/{subscription_id}/"),
                        ("post", f"/api/v1/webhooks/{subscription_id}/rotate-secret/"),
                        ("post", f"/api/v1/webhooks/{subscription_id}/test/"),
                        ("post", f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver/")]:
        response = getattr(other, method)(url, content_type="application/json")
        assert response.status_code == 404, (method, url)
    assert WebhookSubscription.objects.filter(pk=subscription_id, is_active=True).exists()
    assert WebhookDelivery.objects.count() == 1


def test_outsiders_are_refused(outsider):
    api = token_client(make_token(outsider, scope="write"))
    assert api.get("/api/v1/webhooks/").status_code == 403
    assert _post(api, "/api/v1/webhooks/", {"url": "https://hooks.example/", "events": ["claim.created"]}
                 ).status_code == 403
