"""A prior fact-check by another publisher, and the table that maps textual ratings to ours."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from pgvector.django import VectorField

from sources.validators import validate_web_url


class PriorFactCheckOrigin(models.TextChoices):
    FEED = "feed", "ClaimReview feed"
    PAGE = "page", "Fact-check page (JSON-LD)"
    GOOGLE = "google", "Google Fact Check Tools"


class PriorFactCheck(models.Model):
    """One ClaimReview: a publisher's rating of one claim. A page that reviews two claims
    gives two rows; importing it again updates them (``fingerprint``: URL and claim)."""

    Origin = PriorFactCheckOrigin

    url = models.URLField(max_length=2000, validators=[validate_web_url])
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    publisher = models.CharField(max_length=200)
    publisher_site = models.CharField(max_length=253, blank=True)
    claim_reviewed = models.TextField()
    claimant = models.CharField(max_length=300, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    textual_rating = models.CharField(max_length=300, blank=True)
    rating_value = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    #: The label of the rating on our scale ("False", "Misleading"...), or "" when the
    #: publisher's rating maps to none (the mapping table is edited in the admin).
    normalised_rating = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=16, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    imported_from = models.URLField(max_length=2000, blank=True, validators=[validate_web_url])
    #: The reviewed claim's multilingual embedding (a ``query:``, like our claims'), filled by
    #: the embedding queue, so a fact-check in German or Russian matches an English claim.
    embedding = VectorField(dimensions=384, null=True, blank=True, editable=False)  # as Document's
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(claim_reviewed=""), name="prior_factcheck_has_claim"),
            models.CheckConstraint(condition=Q(origin__in=PriorFactCheckOrigin.values),
                                   name="prior_factcheck_origin_valid"),
        ]
        indexes = [models.Index(fields=["publisher"]), models.Index(fields=["normalised_rating"])]

    def __str__(self) -> str:
        rating = self.textual_rating or "no rating"
        return f"{self.publisher}: {self.claim_reviewed[:80]} ({rating})"


class RatingMapping(models.Model):
    """A publisher's textual rating (lower case, matched whole) and the label it means on our
    scale. ``publisher`` narrows a mapping to one publisher; empty applies to all."""

    textual_rating = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, blank=True)
    normalised_rating = models.CharField(max_length=100, help_text="A label of our rating scale, e.g. False")

    class Meta:
        ordering = ["textual_rating", "publisher"]
        constraints = [
            models.UniqueConstraint(fields=["textual_rating", "publisher"], name="rating_mapping_unique"),
            models.CheckConstraint(condition=~Q(textual_rating=""), name="rating_mapping_has_text"),
        ]

    def __str__(self) -> str:
        where = f" ({self.publisher})" if self.publisher else ""
        return f"{self.textual_rating}{where} → {self.normalised_rating}"

    def clean(self) -> None:
        from sources.factchecks.ratings import rating_key

        self.textual_rating = rating_key(self.textual_rating)
        self.publisher = " ".join(self.publisher.split())
        self.normalised_rating = " ".join(self.normalised_rating.split())
