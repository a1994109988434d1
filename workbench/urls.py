from django.contrib import admin
from django.urls import include, path

from claims.reviewing.public_views import ratings_stylesheet
from claims.reviewing.syndication import sitemap
from workbench.health import healthz
from workbench.metrics import metrics_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("ratings.css", ratings_stylesheet, name="ratings_css"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # The open API (tokens or session), and the page where users make their tokens.
    path("api/v1/", include("claims.api.urls")),
    path("settings/tokens/", include("claims.api.page_urls")),
    path("settings/webhooks/", include("claims.webhooks.urls")),
    # Public, no login: published fact-checks and their ClaimReview markup.
    path("fact-checks/", include("claims.reviewing.public_urls")),
    # The desk: verdicts and reviews, coverage, feeds and sources, then claims.
    path("", include("claims.reviewing.urls")),
    path("", include("claims.corroboration.urls")),
    path("", include("sources.urls")),
    path("", include("claims.exports.urls")),
    path("", include("claims.dashboard.urls")),
    path("", include("claims.discussion.urls")),
    path("", include("claims.urls")),
]
