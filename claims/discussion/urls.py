from django.urls import path

from claims.discussion import notification_views, views

app_name = "discussion"

urlpatterns = [
    path("mentions/", views.mention_suggestions, name="mention_suggestions"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/count/", notification_views.notification_count, name="notification_count"),
    path("notifications/mark-all-read/", notification_views.notifications_mark_all_read,
         name="notifications_mark_all_read"),
    path("notifications/<int:pk>/open/", notification_views.notification_open, name="notification_open"),
    path("notifications/<int:pk>/mark-read/", notification_views.notification_mark_read,
         name="notification_mark_read"),
    path("settings/notifications/", notification_views.email_preferences, name="email_preferences"),
    path("claims/<int:claim_id>/watch/", notification_views.claim_watch, name="claim_watch"),
    path("claims/<int:claim_id>/comments/", views.comments, name="comments"),
    path("claims/<int:claim_id>/comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("claims/<int:claim_id>/comments/<int:comment_id>/delete/", views.comment_delete,
         name="comment_delete"),
]
