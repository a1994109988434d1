"""Deliveries: one row per message the newsroom sends out, with its attempts and outcome.

Each row is durable follow-up work (``workbench.followup``): created in the transaction
that decides to send, queued on commit, swept again while pending, sent once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent (no address)"


class EmailDelivery(models.Model):
    """The email of one notification."""

    State = DeliveryState

    notification = models.OneToOneField(
        "claims.Notification", on_delete=models.CASCADE, related_name="email_delivery"
    )
    state = models.CharField(max_length=8, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "email deliveries"
        indexes = [
            models.Index(fields=["queued_at"], condition=Q(state="pending"),
                         name="emaildelivery_pending"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=DeliveryState.values),
                                   name="emaildelivery_state_valid"),
        ]

    def __str__(self) -> str:
        return f"Email for notification {self.notification_id}: {self.state}"
