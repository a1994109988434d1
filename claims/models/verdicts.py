"""Ratings, verdict versions, reviews and notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models.core import Claim, Evidence
from claims.models.watching import EmailFrequency, NotificationKind

# The public fields a correction may change (claims.services.PUBLIC_FIELDS and
# EVIDENCE_PUBLIC_FIELDS; repeated here for the database constraint).
CLAIM_CORRECTABLE_FIELDS = ("text", "claimant", "claimant_kind", "said_url", "said_where", "said_on")
EVIDENCE_CORRECTABLE_FIELDS = ("stance", "speaker", "speaker_is_party", "quote", "stated_on", "stated_where")


class Rating(models.Model):
    """One step of the rating scale, edited by the Admin. Higher ``rating_value`` is truer."""

    label = models.CharField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    colour = models.CharField(max_length=7, default="#4a5565", help_text="Hex colour, e.g. #14663a")
    order = models.PositiveSmallIntegerField(default=0, help_text="Position on the scale")
    rating_value = models.SmallIntegerField(help_text="ClaimReview ratingValue; higher = truer")
    is_retired = models.BooleanField(default=False, help_text="Retired ratings cannot be chosen")

    class Meta:
        ordering = ["order", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class VerdictState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Awaiting review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


class VerdictVersion(models.Model):
    """One version of a claim's verdict. A draft is editable; once submitted it is immutable,
    and changes make a new version. The published verdict is the latest approved version."""

    State = VerdictState

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdict_versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=VerdictState.choices, default=VerdictState.DRAFT)
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="verdicts")
    headline = models.CharField(max_length=300)
    summary_md = models.TextField(help_text="Markdown; rendered through a sanitiser")
    reasoning = models.TextField(blank=True)
    cited_evidence = models.ManyToManyField(Evidence, related_name="cited_by", blank=True)
    denial_waiver_reason = models.TextField(
        blank=True, help_text="Why no denial or refutation is cited, when none is"
    )
    correction_note = models.TextField(
        blank=True, help_text="Required when this version corrects a published verdict"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts_written"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verdicts_reviewed",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="verdict_number_per_claim"),
            models.CheckConstraint(
                condition=Q(state__in=VerdictState.values), name="verdict_state_valid"
            ),
            # The two-person rule, enforced by the database as a last line of defence.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("author")),
                name="verdict_reviewer_is_not_author",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(reviewed_by__isnull=False),
                name="verdict_approved_has_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"Verdict v{self.number} on claim {self.claim_id}: {self.headline}"


class CorrectionChange(models.Model):
    """One change a correction proposes to the published claim (``evidence`` is null) or to
    one evidence item its verdict cites: the field, the value when it was proposed and the
    new value (JSON, as in the activity log). Written with the draft, frozen once submitted,
    applied when a second person approves the version."""

    version = models.ForeignKey(VerdictVersion, on_delete=models.CASCADE, related_name="changes")
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="correction_changes"
    )
    field = models.CharField(max_length=40)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["version", "evidence_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "field"], condition=Q(evidence__isnull=True),
                name="correction_one_change_per_claim_field",
            ),
            models.UniqueConstraint(
                fields=["version", "evidence", "field"], condition=Q(evidence__isnull=False),
                name="correction_one_change_per_evidence_field",
            ),
            models.CheckConstraint(
                condition=(
                    Q(evidence__isnull=True, field__in=CLAIM_CORRECTABLE_FIELDS)
                    | Q(evidence__isnull=False, field__in=EVIDENCE_CORRECTABLE_FIELDS)
                ),
                name="correction_field_is_public",
            ),
        ]

    def __str__(self) -> str:
        target = f"evidence {self.evidence_id}" if self.evidence_id else f"claim {self.version.claim_id}"
        return f"v{self.version.number}: {target} {self.field}"


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", "Approved"
    REQUEST_CHANGES = "request_changes", "Requested changes"


class Review(models.Model):
    version = models.ForeignKey(VerdictVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    comments = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["at"], name="review_at")]  # the dashboard's review weeks
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=ReviewDecision.values), name="review_decision_valid"
            ),
        ]


    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer} on {self.version}"

class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The kind (NotificationKind). No database constraint: a feature adding a kind adds it to
    # NotificationKind, and a row of a kind this code does not know still shows its message.
    verb = models.CharField(max_length=60, choices=NotificationKind.choices)
    message = models.CharField(max_length=500)
    # Batched kinds (new coverage) count the items one notification stands for.
    count = models.PositiveIntegerField(default=1)
    # How it goes out by email (the recipient's preference when it was made), and the daily
    # digest that carried it, once one has.
    email = models.CharField(max_length=12, choices=EmailFrequency.choices,
                             default=EmailFrequency.IMMEDIATELY)
    digest = models.ForeignKey("claims.DigestDelivery", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="notifications")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE)
    version = models.ForeignKey(VerdictVersion, null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            models.Index(fields=["created_at"], condition=models.Q(email="daily", digest__isnull=True),
                         name="notification_digest_due"),
        ]

    def __str__(self) -> str:
        return f"To {self.recipient}: {self.message}"
