from django.urls import path

from sources import views

app_name = "sources"

urlpatterns = [
    # ----------------------------------------------------------------- archive
    path("sources/<int:source_id>/", views.source_detail, name="source_detail"),
    path("sources/<int:source_id>/archive/", views.source_archive_again, name="source_archive"),
    path(
        "sources/<int:source_id>/snapshots/<int:snapshot_id>/",
        views.snapshot_detail,
        name="snapshot_detail",
    ),
    path(
        "sources/<int:source_id>/snapshots/<int:snapshot_id>/raw",
        views.snapshot_raw,
        name="snapshot_raw",
    ),
    # ----------------------------------------------------------------- feeds
]
