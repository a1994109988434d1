"""``/api/v1/``: the schema, its docs and the resources. Every view here is reachable without
a login session (a token is checked by DRF), so each is marked ``login_not_required`` and
gates itself through its permission classes."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from claims.api import evidence, public, reviewing, views, webhooks
from claims.api.actions import ACTION_VIEWS

app_name = "api"


def _open(view_class, **initkwargs):
    return login_not_required(view_class.as_view(**initkwargs))


urlpatterns = [
    path("schema/", _open(SpectacularAPIView), name="schema"),
    path("docs/", _open(SpectacularSwaggerSplitView, url_name="api:schema"), name="docs"),
    path("claims/", _open(views.ClaimListView), name="claim_list"),
    path("claims/<int:claim_id>/", _open(views.ClaimDetailView), name="claim_detail"),
    *[
        path(f"claims/<int:claim_id>/{slug}/", _open(view), name=f"claim_{slug.replace('-', '_')}")
        for slug, view in ACTION_VIEWS.items()
    ],
    path("claims/<int:claim_id>/evidence/", _open(evidence.EvidenceListView), name="evidence_list"),
    path("claims/<int:claim_id>/evidence/manual/", _open(evidence.EvidenceManualView),
         name="evidence_manual"),
    path("claims/<int:claim_id>/denials/", _open(evidence.DenialListView), name="denial_list"),
    path("claims/<int:claim_id>/suggestions/", _open(reviewing.ClaimSuggestionsView),
         name="claim_suggestions"),
    path("suggestions/", _open(reviewing.SuggestionInboxView), name="suggestion_inbox"),
    path("suggestions/<int:suggestion_id>/accept/", _open(reviewing.SuggestionAcceptView),
         name="suggestion_accept"),
    path("suggestions/<int:suggestion_id>/dismiss/", _open(reviewing.SuggestionDismissView),
         name="suggestion_dismiss"),
    path("claims/<int:claim_id>/verdicts/", _open(reviewing.ClaimVerdictsView), name="verdict_list"),
    path("verdicts/<int:version_id>/submit/", _open(reviewing.VerdictSubmitView),
         name="verdict_submit"),
    path("verdicts/<int:version_id>/approve/", _open(reviewing.VerdictApproveView),
         name="verdict_approve"),
    path("verdicts/<int:version_id>/request-changes/", _open(reviewing.VerdictRequestChangesView),
         name="verdict_request_changes"),
    path("feeds/", _open(reviewing.FeedListView), name="feed_list"),
    path("feeds/<int:feed_id>/pause/", _open(reviewing.FeedPauseView), name="feed_pause"),
    path("feeds/<int:feed_id>/resume/", _open(reviewing.FeedResumeView), name="feed_resume"),
    path("feeds/<int:feed_id>/poll/", _open(reviewing.FeedPollView), name="feed_poll"),
    path("webhooks/", _open(webhooks.WebhookListView), name="webhook_list"),
    path("webhooks/<int:subscription_id>/", _open(webhooks.WebhookDetailView), name="webhook_detail"),
    path("webhooks/<int:subscription_id>/rotate-secret/", _open(webhooks.WebhookRotateView),
         name="webhook_rotate_secret"),
    path("webhooks/<int:subscription_id>/test/", _open(webhooks.WebhookTestView), name="webhook_test"),
    path("webhooks/<int:subscription_id>/deliveries/", _open(webhooks.WebhookDeliveriesView),
         name="webhook_deliveries"),
    path("webhooks/deliveries/<int:delivery_id>/redeliver/", _open(webhooks.WebhookRedeliverView),
         name="webhook_redeliver"),
    path("fact-checks/", _open(public.FactCheckListView), name="fact_check_list"),
    path("fact-checks/<slug:slug>/", _open(public.FactCheckDetailView), name="fact_check_detail"),
]
