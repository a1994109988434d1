"""The outside world: outlets, citable sources and their archived snapshots.

This app never imports ``claims``.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from pgvector.django import HnswIndex, VectorField

from sources.validators import validate_domain, validate_web_url

#: Dimensions of the multilingual sentence embeddings stored beside documents and claims.
EMBEDDING_DIMENSIONS = 384


class OutletKind(models.TextChoices):
    WIRE = "wire", "Wire service"
    NEWSPAPER = "newspaper", "Newspaper or magazine"
    BROADCASTER = "broadcaster", "Broadcaster"
    STATE_MEDIA = "state_media", "State media"
    GOVERNMENT = "government", "Government"
    SOCIAL_PLATFORM = "social_platform", "Social platform"
    OTHER = "other", "Other"


class Outlet(models.Model):
    Kind = OutletKind

    name = models.CharField(max_length=200)
    domain = models.CharField(
        max_length=253, unique=True, help_text="Registrable domain, e.g. reuters.com",
        validators=[validate_domain],
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutletKind.values), name="outlet_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(domain=""), name="outlet_domain_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    ARTICLE = "article", "Article"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    PRESS_CONFERENCE = "press_conference", "Press conference"
    SOCIAL_POST = "social_post", "Social post"
    VIDEO = "video", "Video"
    DOCUMENT = "document", "Document"


class FetchStatus(models.TextChoices):
    NOT_APPLICABLE = "n/a", "No URL"
    PENDING = "pending", "Fetching"
    FETCHED = "fetched", "Archived"
    FAILED = "failed", "Fetch failed"


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Unchanged"
    CHANGED = "changed", "Changed since cited"
    GONE = "gone", "Gone"


class Source(models.Model):
    """A citable item: an article, a statement, a press conference, a post..."""

    Kind = SourceKind
    FetchStatus = FetchStatus
    LinkStatus = LinkStatus

    url = models.CharField(
        max_length=2000, blank=True, help_text="Normalised URL; empty for offline statements",
        validators=[validate_web_url],
    )
    title = models.CharField(max_length=500, blank=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.ARTICLE)
    description = models.TextField(
        blank=True, help_text="For sources without a URL: where and how it was said"
    )
    text = models.TextField(blank=True, help_text="Extracted main text of the latest snapshot")
    fetch_status = models.CharField(
        max_length=10, choices=FetchStatus.choices, default=FetchStatus.NOT_APPLICABLE
    )
    fetch_error = models.TextField(blank=True)
    link_status = models.CharField(
        max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED
    )
    link_checked_at = models.DateTimeField(null=True, blank=True)
    # Durable follow-up work (workbench.followup): archiving while fetch_status is "pending",
    # and the link check that beat queued last (so it is queued once, not every run).
    archive_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    archive_attempts = models.PositiveIntegerField(default=0, editable=False)
    link_check_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique_when_present"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(fetch_status__in=FetchStatus.values),
                name="source_fetch_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(link_status__in=LinkStatus.values),
                name="source_link_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url or self.description[:80] or f"Source {self.pk}"


class Snapshot(models.Model):
    """One archived fetch of a source. Never updated: a database trigger refuses it."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="snapshots")
    requested_url = models.CharField(max_length=2000, validators=[validate_web_url])
    final_url = models.CharField(max_length=2000, validators=[validate_web_url])
    http_status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=200, blank=True)
    raw_gzip = models.BinaryField(help_text="gzip-compressed response body")
    raw_size = models.PositiveIntegerField(help_text="Uncompressed size in bytes")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the uncompressed body")
    text = models.TextField(blank=True, help_text="Extracted main text")
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["-fetched_at"]
        indexes = [models.Index(fields=["source", "-fetched_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="snapshot_sha256_hex"
            )
        ]

    def __str__(self) -> str:
        return f"{self.final_url} @ {self.fetched_at:%Y-%m-%d %H:%M}"


class FeedKind(models.TextChoices):
    RSS = "rss", "RSS"
    ATOM = "atom", "Atom"
    GDELT = "gdelt", "GDELT article search"
    FACTCHECK = "factcheck", "Google Fact Check search"
    CLAIMREVIEW = "claimreview", "ClaimReview feed of another fact-checker"


class Feed(models.Model):
    """A polled source of coverage: an RSS/Atom feed or a search-API query."""

    Kind = FeedKind

    url = models.CharField(
        max_length=2000, help_text="Feed URL, or the API endpoint for queries",
        validators=[validate_web_url],
    )
    query = models.CharField(max_length=500, blank=True, help_text="For search connectors")
    title = models.CharField(max_length=300, blank=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="feeds"
    )
    kind = models.CharField(max_length=16, choices=FeedKind.choices, default=FeedKind.RSS)
    interval_minutes = models.PositiveIntegerField(default=30)
    is_active = models.BooleanField(default=True)
    # Conditional GET
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # Scheduling and health
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # Set when polling was stopped because polls kept killing their worker (see feed_health).
    parked_at = models.DateTimeField(null=True, blank=True)
    # When beat last queued a poll: a due feed is queued once, not on every beat run.
    poll_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "url"]
        constraints = [
            models.UniqueConstraint(fields=["url", "query"], name="feed_url_query_unique"),
            models.CheckConstraint(condition=Q(kind__in=FeedKind.values), name="feed_kind_valid"),
            models.CheckConstraint(condition=Q(interval_minutes__gte=1), name="feed_interval_positive"),
        ]

    def __str__(self) -> str:
        return self.title or (f"{self.get_kind_display()}: {self.query}" if self.query else self.url)


class FeedPollStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    NOT_MODIFIED = "not_modified", "Not modified"
    FAILED = "failed", "Failed"


class FeedPoll(models.Model):
    """One attempt at polling a feed: makes polls idempotent and their history visible."""

    Status = FeedPollStatus

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="polls")
    status = models.CharField(
        max_length=12, choices=FeedPollStatus.choices, default=FeedPollStatus.RUNNING
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    items_seen = models.PositiveIntegerField(default=0)
    items_new = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["feed", "-started_at"], name="feedpoll_feed_started")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FeedPollStatus.values), name="feedpoll_status_valid"
            )
        ]


    def __str__(self) -> str:
        return f"Poll of {self.feed} at {self.started_at:%Y-%m-%d %H:%M}: {self.status}"

class MatchState(models.TextChoices):
    PENDING = "pending", "Waiting to be matched"
    DONE = "done", "Matched"
    FAILED = "failed", "Could not be matched"


class Document(models.Model):
    """An item of coverage found by a feed or a search: the article store."""

    MatchState = MatchState

    canonical_url = models.CharField(max_length=2000, unique=True, validators=[validate_web_url])
    title = models.CharField(max_length=1000, blank=True)
    summary = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="Main text, when fetched")
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # ISO 639-1, detected from the title and lede when stored (the feed's own claim otherwise).
    language = models.CharField(max_length=16, blank=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents",
        help_text="The feed that first found it",
    )
    # Syndicated copies of one wire story share a fingerprint.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # Durable follow-up work (workbench.followup): coverage matching of new documents.
    # Database defaults, because documents are inserted in bulk by raw SQL.
    match_state = models.CharField(max_length=8, choices=MatchState.choices,
                                   default=MatchState.DONE, db_default=MatchState.DONE)
    match_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    match_attempts = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    match_error = models.TextField(blank=True, default="", db_default="")
    # The lead's multilingual embedding (mean of its units) for vector search, and each unit's
    # vector (float16 bytes) for the stance model. Filled by the embedding worker queue.
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True, editable=False)
    embedding_units = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="document_search_gin"),
            # Search of stored coverage, newest first (sources.search): a keyset walk.
            models.Index(Coalesce("published_at", "created_at").desc(), F("id").desc(),
                         name="document_newest"),
            models.Index(fields=["match_queued_at"], condition=Q(match_state="pending"),
                         name="document_match_pending"),
            HnswIndex(
                name="document_embedding_hnsw", fields=["embedding"], m=16, ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.canonical_url


class LinkCheckOutcome(models.TextChoices):
    OK = "ok", "Unchanged"
    CHANGED = "changed", "Changed since cited"
    GONE = "gone", "Gone"
    ERROR = "error", "Could not check"


class LinkCheck(models.Model):
    """One re-fetch of a cited source: did the page vanish or change since it was cited?"""

    Outcome = LinkCheckOutcome

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="link_checks")
    outcome = models.CharField(max_length=10, choices=LinkCheckOutcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    old_text_hash = models.CharField(
        max_length=64, blank=True, help_text="Text hash of the first snapshot (what was cited)"
    )
    new_text_hash = models.CharField(max_length=64, blank=True, help_text="Text hash found now")
    error = models.TextField(blank=True)
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="link_checks",
        help_text="The new snapshot archived by this check (changed pages)",
    )
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["source", "-checked_at"], name="linkcheck_source_checked")]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=LinkCheckOutcome.values), name="linkcheck_outcome_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Check of {self.source} at {self.checked_at:%Y-%m-%d %H:%M}: {self.outcome}"


# Prior fact-checks live in their own package; imported here so the app registers them.
from sources.factchecks.models import (  # noqa: E402, F401
    PriorFactCheck,
    PriorFactCheckOrigin,
    RatingMapping,
)
