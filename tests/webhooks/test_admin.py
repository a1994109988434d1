"""The admin lists webhooks and deliveries, never shows a secret, and disables through the service."""

from __future__ import annotations

import pytest

from claims.models import Notification
from tests.factories import make_claim
from tests.webhooks.conftest import deliveries_of, subscribe

pytestmark = pytest.mark.django_db


def test_admin_lists_and_disables(client, admin_user, editor, receiver):
    subscription = subscribe(editor, receiver.url("/hook"), ["claim.created"])
    make_claim(editor)
    (delivery,) = deliveries_of(subscription)
    client.force_login(admin_user)
    for url in ("/admin/claims/webhooksubscription/", f"/admin/claims/webhooksubscription/{subscription.pk}/change/",
                "/admin/claims/webhookdelivery/", f"/admin/claims/webhookdelivery/{delivery.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert subscription.secret not in response.content.decode()
    response = client.post("/admin/claims/webhooksubscription/", {
        "action": "disable", "_selected_action": [subscription.pk]}, follow=True)
    assert "1 webhook(s) disabled." in response.content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.disabled_reason == "An administrator disabled it."
    assert Notification.objects.filter(recipient=editor, verb="webhook_disabled").exists()


def test_editors_do_not_reach_the_webhook_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/claims/webhooksubscription/").status_code == 302
