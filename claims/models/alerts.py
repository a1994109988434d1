"""Desk alerts: conditions the desk should act on, raised once and resolved when they clear."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from claims.models.core import Claim
from sources.models import Document, Feed, Source


class AlertKind(models.TextChoices):
    STALE_CLAIM = "stale_claim", "Stale claim"
    ASSIGNEE_LEFT = "assignee_left", "Assignee has left"
    SOURCE_CHANGED = "source_changed", "Cited source changed or gone"
    FEED_FAILING = "feed_failing", "Feed failing"
    RESURFACING = "resurfacing", "Spreading again"


class DeskAlert(models.Model):
    """One alert. ``key`` names the condition (kind and the rows it is about); while an alert
    is open (``resolved_at`` empty) no second one with its key can exist, so a condition that
    lasts is raised, and its people notified, once."""

    Kind = AlertKind

    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    key = models.CharField(max_length=100)
    message = models.CharField(max_length=500)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(resolved_at__isnull=True),
                                    name="deskalert_one_open_per_key"),
            models.CheckConstraint(condition=Q(kind__in=AlertKind.values), name="deskalert_kind_valid"),
        ]
        indexes = [models.Index(fields=["resolved_at", "-raised_at"], name="deskalert_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message}"


class ResurfacedItem(models.Model):
    """New coverage of a claim we published as false or misleading: one row per claim and
    document, ever (so an item alerts once), kept with the alert it was reported in."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    alert = models.ForeignKey(DeskAlert, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="resurfaced_items")
    relevance = models.FloatField()
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "document"], name="resurfaced_item_once"),
        ]
        indexes = [models.Index(fields=["found_at"], name="resurfaced_item_found")]

    def __str__(self) -> str:
        return f"Claim #{self.claim_id} resurfaced in document #{self.document_id}"


class ResurfacingDigest(models.Model):
    """The weekly digest of claims spreading again: one row per week (Monday), written in the
    transaction that writes its notifications and emails, so a week is never sent twice."""

    week_start = models.DateField(unique=True)
    claims = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_start"]

    def __str__(self) -> str:
        return f"Resurfacing digest of the week of {self.week_start}"
