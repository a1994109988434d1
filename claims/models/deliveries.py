"""Deliveries: one row per message (or file) the newsroom sends out, with its attempts and outcome.

Each row is durable follow-up work (``workbench.followup``): created in the transaction
that decides to send, queued on commit, swept again while pending, sent once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent (no address)"


class Delivery(models.Model):
    """What every delivery row keeps for ``workbench.followup``: when it was last queued
    (its ticket), how many attempts it took, and the last error. Subclasses add ``state``
    (whose "pending" is the work still to do) and what is delivered."""

    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class EmailDelivery(Delivery):
    """The email of one notification."""

    State = DeliveryState

    notification = models.OneToOneField(
        "claims.Notification", on_delete=models.CASCADE, related_name="email_delivery"
    )
    state = models.CharField(max_length=8, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta(Delivery.Meta):
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


class ReportState(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReportRender(Delivery):
    """A claim's PDF report rendered by a worker: large records take longer than a web
    request may. Valid while the claim's record has not changed since ``activity_mark``
    (the id of its latest activity event when it was asked for)."""

    State = ReportState

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="report_renders")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    activity_mark = models.BigIntegerField(default=0)
    state = models.CharField(max_length=8, choices=ReportState.choices, default=ReportState.PENDING)
    pdf = models.BinaryField(null=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(Delivery.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["claim", "-created_at"], name="reportrender_claim")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ReportState.values),
                                   name="reportrender_state_valid"),
        ]

    def __str__(self) -> str:
        return f"PDF of claim {self.claim_id}: {self.state}"


class DigestDelivery(Delivery):
    """One person's daily digest email: the notifications they take "in a daily digest",
    gathered once per person per day (the unique pair makes a second one impossible)."""

    State = DeliveryState

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    state = models.CharField(max_length=8, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta(Delivery.Meta):
        ordering = ["-day", "user_id"]
        verbose_name_plural = "digest deliveries"
        indexes = [
            models.Index(fields=["queued_at"], condition=Q(state="pending"), name="digestdelivery_pending"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digestdelivery_one_per_user_day"),
            models.CheckConstraint(condition=Q(state__in=DeliveryState.values),
                                   name="digestdelivery_state_valid"),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user_id} on {self.day}: {self.state}"
