"""Who watches a claim, the kinds of notification the desk sends, and how each person wants
each kind by email.

A watcher hears about the claim (comments, status changes, new coverage): its author, its
assignee, anyone who comments on it or is mentioned there, and anyone who pressed "Watch".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from claims.models.core import Claim


class NotificationKind(models.TextChoices):
    """What a notification is about (``Notification.verb``). The label names the kind on
    the notifications page and in the email preferences."""

    ASSIGNED = "assigned", "A claim was assigned to me"
    COMMENTED = "commented", "A comment on a claim I watch"
    MENTIONED = "mentioned", "Someone mentioned me"
    NEW_COVERAGE = "new_coverage", "New coverage suggestions on a claim I watch"
    STATUS_CHANGED = "status_changed", "A claim I watch changed status"
    AWAITING_REVIEW = "awaiting_review", "A verdict awaits my review"
    APPROVED = "approved", "My verdict was approved"
    CHANGES_REQUESTED = "changes_requested", "Changes were requested to my verdict"
    ALERT_STALE_CLAIM = "alert_stale_claim", "Alert: a claim went stale"
    ALERT_ASSIGNEE_LEFT = "alert_assignee_left", "Alert: an assignee has left"
    ALERT_SOURCE_CHANGED = "alert_source_changed", "Alert: a cited source changed or vanished"
    ALERT_FEED_FAILING = "alert_feed_failing", "Alert: a feed is failing"
    ALERT_RESURFACING = "alert_resurfacing", "Alert: a claim we published as false is spreading again"
    RESURFACING_DIGEST = "resurfacing_digest", "The weekly digest of claims spreading again"
    WEBHOOK_DISABLED = "webhook_disabled", "My webhook was disabled"
    # Rows from before the kinds were fixed whose word none of them names (migration 0030).
    OTHER = "other", "Other"


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    DAILY = "daily", "In a daily digest"
    NEVER = "never", "Never"


# What a person gets by email until they choose: what needs them now at once, the rest of
# what happens on claims they watch once a day.
DEFAULT_EMAIL = {
    NotificationKind.COMMENTED: EmailFrequency.DAILY,
    NotificationKind.NEW_COVERAGE: EmailFrequency.DAILY,
    NotificationKind.STATUS_CHANGED: EmailFrequency.DAILY,
}


def default_email(kind: str) -> str:
    return DEFAULT_EMAIL.get(kind, EmailFrequency.IMMEDIATELY)


class EmailPreference(models.Model):
    """One person's choice for one kind; a kind without a row takes ``default_email``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="email_preferences")
    kind = models.CharField(max_length=60, choices=NotificationKind.choices)
    frequency = models.CharField(max_length=12, choices=EmailFrequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="emailpreference_one_per_kind"),
            models.CheckConstraint(condition=models.Q(frequency__in=EmailFrequency.values),
                                   name="emailpreference_frequency_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.frequency}"


class ClaimWatch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claim_watches")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "user"], name="claimwatch_one_per_user")]
        indexes = [models.Index(fields=["user", "claim"], name="claimwatch_user")]

    def __str__(self) -> str:
        return f"{self.user} watches claim {self.claim_id}"
