from django.contrib import admin
from django.urls import include, path

from workbench.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("claims.urls")),
]
