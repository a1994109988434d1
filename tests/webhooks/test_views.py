"""The webhook settings pages: list and add, the secret shown once, rotate, pause and resume,
delete after a confirmation, the delivery log with redeliver and a test event."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import WebhookDelivery, WebhookSubscription
from claims.webhooks.tasks import webhook_delivery_send
from tests.factories import make_claim
from tests.webhooks.conftest import deliveries_of, subscribe

pytestmark = pytest.mark.django_db

LIST = "/settings/webhooks/"


def test_the_page_says_there_are_none_yet(editor_client):
    response = editor_client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "No webhooks yet." in page
    assert 'value="claim.published"' in page  # one checkbox per event
    assert 'value="webhook.test"' not in page


def test_adding_one_shows_its_secret_once(editor_client, editor, receiver):
    response = editor_client.post(LIST, {"url": receiver.url("/hook"), "description": "CMS",
                                         "events": ["claim.published", "claim.corrected"]})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    subscription = WebhookSubscription.objects.get(owner=editor)
    page = response.content.decode()
    assert subscription.secret in page
    assert subscription.events == ["claim.corrected", "claim.published"]
    again = editor_client.get(LIST).content.decode()
    assert subscription.secret not in again
    assert receiver.url("/hook") in again
    assert subscription.secret not in editor_client.get(reverse("webhooks:detail", args=[subscription.pk])).content.decode()


def test_a_refused_address_is_explained_on_the_form(editor_client, settings):
    settings.FETCH_ALLOW_LOOPBACK = ""
    response = editor_client.post(LIST, {"url": "http://169.254.169.254/latest/", "events": ["claim.created"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This address cannot receive webhooks." in page and "link-local" in page
    assert not WebhookSubscription.objects.exists()
    response = editor_client.post(LIST, {"url": "https://hooks.example/", "events": []})
    assert response.status_code == 400
    assert "Choose at least one event." in response.content.decode()


def test_rotate_pause_resume_and_test(editor_client, editor, receiver):
    subscription = subscribe(editor, receiver.url("/hook"))
    detail = reverse("webhooks:detail", args=[subscription.pk])
    old = subscription.secret
    response = editor_client.post(reverse("webhooks:rotate", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.secret in response.content.decode()

    response = editor_client.post(reverse("webhooks:pause", args=[subscription.pk]), follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "Webhook paused" in response.content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_active
    response = editor_client.post(reverse("webhooks:test", args=[subscription.pk]), follow=True)
    assert "paused: resume it first" in response.content.decode()
    editor_client.post(reverse("webhooks:resume", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.is_active
    response = editor_client.post(reverse("webhooks:test", args=[subscription.pk]), follow=True)
    assert "Test event queued" in response.content.decode()
    (delivery,) = deliveries_of(subscription)
    assert delivery.event.type == "webhook.test"


def test_delete_asks_first(editor_client, editor, receiver):
    subscription = subscribe(editor, receiver.url("/hook"))
    url = reverse("webhooks:delete", args=[subscription.pk])
    page = editor_client.get(url).content.decode()
    assert "Delete this webhook?" in page and "Keep it" in page
    assert WebhookSubscription.objects.filter(pk=subscription.pk).exists()
    response = editor_client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    assert not WebhookSubscription.objects.filter(pk=subscription.pk).exists()


def test_the_delivery_log_shows_attempts_and_redelivers(editor_client, editor, receiver,
                                                        django_assert_num_queries):
    subscription = subscribe(editor, receiver.url("/hook"), ["claim.created"])
    for n in range(3):
        make_claim(editor, text=f"Claim number {n}")
    first, second, third = deliveries_of(subscription)
    receiver.add_route("/hook", "no", status=500)
    webhook_delivery_send(first.pk, ticket=None)
    receiver.add_route("/hook", "", status=200)
    webhook_delivery_send(second.pk, ticket=None)
    detail = reverse("webhooks:detail", args=[subscription.pk])
    # session, user, two permission reads, subscription, count, a page of deliveries with
    # their events, their attempts, the nav's groups: the same for any number of deliveries
    with django_assert_num_queries(10):  # 9, and the top bar's unread count
        response = editor_client.get(detail)
    page = response.content.decode()
    assert "HTTP 500" in page and "Delivered" in page and "Waiting to be sent" in page
    response = editor_client.post(reverse("webhooks:redeliver", args=[second.pk]), follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "Sent again" in response.content.decode()
    again = WebhookDelivery.objects.get(redelivery_of=second)
    assert again.event_id == second.event_id and again.state == "pending"


def test_the_log_is_paginated(editor_client, editor, receiver):
    from claims.webhooks.selectors import DELIVERIES_PER_PAGE

    subscription = subscribe(editor, receiver.url("/hook"), ["claim.created"])
    for n in range(DELIVERIES_PER_PAGE + 1):
        make_claim(editor, text=f"Claim number {n}")
    detail = reverse("webhooks:detail", args=[subscription.pk])
    first = editor_client.get(detail).content.decode()
    assert "Older →" in first and first.count("<td><code>claim.created</code>") == DELIVERIES_PER_PAGE
    second = editor_client.get(detail + "?page=2").content.decode()
    assert second.count("<td><code>claim.created</code>") == 1


@pytest.mark.parametrize("persona", ["editor2", "reviewer"])
def test_another_desk_member_gets_404_for_someone_elses_webhook(client, editor, receiver, request, persona):
    subscription = subscribe(editor, receiver.url("/hook"), ["claim.created"])
    make_claim(editor)
    (delivery,) = deliveries_of(subscription)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("webhooks:detail", args=[subscription.pk])).status_code == 404
    for name in ("rotate", "pause", "resume", "test", "delete"):
        assert client.post(reverse(f"webhooks:{name}", args=[subscription.pk])).status_code == 404, name
    assert client.post(reverse("webhooks:redeliver", args=[delivery.pk])).status_code == 404
    assert receiver.url("/hook") not in client.get(LIST).content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active and WebhookDelivery.objects.count() == 1


def test_outsiders_and_visitors_are_refused(client, outsider):
    assert client.get(LIST).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"url": "https://hooks.example/", "events": ["claim.created"]}).status_code == 403


def test_the_tokens_page_and_the_nav_link_here(editor_client):
    page = editor_client.get("/settings/tokens/").content.decode()
    assert page.count(f'href="{LIST}"') == 2  # the intro and the user box
