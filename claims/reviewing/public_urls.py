from django.urls import path

from claims.reviewing import public_views, syndication

app_name = "public"

urlpatterns = [
    path("", public_views.fact_check_list, name="list"),
    path("claimreview.json", public_views.claimreview_feed, name="feed"),
    path("feed.xml", syndication.fact_checks_rss, name="rss"),
    path("<slug:slug>/", public_views.fact_check_detail, name="detail"),
    path("<slug:slug>/claimreview.json", public_views.fact_check_claimreview, name="claimreview"),
    path(
        "<slug:slug>/archive/<int:snapshot_id>/", public_views.fact_check_archived_copy,
        name="archived_copy",
    ),
]
