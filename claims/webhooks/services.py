"""Webhook subscriptions and deliveries: every write, with its permission check.

Subscriptions belong to desk editors (their events carry unpublished claims): each manages
their own; a superuser manages anyone's. A URL is checked when saved with the fetcher's own
rules (``check_destination``: scheme, credentials, every resolved address) and again at
each delivery.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import (
    Notification,
    WebhookDelivery,
    WebhookEvent,
    WebhookEventType,
    WebhookSubscription,
)
from claims.permissions import can_edit_claims
from claims.webhooks.events import new_uid, payload_for
from claims.webhooks.signing import webhook_secret_generate
from sources.fetching import FetchError, FetchRefused, check_destination

SUBSCRIBABLE = [t for t in WebhookEventType.values if t != WebhookEventType.PING]
MAX_SUBSCRIPTIONS_PER_OWNER = 20
NOTIFICATION_VERB = "webhook_disabled"


@dataclass(frozen=True)
class NewSecret:
    """A subscription whose secret was just made: shown once, on the page that made it."""

    subscription: WebhookSubscription
    secret: str


def may_own_webhooks(user) -> bool:
    return can_edit_claims(user)


def _may_manage(actor, subscription: WebhookSubscription) -> bool:
    return bool(may_own_webhooks(actor) and (actor.pk == subscription.owner_id or actor.is_superuser))


def webhook_subscription_get_for_user(user, subscription_id: int, *, lock: bool = False) -> WebhookSubscription:
    """The subscription, if ``user`` may manage it; PermissionDenied (a 404 to the views)
    for one that does not exist or is someone else's."""
    rows = WebhookSubscription.objects.select_related("owner")
    if lock:
        rows = rows.select_for_update(of=("self",))
    subscription = rows.filter(pk=subscription_id).first()
    if subscription is None or not _may_manage(user, subscription):
        raise PermissionDenied("No such webhook of yours.")
    return subscription


def webhook_url_clean(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": "Give the address that receives the events."})
    if len(url) > 2000:
        raise ValidationError({"url": "Keep the address under 2,000 characters."})
    try:
        check_destination(url)
    except FetchRefused as error:
        raise ValidationError({"url": f"This address cannot receive webhooks. {error}"}) from error
    except FetchError as error:
        raise ValidationError({"url": f"This address cannot be reached: {error}"}) from error
    return url


def webhook_events_clean(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events or ()))
    unknown = [e for e in chosen if e not in SUBSCRIBABLE]
    if unknown:
        raise ValidationError({"events": f"Unknown event type(s): {', '.join(unknown)}."})
    if not chosen:
        raise ValidationError({"events": "Choose at least one event."})
    return chosen


@transaction.atomic
def webhook_subscription_create(*, actor, url: str, events: Iterable[str], description: str = "") -> NewSecret:
    if not may_own_webhooks(actor):
        raise PermissionDenied("Only desk editors can subscribe to webhooks.")
    description = (description or "").strip()
    if len(description) > 200:
        raise ValidationError({"description": "Keep the description under 200 characters."})
    chosen = webhook_events_clean(events)
    url = webhook_url_clean(url)
    if WebhookSubscription.objects.filter(owner=actor).count() >= MAX_SUBSCRIPTIONS_PER_OWNER:
        raise ValidationError(f"You have {MAX_SUBSCRIPTIONS_PER_OWNER} webhooks already; delete one first.")
    secret = webhook_secret_generate()
    subscription = WebhookSubscription.objects.create(owner=actor, url=url, events=chosen, secret=secret,
                                                      description=description)
    return NewSecret(subscription, secret)


@transaction.atomic
def webhook_subscription_update(*, actor, subscription_id: int, url: str | None = None,
                                events: Iterable[str] | None = None,
                                description: str | None = None) -> WebhookSubscription:
    subscription = webhook_subscription_get_for_user(actor, subscription_id, lock=True)
    fields = []
    if url is not None and url.strip() != subscription.url:
        subscription.url = webhook_url_clean(url)
        fields.append("url")
    if events is not None:
        subscription.events = webhook_events_clean(events)
        fields.append("events")
    if description is not None:
        subscription.description = description.strip()[:200]
        fields.append("description")
    if fields:
        subscription.save(update_fields=[*fields, "updated_at"])
    return subscription


@transaction.atomic
def webhook_subscription_rotate_secret(*, actor, subscription_id: int) -> NewSecret:
    """A new secret at once: deliveries from now on are signed with it."""
    subscription = webhook_subscription_get_for_user(actor, subscription_id, lock=True)
    subscription.secret = webhook_secret_generate()
    subscription.save(update_fields=["secret", "updated_at"])
    return NewSecret(subscription, subscription.secret)


@transaction.atomic
def webhook_subscription_pause(*, actor, subscription_id: int) -> WebhookSubscription:
    """Stop sending: events from now on are not recorded for it; waiting deliveries are
    cancelled when their turn comes (redeliver them after resuming)."""
    subscription = webhook_subscription_get_for_user(actor, subscription_id, lock=True)
    if subscription.is_active:
        subscription.is_active = False
        subscription.save(update_fields=["is_active", "updated_at"])
    return subscription


@transaction.atomic
def webhook_subscription_resume(*, actor, subscription_id: int) -> WebhookSubscription:
    """Send again, from the next event on; a disabled subscription's URL is checked again."""
    subscription = webhook_subscription_get_for_user(actor, subscription_id, lock=True)
    if not subscription.is_active:
        webhook_url_clean(subscription.url)
        subscription.is_active = True
        subscription.disabled_reason = ""
        subscription.disabled_at = None
        subscription.consecutive_failures = 0
        subscription.failing_since = None
        subscription.save(update_fields=["is_active", "disabled_reason", "disabled_at", "consecutive_failures",
                                         "failing_since", "updated_at"])
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, actor, subscription_id: int) -> None:
    subscription = webhook_subscription_get_for_user(actor, subscription_id, lock=True)
    subscription.delete()


@transaction.atomic
def webhook_subscription_disable(*, subscription_id: int, reason: str) -> bool:
    """The desk stops a subscription (410 Gone, a day of failures, a refused address, an
    owner who lost access): its waiting deliveries are cancelled and its owner told, in the
    app and by email. False when it was not active (nothing done, nobody told twice)."""
    from claims.discussion.notify import notifications_create

    subscription = (WebhookSubscription.objects.select_for_update(of=("self",)).select_related("owner")
                    .filter(pk=subscription_id, is_active=True).first())
    if subscription is None:
        return False
    subscription.is_active = False
    subscription.disabled_reason = reason[:2000]
    subscription.disabled_at = timezone.now()
    subscription.save(update_fields=["is_active", "disabled_reason", "disabled_at", "updated_at"])
    WebhookDelivery.objects.filter(subscription=subscription, state=WebhookDelivery.State.PENDING).update(
        state=WebhookDelivery.State.CANCELLED, next_attempt_at=None,
        last_error=f"Not sent: the subscription was disabled. {reason}"[:2000])
    owner = subscription.owner
    if owner.is_active:
        # By email as the owner chose for this kind (claims.discussion.notify).
        notifications_create([Notification(
            recipient=owner, verb=NOTIFICATION_VERB,
            message=(f"Your webhook to {subscription.url} was disabled: {reason} "
                     "Resume it under Settings → Webhooks once it is fixed.")[:500],
        )])
    return True


def _deliver(*, event: WebhookEvent, subscription: WebhookSubscription,
             redelivery_of: WebhookDelivery | None = None) -> WebhookDelivery:
    from claims.followups import WEBHOOK_DELIVERY
    from workbench.followup import followup_enqueue

    delivery = WebhookDelivery.objects.create(event=event, subscription=subscription, redelivery_of=redelivery_of)
    followup_enqueue(WEBHOOK_DELIVERY, [delivery.pk])
    return delivery


def _require_active(subscription: WebhookSubscription) -> None:
    if not subscription.is_active:
        raise ValidationError(f"This webhook is {subscription.state_label.lower()}: resume it first.")


@transaction.atomic
def webhook_redeliver(*, actor, delivery_id: int) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery row (same ``webhook-id``, so the
    receiver can tell it is the same event)."""
    original = WebhookDelivery.objects.select_related("event").filter(pk=delivery_id).first()
    if original is None:
        raise PermissionDenied("No such delivery of yours.")
    subscription = webhook_subscription_get_for_user(actor, original.subscription_id, lock=True)
    _require_active(subscription)
    return _deliver(event=original.event, subscription=subscription, redelivery_of=original)


@transaction.atomic
def webhook_send_test(*, actor, subscription_id: int) -> WebhookDelivery:
    """A ``webhook.test`` event for this subscription only, signed like any other."""
    subscription = webhook_subscription_get_for_user(actor, subscription_id, lock=True)
    _require_active(subscription)
    event = WebhookEvent.objects.create(
        uid=new_uid(), type=WebhookEventType.PING,
        payload=payload_for(WebhookEventType.PING, {
            "subscription": subscription.pk,
            "message": "A test event from FactDesk: your endpoint receives and can verify webhooks.",
            "sent_by": actor.get_username(),
        }),
    )
    return _deliver(event=event, subscription=subscription)
