"""One attempt of one delivery, and what its outcome does.

The body is the event's payload as compact JSON; the Standard Webhooks headers sign those
exact bytes. The POST goes through ``sources.fetching.post_json`` (the fetcher's address
policy, again at delivery: a URL that was public when subscribed may not be now), with no
transaction open and no row locked. Each attempt is a ``WebhookAttempt`` row.

* 2xx: delivered; the subscription's failure streak ends.
* 410 Gone: the receiver says the endpoint is no more; the subscription is disabled at once.
* A refused address or URL: the delivery fails and the subscription is disabled (retrying
  cannot make a private address public).
* Anything else (other statuses, 3xx included, timeouts, connection and TLS errors): tried
  again after ``backoff`` (exponential, jitter), no later than ``WEBHOOK_RETRY_HOURS`` after
  the delivery was made; then it fails. The retry is a date in the row, which the minute
  sweep honours, so it survives worker restarts and broker outages alike.
* ``WEBHOOK_DISABLE_AFTER_FAILURES`` failed attempts in a row spanning more than
  ``WEBHOOK_DISABLE_AFTER_HOURS`` disable the subscription; its owner is notified.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from claims.permissions import can_edit_claims
from claims.webhooks.signing import webhook_headers
from sources.fetching import FetchError, FetchHTTPError, FetchRefused, post_json
from workbench.followup import grace
from workbench.task_policy import backoff

State = WebhookDelivery.State


def body_bytes(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _setting(name: str) -> int:
    return int(getattr(settings, name))


def retry_delay(attempts: int) -> float:
    """Seconds before the next try, after ``attempts`` failed ones (1, 2, ...)."""
    return backoff(attempts - 1, base=_setting("WEBHOOK_RETRY_BASE_SECONDS"),
                   cap=_setting("WEBHOOK_RETRY_MAX_SECONDS"))


def _describe(exc: Exception) -> str:
    return str(exc)[:2000] or type(exc).__name__


def webhook_delivery_attempt(*, delivery_id: int) -> str:
    """Try ``delivery_id`` once (the caller admitted this run through ``followup_begin``)."""
    from claims.webhooks.services import webhook_subscription_disable

    delivery = (WebhookDelivery.objects.select_related("event", "subscription__owner")
                .filter(pk=delivery_id, state=State.PENDING).first())
    if delivery is None:
        return "not pending"
    subscription = delivery.subscription
    if not subscription.is_active:
        WebhookDelivery.objects.filter(pk=delivery_id, state=State.PENDING).update(
            state=State.CANCELLED, next_attempt_at=None, unfinished_runs=0,
            last_error=f"Not sent: the subscription is {subscription.state_label.lower()}.")
        return "cancelled"
    if not can_edit_claims(subscription.owner):
        # Its events carry unpublished claims: only a desk member may receive them.
        webhook_subscription_disable(
            subscription_id=subscription.pk,
            reason="Its owner can no longer see the desk's claims, so it receives nothing more.")
        return "cancelled"

    body = body_bytes(delivery.event.payload)
    timestamp = int(time.time())
    headers = webhook_headers(secret=subscription.secret, message_id=delivery.event.uid,
                              timestamp=timestamp, body=body)
    at = timezone.now()
    started = time.monotonic()
    status: int | None = None
    error: FetchError | None = None
    try:
        status = post_json(subscription.url, body, headers=headers).status
    except FetchError as exc:
        error = exc
        status = exc.status if isinstance(exc, FetchHTTPError) else None
    duration_ms = int((time.monotonic() - started) * 1000)
    WebhookAttempt.objects.create(delivery=delivery, at=at, duration_ms=duration_ms, status_code=status,
                                  ok=error is None, error=_describe(error) if error else "")
    WebhookDelivery.objects.filter(pk=delivery_id).update(attempts=F("attempts") + 1, unfinished_runs=0,
                                                          response_status=status)
    if error is None:
        WebhookDelivery.objects.filter(pk=delivery_id, state=State.PENDING).update(
            state=State.SENT, delivered_at=timezone.now(), next_attempt_at=None, last_error="")
        WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0, failing_since=None)
        return "sent"

    _count_failure(subscription.pk, at)
    if isinstance(error, FetchRefused) or status == 410:
        _fail(delivery_id, _describe(error))
        reason = ("The receiver answered 410 Gone: the endpoint no longer exists." if status == 410
                  else f"Its address was refused: {_describe(error)}")
        webhook_subscription_disable(subscription_id=subscription.pk, reason=reason)
        return "failed"
    attempts = delivery.attempts + 1
    delay = retry_delay(attempts)
    retry_at = timezone.now() + timedelta(seconds=delay)
    give_up_at = delivery.created_at + timedelta(hours=_setting("WEBHOOK_RETRY_HOURS"))
    if retry_at > give_up_at:
        _fail(delivery_id, f"Gave up after {attempts} attempts: {_describe(error)}")
    else:
        # The sweep queues rows whose ticket is older than the grace period: date the
        # ticket so that the row comes due at ``retry_at``.
        WebhookDelivery.objects.filter(pk=delivery_id, state=State.PENDING).update(
            next_attempt_at=retry_at, queued_at=retry_at - grace(), last_error=_describe(error))
    _disable_if_failing(subscription.pk)
    return "retrying" if retry_at <= give_up_at else "failed"


def _fail(delivery_id: int, reason: str) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id, state=State.PENDING).update(
        state=State.FAILED, next_attempt_at=None, last_error=reason[:2000])


def _count_failure(subscription_id: int, at) -> None:
    WebhookSubscription.objects.filter(pk=subscription_id).update(
        consecutive_failures=F("consecutive_failures") + 1, failing_since=Coalesce("failing_since", at))


def _disable_if_failing(subscription_id: int) -> None:
    from claims.webhooks.services import webhook_subscription_disable

    failures = _setting("WEBHOOK_DISABLE_AFTER_FAILURES")
    hours = _setting("WEBHOOK_DISABLE_AFTER_HOURS")
    failing = WebhookSubscription.objects.filter(
        pk=subscription_id, is_active=True, consecutive_failures__gte=failures,
        failing_since__lt=timezone.now() - timedelta(hours=hours),
    ).values_list("consecutive_failures", flat=True).first()
    if failing:
        webhook_subscription_disable(
            subscription_id=subscription_id,
            reason=f"Its last {failing} deliveries failed over more than {hours} hours.")
