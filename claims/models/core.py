"""The newsroom: claims, evidence, notes and the activity log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from pgvector.django import HnswIndex, VectorField

from sources.models import EMBEDDING_DIMENSIONS, Source
from sources.validators import validate_web_url


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
    said_url = models.URLField(
        max_length=2000, blank=True, help_text="Where it was said", validators=[validate_web_url]
    )
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
            # The dashboard's weekly figures read claims by when they were logged and published.
            models.Index(fields=["created_at"], name="claim_created_at"),
            models.Index(fields=["published_at"], condition=Q(published_at__isnull=False),
                         name="claim_published_at"),
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
        return self.evidence.active().filter(is_denial=True)


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    DENIES = "denies", "Denies or refutes"
    CONTEXT = "context", "Context"


class EvidenceQuerySet(models.QuerySet):
    def active(self):
        """Evidence in use: everything not removed. Lists, counts and citations use this."""
        return self.filter(removed_at__isnull=True)

    def removed(self):
        """Tombstones: removed evidence, kept so the history shows what was there and why it went."""
        return self.filter(removed_at__isnull=False)


class Evidence(models.Model):
    """A source attached to a claim, with its stance toward the claim.

    A *denial* is evidence that denies the claim, spoken by a party to it
    ("Beijing denied it"). ``is_denial`` is computed by the database, so listing
    a claim's denials is one indexed filter.

    Evidence is never deleted from the desk: removing it keeps the row as a tombstone
    (``removed_at``, ``removed_by``, ``removal_reason``), visible in the claim's history.
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
    # Optimistic concurrency, as on Claim: every edit bumps it; a stale form is refused.
    revision = models.PositiveIntegerField(default=1)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="evidence_removed",
    )
    removal_reason = models.TextField(blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["added_at"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["claim", "stance"], name="evidence_claim_stance")]
        constraints = [
            # One live item per source and speaker; tombstones do not count.
            models.UniqueConstraint(
                fields=["claim", "source", "speaker"], condition=Q(removed_at__isnull=True),
                name="evidence_one_live_per_claim_source_speaker",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=[s for s, _ in Stance.choices]), name="evidence_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | (Q(removed_by__isnull=False) & ~Q(removal_reason="")),
                name="evidence_removal_has_who_and_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


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


class ActivityVerb(models.TextChoices):
    """What an activity row records: a fixed vocabulary. The label reads after the actor's
    name ("erin recorded a denial")."""

    LOGGED = "logged", "logged the claim"
    TRIAGED = "triaged", "triaged"
    STARTED_RESEARCH = "started_research", "started research"
    MOVED_BACK = "moved_back", "moved back"
    SUBMITTED_FOR_REVIEW = "submitted_for_review", "submitted for review"
    PUBLISHED = "published", "published"
    REJECTED = "rejected", "rejected"
    REOPENED = "reopened", "reopened"
    ASSIGNED = "assigned", "assigned"
    UNASSIGNED = "unassigned", "unassigned"
    EDITED = "edited", "edited the claim"
    PRIORITY_CHANGED = "priority_changed", "changed priority"
    MARKED_DUPLICATE = "marked_duplicate", "marked duplicate"
    MERGED_DUPLICATE = "merged_duplicate", "merged a duplicate"
    NOTE_ADDED = "note_added", "added a note"
    EVIDENCE_ADDED = "evidence_added", "added evidence"
    DENIAL_RECORDED = "denial_recorded", "recorded a denial"
    EVIDENCE_EDITED = "evidence_edited", "edited evidence"
    EVIDENCE_REMOVED = "evidence_removed", "removed evidence"
    VERDICT_DRAFTED = "verdict_drafted", "drafted a verdict"
    VERDICT_DRAFT_EDITED = "verdict_draft_edited", "edited the verdict draft"
    VERDICT_SUBMITTED = "verdict_submitted", "submitted the verdict for review"
    CORRECTION_SUBMITTED = "correction_submitted", "submitted a correction for review"
    VERDICT_APPROVED = "verdict_approved", "approved and published the verdict"
    CORRECTION_APPROVED = "correction_approved", "approved a correction"
    CHANGES_REQUESTED = "changes_requested", "requested changes to the verdict"
    CLAIM_CORRECTED = "claim_corrected", "corrected the published claim"
    EVIDENCE_CORRECTED = "evidence_corrected", "corrected cited evidence"
    COVERAGE_ACCEPTED = "coverage_accepted", "accepted coverage"
    COVERAGE_DISMISSED = "coverage_dismissed", "dismissed coverage"
    COVERAGE_RESTORED = "coverage_restored", "restored coverage"
    COVERAGE_GATHERED = "coverage_gathered", "gathered coverage"
    COVERAGE_STANCE_CORRECTED = "coverage_stance_corrected", "corrected the stance of coverage"
    NOTIFICATION_EMAILED = "notification_emailed", "emailed a notification"
    COMMENT_POSTED = "comment_posted", "commented"
    COMMENT_EDITED = "comment_edited", "edited a comment"
    COMMENT_DELETED = "comment_deleted", "deleted a comment"
    # Rows older than the vocabulary whose verb it did not know: the words are kept in
    # details["legacy_verb"] (see migration 0007).
    LEGACY = "legacy", "did something"


class ActivityEvent(models.Model):
    """Every state change writes one row: who did what to which claim, and when."""

    Verb = ActivityVerb

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    verb = models.CharField(max_length=60, choices=ActivityVerb.choices)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="activity"
    )
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["claim", "-at"], name="activity_claim_at"),
            # Rejections per week, on the dashboard.
            models.Index(fields=["at"], condition=Q(verb="rejected"), name="activity_rejected_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.verb_text} {self.claim_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def verb_text(self) -> str:
        """The verb as it reads after the actor's name."""
        if self.verb == ActivityVerb.LEGACY:
            return str((self.details or {}).get("legacy_verb") or ActivityVerb.LEGACY.label)
        if (self.details or {}).get("via") == "api":
            return f"{self.get_verb_display()} via API"
        return self.get_verb_display()
