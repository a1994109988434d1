"""A delivery recorded while the broker is down is not lost: the sweep sends it, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import WebhookDelivery
from claims.webhooks.tasks import webhook_delivery_send  # registered, for the eager sweep
from tests.factories import make_claim
from tests.support.outages import free_port, point_celery_at
from tests.webhooks.conftest import deliveries_of, subscribe, verify_standard_webhook
from workbench.followup import followup_sweep, grace

pytestmark = pytest.mark.django_db


def test_a_delivery_recorded_during_a_broker_outage_is_swept_and_sent_once(
        editor, receiver, django_capture_on_commit_callbacks, monkeypatch):
    from claims.webhooks.services import webhook_subscription_create
    from workbench.celery import app

    made = webhook_subscription_create(actor=editor, url=receiver.url("/hook"), events=["claim.created"])
    previous = app.conf.broker_write_url
    point_celery_at(app, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            claim = make_claim(editor)  # the editor's request succeeds all the same
    finally:
        point_celery_at(app, previous)
    assert callbacks, "the delivery was to be queued on commit"
    (delivery,) = deliveries_of(made.subscription)
    assert delivery.state == "pending" and delivery.attempts == 0
    assert receiver.requests == []

    assert followup_sweep(names=["webhook-delivery"]) == {"webhook-delivery": 0}  # within its grace
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        queued_at=timezone.now() - grace() - timedelta(seconds=1))
    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the sweep's message runs here
    assert followup_sweep(names=["webhook-delivery"]) == {"webhook-delivery": 1}
    assert followup_sweep(names=["webhook-delivery"]) == {"webhook-delivery": 0}

    (request,) = receiver.requests
    body = verify_standard_webhook(made.secret, request.headers, request.body)
    assert body["data"]["claim"]["id"] == claim.pk
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 1


def test_a_retry_survives_a_restart_the_sweep_sends_it_when_due(editor, receiver, monkeypatch):
    """No message holds the retry: the date in the row does, and the sweep honours it."""
    from workbench.celery import app

    subscription = subscribe(editor, receiver.url("/hook"), ["claim.created"])
    make_claim(editor)
    (delivery,) = deliveries_of(subscription)
    receiver.add_route("/hook", "", status=502)
    assert webhook_delivery_send(delivery.pk, ticket=None) == "retrying"
    receiver.add_route("/hook", "", status=200)
    delivery.refresh_from_db()
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    assert followup_sweep(names=["webhook-delivery"]) == {"webhook-delivery": 0}
    WebhookDelivery.objects.filter(pk=delivery.pk).update(  # the clock reaches next_attempt_at
        next_attempt_at=timezone.now(), queued_at=timezone.now() - grace() - timedelta(seconds=1))
    assert followup_sweep(names=["webhook-delivery"]) == {"webhook-delivery": 1}
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 2
    assert len(receiver.requests) == 2
