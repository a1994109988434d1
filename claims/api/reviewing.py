"""Coverage suggestions, verdicts and feeds through the API, by the same services as the
pages: accepting a suggestion, the verdict flow under the two-person rule, feed management."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from claims.api.pagination import KeysetPagination
from claims.api.serializers import EmptySerializer
from claims.api.serializers_more import (
    FeedAddSerializer,
    FeedSerializer,
    ReviewSerializer,
    SuggestionSerializer,
    VerdictDraftSerializer,
    VerdictSerializer,
)
from claims.api.views import ApiView, problems
from claims.corroboration import selectors as coverage
from claims.corroboration import services as coverage_services
from claims.models import CoverageSuggestion
from claims.permissions import can_act_on_coverage
from claims.reviewing import selectors as reviewing
from claims.reviewing import services as verdicts

# --- Coverage suggestions ------------------------------------------------------------------


def _require_coverage(user) -> None:
    if not can_act_on_coverage(user):
        raise PermissionDenied("Coverage is for the desk's editors.")


class ClaimSuggestionsView(ApiView):
    """A claim's open coverage suggestions, most relevant first."""

    serializer_class = SuggestionSerializer

    @extend_schema(operation_id="suggestions_for_claim",
                   responses={200: SuggestionSerializer(many=True), **problems(401, 403, 404, 429)})
    def get(self, request, claim_id: int):
        claim = self.claim(claim_id)
        _require_coverage(request.user)
        rows = (CoverageSuggestion.objects.filter(claim=claim, status="suggested")
                .select_related("document", "document__outlet", "decided_by")
                .order_by("-relevance", "-stance_confidence", "id"))
        return Response(SuggestionSerializer(rows, many=True).data)


class SuggestionInboxView(ApiView):
    """New coverage on the claims assigned to me, newest first (the inbox), paged by cursor."""

    serializer_class = SuggestionSerializer
    pagination_class = KeysetPagination

    @extend_schema(operation_id="suggestions_inbox",
                   responses={200: SuggestionSerializer(many=True), **problems(400, 401, 403, 429)})
    def get(self, request):
        _require_coverage(request.user)
        rows = coverage.inbox_suggestions(user=request.user).order_by("-created_at", "-id")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SuggestionSerializer(page, many=True).data)


class _SuggestionDecision(ApiView):
    serializer_class = SuggestionSerializer
    decide = None  # the service

    def post(self, request, suggestion_id: int):
        suggestion = coverage.suggestion_get_for_user(request.user, suggestion_id=suggestion_id)
        type(self).decide(actor=request.user, suggestion_id=suggestion.pk)
        row = (CoverageSuggestion.objects.select_related("document", "document__outlet",
                                                         "decided_by").get(pk=suggestion.pk))
        return Response(SuggestionSerializer(row).data)


@extend_schema_view(post=extend_schema(operation_id="suggestions_accept",
               responses={200: SuggestionSerializer, **problems(401, 403, 404, 409, 429)},
               request=None, description="Accept: the document becomes evidence of the claim."))
class SuggestionAcceptView(_SuggestionDecision):
    decide = staticmethod(coverage_services.suggestion_accept)


@extend_schema_view(post=extend_schema(operation_id="suggestions_dismiss",
               responses={200: SuggestionSerializer, **problems(401, 403, 404, 409, 429)},
               request=None))
class SuggestionDismissView(_SuggestionDecision):
    decide = staticmethod(coverage_services.suggestion_dismiss)


# --- Verdicts ----------------------------------------------------------------------------------


class ClaimVerdictsView(ApiView):
    """A claim's verdict versions, newest first; and saving a draft (optionally submitting it)."""

    serializer_class = VerdictSerializer

    @extend_schema(operation_id="verdicts_list",
                   responses={200: VerdictSerializer(many=True), **problems(401, 403, 404, 429)})
    def get(self, request, claim_id: int):
        claim = reviewing.verdict_claim_get_for_user(request.user, claim_id)
        return Response(VerdictSerializer(reviewing.versions_for_claim(claim), many=True).data)

    @extend_schema(
        operation_id="verdicts_save_draft", request=VerdictDraftSerializer,
        responses={201: VerdictSerializer, **problems(400, 401, 403, 404, 409, 429)},
        description="Save a draft verdict; with `submit`, also send it for review (refused "
        "with the reasons when it is not ready: the draft is kept).",
    )
    def post(self, request, claim_id: int):
        claim = reviewing.verdict_claim_get_for_user(request.user, claim_id)
        data = self.input(VerdictDraftSerializer)
        submit = data.pop("submit")
        saved = verdicts.verdict_save(actor=request.user, claim_id=claim.pk, submit=submit, **data)
        body = VerdictSerializer(saved.version).data
        if saved.submit_problems:
            body = {**body, "submit_problems": saved.submit_problems}
        return Response(body, status=status.HTTP_201_CREATED)


class _VerdictStep(ApiView):
    serializer_class = VerdictSerializer
    review = False

    def post(self, request, version_id: int):
        version = reviewing.version_get_for_user(request.user, version_id, review=self.review)
        data = self.input(ReviewSerializer if self.review else EmptySerializer)
        version = self.step(request.user, version.pk, data)
        return Response(VerdictSerializer(version).data)


@extend_schema_view(post=extend_schema(operation_id="verdicts_submit", request=None,
               responses={200: VerdictSerializer, **problems(400, 401, 403, 404, 429)}))
class VerdictSubmitView(_VerdictStep):
    def step(self, actor, version_id, data):
        return verdicts.verdict_submit(actor=actor, version_id=version_id)


@extend_schema_view(post=extend_schema(operation_id="verdicts_approve", request=ReviewSerializer,
               responses={200: VerdictSerializer, **problems(400, 401, 403, 404, 429)},
               description="Approve and publish (reviewers; never the verdict's own author)."))
class VerdictApproveView(_VerdictStep):
    review = True

    def step(self, actor, version_id, data):
        return verdicts.verdict_approve(actor=actor, version_id=version_id, comments=data["comments"])


@extend_schema_view(post=extend_schema(operation_id="verdicts_request_changes", request=ReviewSerializer,
               responses={200: VerdictSerializer, **problems(400, 401, 403, 404, 429)}))
class VerdictRequestChangesView(_VerdictStep):
    review = True

    def step(self, actor, version_id, data):
        return verdicts.verdict_request_changes(actor=actor, version_id=version_id,
                                                comments=data["comments"])


# --- Feeds -------------------------------------------------------------------------------------


def _feed_context() -> dict:
    from sources.feeds import feed_health

    return {"health": feed_health}


class FeedListView(ApiView):
    """Feeds with their health; and adding one."""

    serializer_class = FeedSerializer

    @extend_schema(operation_id="feeds_list",
                   responses={200: FeedSerializer(many=True), **problems(401, 403, 429)})
    def get(self, request):
        from sources.models import Feed
        from sources.selectors import require_feed_viewer

        require_feed_viewer(request.user)
        feeds = Feed.objects.select_related("outlet").order_by("title", "url")
        return Response(FeedSerializer(feeds, many=True, context=_feed_context()).data)

    @extend_schema(operation_id="feeds_add", request=FeedAddSerializer,
                   responses={201: FeedSerializer, **problems(400, 401, 403, 409, 429)})
    def post(self, request):
        from sources.feeds import FeedAlreadyExists, feed_add

        data = self.input(FeedAddSerializer)
        try:
            feed = feed_add(actor=request.user, **data)
        except FeedAlreadyExists as exc:
            from claims.api.errors import Conflict

            raise Conflict(f"{exc.messages[0]} Its id is {exc.feed.pk}.") from None
        return Response(FeedSerializer(feed, context=_feed_context()).data,
                        status=status.HTTP_201_CREATED)


class _FeedStep(ApiView):
    serializer_class = FeedSerializer

    def post(self, request, feed_id: int):
        from sources.selectors import feed_get_for_user

        feed_get_for_user(request.user, feed_id=feed_id)
        self.input(EmptySerializer)
        feed = self.step(request.user, feed_id)
        return Response(FeedSerializer(feed, context=_feed_context()).data)


@extend_schema_view(post=extend_schema(operation_id="feeds_pause", request=None,
               responses={200: FeedSerializer, **problems(401, 403, 404, 429)}))
class FeedPauseView(_FeedStep):
    def step(self, actor, feed_id):
        from sources.feeds import feed_set_active

        return feed_set_active(actor=actor, feed_id=feed_id, active=False)


@extend_schema_view(post=extend_schema(operation_id="feeds_resume", request=None,
               responses={200: FeedSerializer, **problems(401, 403, 404, 429)}))
class FeedResumeView(_FeedStep):
    def step(self, actor, feed_id):
        from sources.feeds import feed_set_active

        return feed_set_active(actor=actor, feed_id=feed_id, active=True)


@extend_schema_view(post=extend_schema(operation_id="feeds_poll_now", request=None,
               responses={200: FeedSerializer, **problems(400, 401, 403, 404, 429)},
               description="Poll the feed now (queued once the request commits)."))
class FeedPollView(_FeedStep):
    def step(self, actor, feed_id):
        from sources.feeds import feed_request_poll

        return feed_request_poll(actor=actor, feed_id=feed_id)
