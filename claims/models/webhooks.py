"""Webhooks: subscriptions, the events the desk records for them, one delivery row per
(event, subscription) and one attempt row per try. See ``claims.webhooks``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models.deliveries import Delivery


class WebhookEventType(models.TextChoices):
    CLAIM_CREATED = "claim.created", "A claim was logged"
    CLAIM_STATUS_CHANGED = "claim.status_changed", "A claim moved in the workflow"
    CLAIM_PUBLISHED = "claim.published", "A fact-check was published"
    CLAIM_CORRECTED = "claim.corrected", "A published fact-check was corrected"
    CLAIM_TAKEN_DOWN = "claim.taken_down", "A published fact-check was taken down"
    SUGGESTION_CREATED = "suggestion.created", "Coverage was suggested for a claim"
    SOURCE_CHANGED = "source.changed", "A cited source changed or vanished after publication"
    # Sent by hand from the settings page ("send test event"), never by a change.
    PING = "webhook.test", "Test event"


class WebhookSubscription(models.Model):
    """Where to send which events, signed with ``secret`` (Standard Webhooks: ``whsec_``
    then base64 of the key bytes). Paused by its owner (``is_active`` off, no reason) or
    disabled by the desk (``disabled_reason`` says why: it failed for a day, answered 410
    Gone, its address was refused, or its owner lost access)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="webhook_subscriptions")
    url = models.CharField(max_length=2000)  # checked by the services with the fetcher's rules
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.TextField(blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Failed attempts in a row, and when the first of them failed: a subscription failing
    # WEBHOOK_DISABLE_AFTER_FAILURES times over WEBHOOK_DISABLE_AFTER_HOURS is disabled.
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="webhooksub_owner")]

    def __str__(self) -> str:
        return f"Webhook {self.pk} to {self.url}"

    @property
    def state_label(self) -> str:
        if self.is_active:
            return "Active"
        return "Disabled" if self.disabled_reason else "Paused"


class WebhookEvent(models.Model):
    """One thing that happened, as its subscribers receive it. ``uid`` is the
    ``webhook-id`` (the same for every delivery and retry of this event, so a receiver can
    drop repeats); ``payload`` is the body, fixed when the change committed."""

    uid = models.CharField(max_length=40, unique=True)
    type = models.CharField(max_length=40, choices=WebhookEventType.choices)
    claim = models.ForeignKey("claims.Claim", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.type} {self.uid}"


class WebhookDeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Delivered"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Not sent (subscription paused or disabled)"


class WebhookDelivery(Delivery):
    """One event for one subscription: durable follow-up work (``workbench.followup``).
    ``attempts`` counts the tries recorded in ``WebhookAttempt``; ``unfinished_runs`` the
    runs begun and not finished (the follow-up ticket's counter: a worker killed each time
    parks the row). A retry waits for ``next_attempt_at`` (the sweep sends it then)."""

    State = WebhookDeliveryState

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE,
                                     related_name="deliveries")
    state = models.CharField(max_length=10, choices=WebhookDeliveryState.choices,
                             default=WebhookDeliveryState.PENDING)
    unfinished_runs = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    redelivery_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta(Delivery.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["queued_at"], condition=Q(state="pending"), name="webhookdelivery_pending"),
            models.Index(fields=["subscription", "-created_at", "-id"], name="webhookdelivery_log"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=WebhookDeliveryState.values),
                                   name="webhookdelivery_state_valid"),
            # An event reaches a subscription once; "redeliver" makes further rows on purpose.
            models.UniqueConstraint(fields=["event", "subscription"], condition=Q(redelivery_of__isnull=True),
                                    name="webhookdelivery_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"Delivery {self.pk} of {self.event_id} to subscription {self.subscription_id}: {self.state}"


class WebhookAttempt(models.Model):
    """One try of a delivery: when, how long, the answer's status code or the error."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_rows")
    at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Attempt at {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error[:40]}"
