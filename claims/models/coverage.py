"""Coverage suggestions: documents matched to claims, with the stance model's label."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models.core import Claim, Evidence
from sources.models import Document


class CoverageStance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    DENIES = "denies", "Denies"
    DISCUSSES = "discusses", "Discusses"


class SuggestionStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class CoverageSuggestion(models.Model):
    Status = SuggestionStatus

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="suggestions")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="suggestions")
    relevance = models.FloatField()
    stance = models.CharField(max_length=10, choices=CoverageStance.choices)
    stance_confidence = models.FloatField()
    #: The sentence of the document's lead the stance model found closest to the claim: shown
    #: highlighted when the claim's words are not in the document (another language).
    passage = models.CharField(max_length=600, blank=True)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.SUGGESTED
    )
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A reviewer's correction of the predicted stance of accepted coverage: a label for the
    # model's live precision and for retraining (claims.monitoring). Blank: not corrected.
    corrected_stance = models.CharField(max_length=10, choices=CoverageStance.choices, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-relevance"]
        indexes = [
            models.Index(fields=["claim", "status"], name="suggestion_claim_status"),
            # The dashboard: suggestions by week made, and the model's labels by when decided.
            models.Index(fields=["created_at"], name="suggestion_created_at"),
            models.Index(fields=["decided_at"], condition=Q(decided_at__isnull=False),
                         name="suggestion_decided_at"),
        ]
        constraints = [
            # One suggestion per (claim, document): a dismissed one is never suggested again.
            models.UniqueConstraint(fields=["claim", "document"], name="suggestion_once_per_claim"),
            models.CheckConstraint(
                condition=Q(stance__in=CoverageStance.values), name="suggestion_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(stance_confidence__gte=0) & Q(stance_confidence__lte=1),
                name="suggestion_confidence_0_1",
            ),
            models.CheckConstraint(
                condition=Q(corrected_stance="") | (Q(corrected_stance__in=CoverageStance.values)
                                                    & Q(status=SuggestionStatus.ACCEPTED)),
                name="suggestion_correction_only_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()} ({self.relevance:.2f}): {self.document}"


class GatherRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class GatherRun(models.Model):
    """One "gather coverage now" request: its progress is shown while it runs."""

    Status = GatherRunStatus

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="gather_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        max_length=10, choices=GatherRunStatus.choices, default=GatherRunStatus.QUEUED
    )
    step = models.CharField(max_length=200, blank=True, help_text="What it is doing now")
    documents_checked = models.PositiveIntegerField(default=0)
    suggestions_added = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Durable follow-up work (workbench.followup): a queued run is sent until a worker takes it.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GatherRunStatus.values), name="gatherrun_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Gather run {self.pk} for claim {self.claim_id}: {self.status}"
