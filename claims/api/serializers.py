"""What the API returns and accepts. Output serializers read rows the selectors prepared;
input serializers only check shapes: the services decide what is allowed."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import ApiToken, Claim, ClaimStatus
from workbench.http import highlight_html


class LastActivitySerializer(serializers.Serializer):
    verb = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField(allow_null=True)
    actor = serializers.CharField(allow_null=True)


class ClaimSerializer(serializers.ModelSerializer):
    """A claim as the desk sees it. ``revision`` is also the ``ETag``: send it back as
    ``If-Match`` to update."""

    url = serializers.SerializerMethodField()
    desk_url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    status = serializers.ChoiceField(choices=ClaimStatus.choices, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id", "url", "desk_url", "public_url", "text", "claimant", "claimant_kind",
            "said_url", "said_where", "said_on", "status", "priority", "assignee", "tags",
            "duplicate_of", "rejection_reason", "language", "revision", "created_by",
            "created_at", "updated_at", "published_at",
        ]
        read_only_fields = fields

    def get_url(self, claim: Claim) -> str:
        return reverse("api:claim_detail", args=[claim.pk])

    def get_desk_url(self, claim: Claim) -> str:
        return reverse("claims:claim_detail", args=[claim.pk])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_public_url(self, claim: Claim) -> str | None:
        if claim.status != ClaimStatus.PUBLISHED or not claim.slug:
            return None
        return reverse("public:detail", args=[claim.slug])


class ClaimListSerializer(ClaimSerializer):
    """A queue row: the claim plus its counts, its last activity and, when searching, the
    ranked headline (HTML: escaped text with ``<mark>`` around the words found)."""

    supporting_count = serializers.IntegerField(read_only=True)
    denial_count = serializers.IntegerField(read_only=True)
    new_coverage_count = serializers.IntegerField(read_only=True)
    last_activity = serializers.SerializerMethodField()
    search_rank = serializers.SerializerMethodField()
    search_headline = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = [
            *ClaimSerializer.Meta.fields, "supporting_count", "denial_count",
            "new_coverage_count", "last_activity", "search_rank", "search_headline",
        ]
        read_only_fields = fields

    @extend_schema_field(LastActivitySerializer)
    def get_last_activity(self, claim) -> dict:
        return {
            "verb": claim.last_activity_verb,
            "at": claim.last_activity_at,
            "actor": claim.last_activity_actor,
        }

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_search_rank(self, claim) -> float | None:
        return getattr(claim, "rank", None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_search_headline(self, claim) -> str | None:
        headline = getattr(claim, "headline", None)
        return None if headline is None else str(highlight_html(headline))


class ApiTokenSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "scope", "prefix", "state", "created_at", "expires_at",
                  "last_used_at", "revoked_at"]
        read_only_fields = fields


class ProblemFieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemFieldErrorSerializer(many=True, required=False)
