"""The API's views: thin. Reads go through the desk's selectors and per-entity fetchers (so
an outsider gets the same 404 as on the pages), writes through its services."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims import selectors
from claims.api.pagination import KeysetPagination
from claims.api.permissions import DESK
from claims.api.serializers import ClaimListSerializer, ClaimSerializer, ProblemSerializer
from claims.forms import QueueFilterForm
from claims.models import Claim, ClaimStatus, Priority

PROBLEMS = {
    code: OpenApiResponse(ProblemSerializer, description=text)
    for code, text in {
        400: "Invalid input (problem details with field errors)",
        401: "No valid token or session",
        403: "Not allowed",
        404: "Not found",
        429: "Rate limit reached",
    }.items()
}


def _problems(*codes: int) -> dict:
    return {code: PROBLEMS[code] for code in codes}


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


class ClaimListView(generics.GenericAPIView):
    """The triage queue: the same filters, search and sorts as the queue page and the exports
    (``claims.selectors.claim_queue``), paged by cursor."""

    permission_classes = DESK
    serializer_class = ClaimListSerializer
    pagination_class = KeysetPagination

    @extend_schema(
        operation_id="claims_list", parameters=QUEUE_PARAMETERS,
        responses={200: ClaimListSerializer(many=True), **_problems(400, 401, 403, 429)},
    )
    def get(self, request):
        params = request.query_params
        form = QueueFilterForm(params, user=request.user, load_choices=False)
        if not form.is_valid():  # the page forgives a mangled link; a script gets told
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        queryset = selectors.claim_queue(user=request.user, params=params)
        rows = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class ClaimDetailView(generics.GenericAPIView):
    """One claim. Its ``ETag`` is its revision."""

    permission_classes = DESK
    serializer_class = ClaimSerializer

    @extend_schema(
        operation_id="claims_read",
        responses={200: ClaimSerializer, **_problems(401, 403, 404, 429)},
    )
    def get(self, request, claim_id: int):
        claim = selectors.claim_get_for_user(
            request.user, claim_id,
            queryset=Claim.objects.select_related("assignee", "created_by")
            .prefetch_related("tags"),
        )
        return Response(self.get_serializer(claim).data, headers={"ETag": f'"{claim.revision}"'})
