"""The newsroom: claims, evidence, notes and the activity log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from pgvector.django import HnswIndex, VectorField

from sources.models import EMBEDDING_DIMENSIONS, Source


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClaimStatus(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    RESEARCHING = "researching", "Researching"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    DUPLICATE = "duplicate", "Duplicate"


OPEN_STATUSES = (
    ClaimStatus.NEW,
    ClaimStatus.TRIAGED,
    ClaimStatus.RESEARCHING,
    ClaimStatus.IN_REVIEW,
)


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class ClaimantKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organisation"


class Claim(models.Model):
    text = models.TextField(help_text="The claim as stated, stored as typed")
    claimant = models.CharField(max_length=300, help_text="Who made the claim")
    claimant_kind = models.CharField(
        max_length=12, choices=ClaimantKind.choices, default=ClaimantKind.PERSON
    )
    said_url = models.URLField(max_length=2000, blank=True, help_text="Where it was said")
    said_where = models.CharField(
        max_length=300, blank=True, help_text="Venue, e.g. 'press conference in Beijing'"
    )
    said_on = models.DateField(null=True, blank=True, help_text="When it was said")
    # Only the service functions in claims.services assign this field (a test enforces it).
    status = models.CharField(max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    rejection_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every edit bumps it; a stale form is refused.
    revision = models.PositiveIntegerField(default=1)
    # Set when first published; the public fact-check lives at /fact-checks/<slug>/.
    slug = models.SlugField(max_length=120, unique=True, null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Full-text document over text, claimant, notes and evidence quotes (see services).
    search_vector = SearchVectorField(null=True, editable=False)
    # ISO 639-1 of the claim's text (detected; decides its text-search configuration).
    language = models.CharField(max_length=16, blank=True, editable=False)
    # The text's multilingual embedding (``query:``), filled by the embedding worker queue.
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("review_claim", "Can review verdicts and publish claims")]
        indexes = [
            GinIndex(fields=["search_vector"], name="claim_search_gin"),
            HnswIndex(
                name="claim_embedding_hnsw", fields=["embedding"], m=16, ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(fields=["status", "-created_at"], name="claim_status_created"),
            models.Index(fields=["assignee", "status"], name="claim_assignee_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s for s, _ in ClaimStatus.choices]),
                name="claim_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=[p for p, _ in Priority.choices]),
                name="claim_priority_valid",
            ),
            models.CheckConstraint(
                condition=Q(claimant_kind__in=[k for k, _ in ClaimantKind.choices]),
                name="claim_claimant_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.DUPLICATE) | Q(duplicate_of__isnull=False),
                name="claim_duplicate_has_original",
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.REJECTED) | ~Q(rejection_reason=""),
                name="claim_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def denials(self):
        return self.evidence.filter(is_denial=True)


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    DENIES = "denies", "Denies or refutes"
    CONTEXT = "context", "Context"


class Evidence(models.Model):
    """A source attached to a claim, with its stance toward the claim.

    A *denial* is evidence that denies the claim, spoken by a party to it
    ("Beijing denied it"). ``is_denial`` is computed by the database, so listing
    a claim's denials is one indexed filter.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    speaker = models.CharField(
        max_length=300, blank=True, help_text="Who said it in the source"
    )
    speaker_is_party = models.BooleanField(
        default=False, help_text="The speaker is a party to the claim (e.g. the accused)"
    )
    is_denial = models.GeneratedField(
        expression=Q(stance="denies") & Q(speaker_is_party=True),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    quote = models.TextField(blank=True)
    note = models.TextField(blank=True)
    stated_on = models.DateField(null=True, blank=True, help_text="When the speaker said it")
    stated_where = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence_added"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["claim", "stance"], name="evidence_claim_stance")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "speaker"], name="evidence_one_per_claim_source_speaker"
            ),
            models.CheckConstraint(
                condition=Q(stance__in=[s for s, _ in Stance.choices]), name="evidence_stance_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source}"


class Note(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="note_body_not_empty")]

    def __str__(self) -> str:
        return self.body[:80]


class ActivityEvent(models.Model):
    """Every state change writes one row: who did what to which claim, and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    verb = models.CharField(max_length=60)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="activity"
    )
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["claim", "-at"], name="activity_claim_at")]

    def __str__(self) -> str:
        return f"{self.actor} {self.verb} {self.claim_id} at {self.at:%Y-%m-%d %H:%M}"
