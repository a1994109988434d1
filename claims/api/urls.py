"""``/api/v1/``: the schema, its docs and the resources. Every view here is reachable without
a login session (a token is checked by DRF), so each is marked ``login_not_required`` and
gates itself through its permission classes."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from claims.api import views

app_name = "api"


def _open(view_class, **initkwargs):
    return login_not_required(view_class.as_view(**initkwargs))


urlpatterns = [
    path("schema/", _open(SpectacularAPIView), name="schema"),
    path("docs/", _open(SpectacularSwaggerSplitView, url_name="api:schema"), name="docs"),
    path("claims/", _open(views.ClaimListView), name="claim_list"),
    path("claims/<int:claim_id>/", _open(views.ClaimDetailView), name="claim_detail"),
]
