from django.urls import path

from claims import views
from claims.views import saved_views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("claims/bulk/", views.claim_bulk, name="claim_bulk"),
    path("views/", saved_views.saved_view_save, name="saved_view_save"),
    path("views/nav/", saved_views.saved_views_nav, name="saved_views_nav"),
    path("views/<int:view_id>/", saved_views.saved_view_edit, name="saved_view_edit"),
    path("views/<int:view_id>/delete/", saved_views.saved_view_delete, name="saved_view_delete"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/similar/", views.claim_similar, name="claim_similar"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/evidence/", views.claim_evidence, name="claim_evidence"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/move/", views.claim_move, name="claim_move"),
    path("claims/<int:pk>/assign/", views.claim_assign, name="claim_assign"),
    path("claims/<int:pk>/duplicate/", views.claim_duplicate, name="claim_duplicate"),
    path("claims/<int:pk>/evidence/url/", views.evidence_attach, name="evidence_attach"),
    path("claims/<int:pk>/evidence/<int:evidence_id>/edit/", views.evidence_edit, name="evidence_edit"),
    path(
        "claims/<int:pk>/evidence/<int:evidence_id>/remove/", views.evidence_remove,
        name="evidence_remove",
    ),
    path("claims/<int:pk>/evidence/manual/", views.evidence_manual, name="evidence_manual"),
    path("claims/<int:pk>/denials/", views.denial_record, name="denial_record"),
    path("claims/<int:pk>/notes/", views.note_create, name="note_create"),
    path("claims/<int:pk>/checked-elsewhere/", views.claim_checked_elsewhere, name="checked_elsewhere"),
    path("claims/<int:pk>/checked-elsewhere/cite/", views.prior_check_cite, name="prior_check_cite"),
]
