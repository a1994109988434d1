"""Published fact-checks, public and read-only, each with its ClaimReview markup: what
``/fact-checks/`` shows anyone, for machines. Nothing unpublished is reachable here."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from claims.api.pagination import KeysetPagination
from claims.api.serializers_more import FactCheckSerializer
from claims.api.views import ApiView, problems
from claims.reviewing import selectors


class FactCheckListView(ApiView):
    """Published fact-checks, newest first, paged by cursor. No token needed."""

    permission_classes = [AllowAny]  # read-only: every other method is 405 for anyone
    serializer_class = FactCheckSerializer
    pagination_class = KeysetPagination

    @extend_schema(operation_id="fact_checks_list", auth=[],
                   responses={200: FactCheckSerializer(many=True), **problems(400, 429)})
    def get(self, request):
        claims = selectors.with_public_verdicts(selectors.published_claims(), corrections=True)
        page = self.paginate_queryset(claims)
        context = {"bounds": selectors.rating_scale_bounds()}
        return self.get_paginated_response(FactCheckSerializer(page, many=True, context=context).data)


class FactCheckDetailView(ApiView):
    permission_classes = [AllowAny]  # read-only: every other method is 405 for anyone
    serializer_class = FactCheckSerializer

    @extend_schema(operation_id="fact_checks_read", auth=[],
                   responses={200: FactCheckSerializer, **problems(404, 429)})
    def get(self, request, slug: str):
        claim = selectors.public_claim_by_slug(slug)
        if claim is None:
            raise Http404("No published fact-check here.")
        context = {"bounds": selectors.rating_scale_bounds()}
        return Response(FactCheckSerializer(claim, context=context).data)
