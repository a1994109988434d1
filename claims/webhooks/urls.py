from django.urls import path

from claims.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("<int:subscription_id>/", views.subscription_detail, name="detail"),
    path("<int:subscription_id>/rotate/", views.subscription_rotate, name="rotate"),
    path("<int:subscription_id>/pause/", views.subscription_pause, name="pause"),
    path("<int:subscription_id>/resume/", views.subscription_resume, name="resume"),
    path("<int:subscription_id>/test/", views.subscription_test, name="test"),
    path("<int:subscription_id>/delete/", views.subscription_delete, name="delete"),
    path("deliveries/<int:delivery_id>/redeliver/", views.delivery_redeliver, name="redeliver"),
]
