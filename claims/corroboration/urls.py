from django.urls import path

from claims.corroboration import views

app_name = "coverage"

urlpatterns = [
    path("claims/<int:claim_id>/coverage/", views.claim_coverage, name="claim_coverage"),
    path("claims/<int:claim_id>/coverage/gather/", views.gather_start, name="gather_start"),
    path(
        "claims/<int:claim_id>/coverage/gather/<int:run_id>/",
        views.gather_progress,
        name="gather_progress",
    ),
    path("coverage/inbox/", views.inbox, name="inbox"),
    path("coverage/suggestions/<int:suggestion_id>/accept/", views.suggestion_accept, name="accept"),
    path("coverage/suggestions/<int:suggestion_id>/dismiss/", views.suggestion_dismiss, name="dismiss"),
    path("coverage/suggestions/<int:suggestion_id>/restore/", views.suggestion_restore, name="restore"),
]
