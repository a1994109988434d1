from django.urls import path

from sources import views_feeds

app_name = "sources"

urlpatterns: list = []

# --- Feeds and the demo feed (feeds engineer) ----------------------------------------
urlpatterns += [
    path("feeds/", views_feeds.feed_list, name="feed_list"),
    path("feeds/<int:feed_id>/", views_feeds.feed_detail, name="feed_detail"),
    path("feeds/<int:feed_id>/active/", views_feeds.feed_toggle, name="feed_toggle"),
    path("feeds/<int:feed_id>/poll/", views_feeds.feed_poll_now, name="feed_poll_now"),
    path("demo-feed/seed-story.xml", views_feeds.demo_feed_rss, name="demo_feed_rss"),
    path("demo-feed/articles/<slug:slug>/", views_feeds.demo_article, name="demo_article"),
]
# --- end feeds -----------------------------------------------------------------------
