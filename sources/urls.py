from django.urls import path

from sources import views, views_feeds, views_search

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
    # ----------------------------------------------------------------- stored coverage
    path("coverage/search/", views_search.document_search, name="document_search"),
    # ----------------------------------------------------------------- feeds and the demo feed
    path("feeds/", views_feeds.feed_list, name="feed_list"),
    path("feeds/<int:feed_id>/", views_feeds.feed_detail, name="feed_detail"),
    path("feeds/<int:feed_id>/active/", views_feeds.feed_toggle, name="feed_toggle"),
    path("feeds/<int:feed_id>/poll/", views_feeds.feed_poll_now, name="feed_poll_now"),
    path("demo-feed/seed-story.xml", views_feeds.demo_feed_rss, name="demo_feed_rss"),
    path("demo-feed/claimreview.json", views_feeds.demo_claimreview_json, name="demo_claimreview_json"),
    path("demo-feed/articles/<slug:slug>/", views_feeds.demo_article, name="demo_article"),
]
