from django.urls import path

from claims.reviewing import views

app_name = "reviewing"

urlpatterns = [
    path("claims/<int:claim_id>/verdict/", views.verdict_page, name="verdict"),
    path("verdicts/<int:version_id>/submit/", views.verdict_submit, name="submit"),
    path("verdicts/<int:version_id>/approve/", views.verdict_approve, name="approve"),
    path(
        "verdicts/<int:version_id>/request-changes/",
        views.verdict_request_changes,
        name="request_changes",
    ),
    path("reviews/", views.reviews, name="reviews"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
]
