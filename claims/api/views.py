"""The API's claim views: thin. Reads go through the desk's selectors and per-entity fetchers
(so an outsider gets the same answer as on the pages), writes through its services, inside
``activity_channel("api")`` so the activity log says "via API"."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims import selectors, services
from claims.activity import activity_channel
from claims.api.errors import PreconditionFailed, PreconditionRequired
from claims.api.pagination import KeysetPagination
from claims.api.permissions import DESK
from claims.api.serializers import (
    ClaimCreatedSerializer,
    ClaimCreateSerializer,
    ClaimListSerializer,
    ClaimSerializer,
    ClaimUpdateSerializer,
    ProblemSerializer,
)
from claims.forms import QueueFilterForm
from claims.models import Claim, ClaimStatus, Priority

PROBLEMS = {
    code: OpenApiResponse(ProblemSerializer, description=text)
    for code, text in {
        400: "Invalid input (problem details with field errors)",
        401: "No valid token or session",
        403: "Not allowed",
        404: "Not found",
        409: "Refused by the claim's state (workflow, frozen published content, duplicate)",
        412: "Stale: the claim changed since the revision sent in If-Match",
        428: "If-Match missing",
        429: "Rate limit reached",
    }.items()
}


def problems(*codes: int) -> dict:
    return {code: PROBLEMS[code] for code in codes}


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER,
    description='The revision read (the ETag), e.g. "3".',
)


class ApiView(generics.GenericAPIView):
    """Every API view: desk members, a write token for writes, activity logged "via API"."""

    permission_classes = DESK

    def dispatch(self, request, *args, **kwargs):
        with activity_channel("api"):
            return super().dispatch(request, *args, **kwargs)

    def input(self, serializer_class, **kwargs) -> dict:
        """The request body checked against ``serializer_class``; a field it does not know is
        an error too (a typo must not be silently dropped)."""
        data = self.request.data
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["Send a JSON object."]})
        serializer = serializer_class(data=data, **kwargs)
        unknown = sorted(set(data) - set(serializer.fields))
        errors = {name: ["Unknown field."] for name in unknown}
        if not serializer.is_valid():
            errors.update(serializer.errors)
        if errors:
            raise ValidationError(errors)
        return dict(serializer.validated_data)

    def claim(self, claim_id: int) -> Claim:
        return selectors.claim_get_for_user(
            self.request.user, claim_id,
            queryset=Claim.objects.select_related("assignee", "created_by").prefetch_related("tags"),
        )

    def claim_response(self, claim_id: int, *, status_code: int = 200, extra=None) -> Response:
        claim = self.claim(claim_id)
        serializer = ClaimCreatedSerializer if extra else ClaimSerializer
        if extra:
            for name, value in extra.items():
                setattr(claim, name, value)
        headers = {"ETag": f'"{claim.revision}"'}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = reverse("api:claim_detail", args=[claim.pk])
        return Response(serializer(claim).data, status=status_code, headers=headers)


def expected_revision(request, *, required: bool) -> int | None:
    """The revision in ``If-Match`` ("3", W/"3" or 3)."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        if required:
            raise PreconditionRequired()
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationError({"If-Match": ['The revision in quotes, as the ETag gave it: "3".']})
    return int(value)


def check_revision(request, claim: Claim) -> None:
    """Refuse with 412 when If-Match names another revision than the claim's."""
    wanted = expected_revision(request, required=False)
    if wanted is not None and wanted != claim.revision:
        raise PreconditionFailed()


QUEUE_PARAMETERS = [
    OpenApiParameter("q", str, description="Full-text search (websearch syntax)."),
    OpenApiParameter(
        "status", str, many=True, enum=ClaimStatus.values, explode=True,
        description="Repeat for several; none means the open statuses.",
    ),
    OpenApiParameter("priority", int, enum=Priority.values),
    OpenApiParameter("assignee", str, description='"anyone", "me", "unassigned" or a user id.'),
    OpenApiParameter("tag", str, description="A tag name."),
    OpenApiParameter("outlet", int, description="An outlet id: claims with evidence from it."),
    OpenApiParameter("logged_from", OpenApiTypes.DATE),
    OpenApiParameter("logged_to", OpenApiTypes.DATE),
    OpenApiParameter(
        "sort", str, enum=["priority", "newest", "oldest", "activity", "relevance"],
        description="priority by default; relevance by default when searching.",
    ),
]


class ClaimListView(ApiView):
    """The triage queue: the same filters, search and sorts as the queue page and the exports
    (``claims.selectors.claim_queue``), paged by cursor; and logging a claim."""

    serializer_class = ClaimListSerializer
    pagination_class = KeysetPagination

    @extend_schema(
        operation_id="claims_list", parameters=QUEUE_PARAMETERS,
        responses={200: ClaimListSerializer(many=True), **problems(400, 401, 403, 429)},
    )
    def get(self, request):
        params = request.query_params
        form = QueueFilterForm(params, user=request.user, load_choices=False)
        if not form.is_valid():  # the page forgives a mangled link; a script gets told
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        queryset = selectors.claim_queue(user=request.user, params=params)
        rows = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(
        operation_id="claims_create", request=ClaimCreateSerializer,
        responses={201: ClaimCreatedSerializer, 200: ClaimCreatedSerializer,
                   **problems(400, 401, 403, 429)},
        description="Log a claim. The answer lists claims that look like the same claim "
        "(`possible_duplicates`). The same claim sent twice within a minute is answered 200 "
        "with the first one instead of being logged again.",
    )
    def post(self, request):
        data = self.input(ClaimCreateSerializer)
        claim, created = services.claim_create_once(actor=request.user, **data)
        similar = selectors.similar_claims(text=claim.text, exclude_id=claim.pk)
        duplicates = [
            {"id": c.pk, "text": c.text, "status": c.status, "similarity": round(c.similarity, 4),
             "url": reverse("api:claim_detail", args=[c.pk])}
            for c in similar
        ]
        return self.claim_response(
            claim.pk, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            extra={"possible_duplicates": duplicates},
        )


class ClaimDetailView(ApiView):
    """One claim. Its ``ETag`` is its revision: send it back as ``If-Match`` to change it."""

    serializer_class = ClaimSerializer

    @extend_schema(operation_id="claims_read",
                   responses={200: ClaimSerializer, **problems(401, 403, 404, 429)})
    def get(self, request, claim_id: int):
        return self.claim_response(self.claim(claim_id).pk)

    @extend_schema(
        operation_id="claims_update", request=ClaimUpdateSerializer, parameters=[IF_MATCH],
        responses={200: ClaimSerializer, **problems(400, 401, 403, 404, 409, 412, 428, 429)},
        description="Edit a claim's details. Published (or in-review) claims keep their "
        "public fields frozen: change them through a reviewed correction.",
    )
    def patch(self, request, claim_id: int):
        claim = self.claim(claim_id)
        revision = expected_revision(request, required=True)
        data = self.input(ClaimUpdateSerializer)
        services.claim_update(actor=request.user, claim_id=claim.pk, expected_revision=revision,
                              **data)
        return self.claim_response(claim.pk)
