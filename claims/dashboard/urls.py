from django.urls import path

from claims.dashboard import views
from claims.monitoring import views as monitoring

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.csv", views.dashboard_csv, name="csv"),
    path("dashboard/model/labels/", monitoring.model_labels, name="model_labels"),
    path("dashboard/resurfacing/", monitoring.resurfacing, name="resurfacing"),
    path("dashboard/model/labels/<int:suggestion_id>/stance/", monitoring.suggestion_stance,
         name="suggestion_stance"),
]
