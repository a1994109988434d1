"""Serializers for coverage suggestions, verdicts, feeds and public fact-checks."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import CoverageSuggestion, Rating, VerdictVersion
from sources.models import Feed, FeedKind


class SuggestionSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    document = serializers.SerializerMethodField()
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    evidence = serializers.IntegerField(source="evidence_id", read_only=True, allow_null=True)

    class Meta:
        model = CoverageSuggestion
        fields = ["id", "claim", "status", "stance", "stance_confidence", "relevance", "passage",
                  "document", "evidence", "decided_by", "decided_at", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_document(self, suggestion) -> dict:
        document = suggestion.document
        return {"id": document.pk, "url": document.canonical_url, "title": document.title,
                "language": document.language,
                "outlet": document.outlet.name if document.outlet_id else None,
                "published_at": document.published_at}


class VerdictSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    rating = serializers.SlugRelatedField(slug_field="label", read_only=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    cited_evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = VerdictVersion
        fields = ["id", "claim", "number", "state", "rating", "headline", "summary_md",
                  "reasoning", "cited_evidence", "denial_waiver_reason", "correction_note",
                  "author", "created_at", "submitted_at", "reviewed_by", "reviewed_at",
                  "published_at"]
        read_only_fields = fields


class VerdictDraftSerializer(serializers.Serializer):
    rating = serializers.SlugRelatedField(slug_field="label", queryset=Rating.objects.all(),
                                          help_text="A rating's label, e.g. 'False'.")
    headline = serializers.CharField(max_length=300)
    summary_md = serializers.CharField()
    reasoning = serializers.CharField(required=False, allow_blank=True, default="")
    cited_evidence_ids = serializers.ListField(child=serializers.IntegerField(), required=False,
                                               default=list)
    denial_waiver_reason = serializers.CharField(required=False, allow_blank=True, default="")
    based_on_id = serializers.IntegerField(required=False, allow_null=True, default=None,
                                           help_text="The version this draft revises, if any.")
    submit = serializers.BooleanField(required=False, default=False,
                                      help_text="Also send it for review.")


class ReviewSerializer(serializers.Serializer):
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class FeedSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet.name", allow_null=True, default=None,
                                   read_only=True)
    health = serializers.SerializerMethodField()

    class Meta:
        model = Feed
        fields = ["id", "url", "query", "title", "kind", "outlet", "interval_minutes",
                  "is_active", "health", "last_polled_at", "last_success_at",
                  "consecutive_failures", "next_poll_at", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_health(self, feed) -> dict:
        return self.context["health"](feed)


class FeedAddSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=FeedKind.choices, default=FeedKind.RSS)
    query = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    outlet_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                        default="")
    interval_minutes = serializers.IntegerField(min_value=1, default=30)


class FactCheckSerializer(serializers.Serializer):
    """A published fact-check: what the public page shows, with its ClaimReview markup."""

    slug = serializers.CharField()
    text = serializers.CharField()
    claimant = serializers.CharField()
    published_at = serializers.DateTimeField()
    public_url = serializers.SerializerMethodField()
    claimreview = serializers.SerializerMethodField()

    def get_public_url(self, claim) -> str:
        return reverse("public:detail", args=[claim.slug])

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_claimreview(self, claim) -> dict | None:
        from claims.reviewing.claimreview import claimreview_for

        return claimreview_for(claim, bounds=self.context.get("bounds"))
