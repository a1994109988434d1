"""Delivering: signed POSTs to a receiver on 127.0.0.1, attempt rows, retries with backoff,
giving up, 410 Gone, auto-disable with the owner notified, redeliver, sent once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import EmailDelivery, Notification, WebhookAttempt, WebhookDelivery
from claims.webhooks import services
from claims.webhooks.tasks import webhook_delivery_send
from sources import fetching
from tests.factories import make_claim
from tests.webhooks.conftest import deliveries_of, verify_standard_webhook
from workbench.followup import grace

pytestmark = pytest.mark.django_db


@pytest.fixture
def created(editor, receiver):
    """A subscription to claim.created and one pending delivery for it."""
    made = services.webhook_subscription_create(actor=editor, url=receiver.url("/hook"), events=["claim.created"])
    claim = make_claim(editor, text="Wind farms cause droughts.")
    (delivery,) = deliveries_of(made.subscription)
    return made, claim, delivery


def test_it_delivers_a_signed_event(created, receiver):
    made, claim, delivery = created
    assert webhook_delivery_send(delivery.pk, ticket=None) == "sent"

    (request,) = receiver.requests
    assert request.method == "POST" and request.path == "/hook"
    assert request.headers["webhook-id"] == delivery.event.uid
    body = verify_standard_webhook(made.secret, request.headers, request.body)
    assert body["type"] == "claim.created"
    assert body["data"]["claim"]["id"] == claim.pk
    assert body == delivery.event.payload
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.response_status == 204 and delivery.attempts == 1
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.ok and attempt.status_code == 204 and attempt.error == ""


def test_a_tampered_body_does_not_verify(created, receiver):
    made, _, delivery = created
    webhook_delivery_send(delivery.pk, ticket=None)
    request = receiver.requests[0]
    with pytest.raises(ValueError, match="no valid signature"):
        verify_standard_webhook(made.secret, request.headers, request.body.replace(b"droughts", b"floods"))


def test_a_failure_is_retried_later_with_growing_backoff(created, receiver, settings):
    made, _, delivery = created
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    receiver.add_route("/hook", "busy", status=503)
    before = timezone.now()
    assert webhook_delivery_send(delivery.pk, ticket=None) == "retrying"
    delivery.refresh_from_db()
    first_wait = (delivery.next_attempt_at - before).total_seconds()
    assert delivery.state == "pending" and delivery.attempts == 1 and delivery.response_status == 503
    assert 45 <= first_wait <= 76  # 60 s, +-25 % jitter
    # The sweep sends it when it comes due: its ticket is dated a grace period earlier.
    assert delivery.queued_at == delivery.next_attempt_at - grace()
    assert "HTTP 503" in delivery.last_error

    assert webhook_delivery_send(delivery.pk, ticket=None) == "retrying"
    delivery.refresh_from_db()
    second_wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 85 <= second_wait <= 151  # 120 s, +-25 %
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("at"))
    assert [a.status_code for a in attempts] == [503, 503]
    assert not any(a.ok for a in attempts)

    receiver.add_route("/hook", "", status=200)
    assert webhook_delivery_send(delivery.pk, ticket=None) == "sent"
    made.subscription.refresh_from_db()
    assert made.subscription.consecutive_failures == 0 and made.subscription.failing_since is None


def test_it_gives_up_a_day_after_the_event(created, receiver):
    _, _, delivery = created
    receiver.add_route("/hook", "", status=500)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(hours=24) + timedelta(seconds=10))
    assert webhook_delivery_send(delivery.pk, ticket=None) == "failed"
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.next_attempt_at is None
    assert delivery.last_error.startswith("Gave up after 1 attempts: HTTP 500")


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(created, receiver):
    _, _, delivery = created
    receiver.add_route("/hook", "", status=302, headers={"Location": receiver.url("/elsewhere")})
    assert webhook_delivery_send(delivery.pk, ticket=None) == "retrying"
    assert [r.path for r in receiver.requests] == ["/hook"]
    assert WebhookAttempt.objects.get(delivery=delivery).status_code == 302


def _notified(user):
    notification = Notification.objects.get(recipient=user, verb="webhook_disabled")
    assert EmailDelivery.objects.filter(notification=notification, state="pending").exists()
    return notification.message


def test_410_gone_disables_at_once_and_tells_the_owner(created, receiver, editor):
    made, _, delivery = created
    waiting = make_claim(editor, text="A second claim.")
    (_, second) = deliveries_of(made.subscription)
    assert second.event.claim_id == waiting.pk
    receiver.add_route("/hook", "", status=410)
    assert webhook_delivery_send(delivery.pk, ticket=None) == "failed"
    made.subscription.refresh_from_db()
    assert not made.subscription.is_active
    assert "410 Gone" in made.subscription.disabled_reason
    assert made.subscription.state_label == "Disabled"
    second.refresh_from_db()
    assert second.state == "cancelled"
    assert "410 Gone" in _notified(editor)
    assert webhook_delivery_send(second.pk, ticket=None) == "not pending"
    assert len(receiver.requests) == 1


def test_a_subscription_failing_for_a_day_is_disabled(created, receiver, editor, settings):
    made, _, delivery = created
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.add_route("/hook", "", status=500)
    assert webhook_delivery_send(delivery.pk, ticket=None) == "retrying"
    assert webhook_delivery_send(delivery.pk, ticket=None) == "retrying"
    made.subscription.refresh_from_db()
    assert made.subscription.consecutive_failures == 2 and made.subscription.is_active
    # Three failures within the day are not enough...
    assert webhook_delivery_send(delivery.pk, ticket=None) == "retrying"
    made.subscription.refresh_from_db()
    assert made.subscription.is_active
    assert not Notification.objects.filter(verb="webhook_disabled").exists()
    # ...three or more spanning more than a day are.
    type(made.subscription).objects.filter(pk=made.subscription.pk).update(
        failing_since=timezone.now() - timedelta(hours=25))
    webhook_delivery_send(delivery.pk, ticket=None)
    made.subscription.refresh_from_db()
    assert not made.subscription.is_active
    assert "Its last 4 deliveries failed over more than 24 hours" in made.subscription.disabled_reason
    delivery.refresh_from_db()
    assert delivery.state == "cancelled"
    assert "failed over more than 24 hours" in _notified(editor)


def test_a_refused_address_at_delivery_sends_nothing_and_disables(created, receiver, editor, monkeypatch):
    """The name resolved to a public address when subscribed; now it resolves to a private one."""
    made, _, delivery = created
    type(made.subscription).objects.filter(pk=made.subscription.pk).update(url="https://hooks.example.test/in")
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, port: ["10.20.30.40"])

    def no_connect(ip, port, timeout):
        raise AssertionError(f"connection attempted to {ip}:{port}")

    monkeypatch.setattr(fetching.connection, "_connect", no_connect)
    assert webhook_delivery_send(delivery.pk, ticket=None) == "failed"
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert "10.20.30.40, a private address" in delivery.last_error
    made.subscription.refresh_from_db()
    assert not made.subscription.is_active
    assert "Its address was refused" in made.subscription.disabled_reason
    assert "address was refused" in _notified(editor)


def test_an_owner_who_left_the_desk_receives_nothing_more(created, receiver, editor):
    _, _, delivery = created
    editor.groups.clear()
    assert webhook_delivery_send(delivery.pk, ticket=None) == "cancelled"
    assert receiver.requests == []
    delivery.refresh_from_db()
    assert delivery.state == "cancelled"
    assert not delivery.subscription.is_active


def test_a_paused_subscriptions_waiting_delivery_is_cancelled(created, receiver, editor):
    made, _, delivery = created
    services.webhook_subscription_pause(actor=editor, subscription_id=made.subscription.pk)
    assert webhook_delivery_send(delivery.pk, ticket=None) == "cancelled"
    assert receiver.requests == []
    delivery.refresh_from_db()
    assert delivery.last_error == "Not sent: the subscription is paused."


def test_redeliver_makes_a_new_delivery_of_the_same_event(created, receiver, editor, editor2):
    made, _, delivery = created
    webhook_delivery_send(delivery.pk, ticket=None)
    again = services.webhook_redeliver(actor=editor, delivery_id=delivery.pk)
    assert again.pk != delivery.pk and again.redelivery_of_id == delivery.pk
    assert again.event_id == delivery.event_id and again.state == "pending"
    assert webhook_delivery_send(again.pk, ticket=None) == "sent"
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.event.uid
    assert first.body == second.body
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.webhook_redeliver(actor=editor2, delivery_id=delivery.pk)


def test_send_test_event(editor, receiver):
    made = services.webhook_subscription_create(actor=editor, url=receiver.url("/hook"), events=["claim.created"])
    delivery = services.webhook_send_test(actor=editor, subscription_id=made.subscription.pk)
    assert webhook_delivery_send(delivery.pk, ticket=None) == "sent"
    body = verify_standard_webhook(made.secret, receiver.requests[0].headers, receiver.requests[0].body)
    assert body["type"] == "webhook.test"
    assert body["data"]["subscription"] == made.subscription.pk


def test_a_message_is_sent_once_per_ticket(created, receiver):
    """A duplicate message, or an older one the sweep replaced, sends nothing."""
    _, _, delivery = created
    ticket = delivery.queued_at.isoformat()
    assert webhook_delivery_send(delivery.pk, ticket=ticket) == "sent"
    assert webhook_delivery_send(delivery.pk, ticket=ticket) == "not pending"
    assert len(receiver.requests) == 1


def test_a_retry_waits_for_its_date(created, receiver, settings):
    """After a failure the old ticket is dead: only the sweep's message (once due) sends."""
    from workbench.followup import followup_sweep

    _, _, delivery = created
    receiver.add_route("/hook", "", status=500)
    first_ticket = delivery.queued_at.isoformat()
    assert webhook_delivery_send(delivery.pk, ticket=first_ticket) == "retrying"
    assert webhook_delivery_send(delivery.pk, ticket=first_ticket) == "not pending"
    assert followup_sweep(names=["webhook-delivery"]) == {"webhook-delivery": 0}  # not due yet
    assert len(receiver.requests) == 1
