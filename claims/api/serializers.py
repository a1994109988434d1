"""What the API returns and accepts. Output serializers read rows the selectors prepared;
input serializers only check shapes: the services decide what is allowed."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import ApiToken, Claim, ClaimantKind, ClaimStatus, Evidence, Priority, Stance
from sources.models import SourceKind
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


# --- Input ---------------------------------------------------------------------------------


class ClaimCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    claimant = serializers.CharField(max_length=300)
    claimant_kind = serializers.ChoiceField(choices=ClaimantKind.choices, default=ClaimantKind.PERSON)
    said_url = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    said_where = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    said_on = serializers.DateField(required=False, allow_null=True, default=None)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False,
                                 default=list)


class ClaimUpdateSerializer(ClaimCreateSerializer):
    """Any of the fields, with ``If-Match``: the claim's revision (its ETag)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class SimilarClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    status = serializers.CharField()
    similarity = serializers.FloatField(help_text="0..1; about 0.8 and above: the same claim")
    url = serializers.CharField()


class ClaimCreatedSerializer(ClaimSerializer):
    possible_duplicates = SimilarClaimSerializer(many=True, read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "possible_duplicates"]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class MoveBackSerializer(ReasonSerializer):
    to = serializers.ChoiceField(choices=[ClaimStatus.NEW, ClaimStatus.TRIAGED, ClaimStatus.RESEARCHING])


class DuplicateSerializer(serializers.Serializer):
    original = serializers.IntegerField(help_text="The id of the claim this one repeats.")


class AssignSerializer(serializers.Serializer):
    assignee = serializers.CharField(allow_null=True, help_text="A user name, or null to unassign.")


class EmptySerializer(serializers.Serializer):
    pass


# --- Evidence ------------------------------------------------------------------------------


class SourceSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    outlet = serializers.CharField(source="outlet.name", allow_null=True, default=None)
    fetch_status = serializers.CharField()


class EvidenceSerializer(serializers.ModelSerializer):
    source = SourceSummarySerializer(read_only=True)
    added_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    snapshot_sha256 = serializers.SerializerMethodField()
    cited_publicly = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "stance", "is_denial", "speaker", "speaker_is_party", "quote", "note",
                  "stated_on", "stated_where", "source", "snapshot_sha256", "cited_publicly",
                  "added_by", "added_at", "revision"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_snapshot_sha256(self, evidence) -> str | None:
        return getattr(evidence, "snapshot_sha256", None)

    @extend_schema_field(serializers.BooleanField())
    def get_cited_publicly(self, evidence) -> bool:
        return bool(getattr(evidence, "cited_publicly", False))


class EvidenceDetailsSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Stance.choices)
    speaker = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    speaker_is_party = serializers.BooleanField(required=False, default=False)
    quote = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    stated_on = serializers.DateField(required=False, allow_null=True, default=None)
    stated_where = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                         default="")


class EvidenceAttachSerializer(EvidenceDetailsSerializer):
    url = serializers.CharField(max_length=2000)


class EvidenceManualSerializer(EvidenceDetailsSerializer):
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    outlet_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    published_on = serializers.DateField(required=False, allow_null=True, default=None)


class DenialSerializer(serializers.Serializer):
    """Where they said it: ``url``, or with none a source described by hand (``title``)."""

    speaker = serializers.CharField(max_length=300)
    quote = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    stated_on = serializers.DateField(required=False, allow_null=True, default=None)
    stated_where = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                         default="")
    url = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False, allow_blank=True,
                                   default="")
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    outlet_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
