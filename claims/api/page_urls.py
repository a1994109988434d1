from django.urls import path

from claims.api import pages

app_name = "tokens"

urlpatterns = [
    path("", pages.token_list, name="list"),
    path("<int:token_id>/revoke/", pages.token_revoke, name="revoke"),
]
