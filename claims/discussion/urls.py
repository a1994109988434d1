from django.urls import path

from claims.discussion import views

app_name = "discussion"

urlpatterns = [
    path("mentions/", views.mention_suggestions, name="mention_suggestions"),
    path("claims/<int:claim_id>/comments/", views.comments, name="comments"),
    path("claims/<int:claim_id>/comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("claims/<int:claim_id>/comments/<int:comment_id>/delete/", views.comment_delete,
         name="comment_delete"),
]
