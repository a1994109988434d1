"""Subscriptions: who may own one, the URL check when saved, secrets, pause and resume."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.webhooks import services
from sources import fetching
from tests.webhooks.conftest import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_connections(monkeypatch):
    def spy(ip, port, timeout):
        raise AssertionError(f"connection attempted to {ip}:{port}")

    monkeypatch.setattr(fetching.connection, "_connect", spy)


def test_an_editor_subscribes_and_gets_a_standard_secret(editor, receiver):
    made = services.webhook_subscription_create(actor=editor, url=receiver.url("/hook"),
                                                events=["claim.published", "claim.created"],
                                                description="CMS import")
    assert made.secret.startswith("whsec_")
    assert len(base64.b64decode(made.secret.removeprefix("whsec_"))) == 32
    subscription = made.subscription
    assert subscription.owner == editor
    assert subscription.events == ["claim.created", "claim.published"]
    assert subscription.is_active
    assert receiver.requests == []  # checked without being called


def test_only_desk_members_may_subscribe(receiver, reviewer, outsider):
    from django.contrib.auth.models import AnonymousUser

    for user in (outsider, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.webhook_subscription_create(actor=user, url=receiver.url("/hook"), events=["claim.created"])
    made = services.webhook_subscription_create(actor=reviewer, url=receiver.url("/hook"), events=["claim.created"])
    assert made.subscription.owner == reviewer


def test_it_refuses_unknown_or_no_events(editor, receiver):
    with pytest.raises(ValidationError, match="Unknown event"):
        services.webhook_subscription_create(actor=editor, url=receiver.url("/hook"), events=["claim.deleted"])
    with pytest.raises(ValidationError, match="at least one"):
        services.webhook_subscription_create(actor=editor, url=receiver.url("/hook"), events=[])
    with pytest.raises(ValidationError, match="Unknown event"):
        services.webhook_subscription_create(actor=editor, url=receiver.url("/hook"), events=["webhook.test"])


@pytest.mark.parametrize("url, words", [
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.0.0.8/hook", "private"),
    ("http://[::1]:8080/hook", "loopback"),
    ("file:///etc/passwd", "http and https only"),
    ("https://user:secret@hooks.example/", "credentials"),
])
def test_it_refuses_a_hostile_url_with_a_clear_error(editor, no_connections, settings, url, words):
    settings.FETCH_ALLOW_LOOPBACK = ""
    with pytest.raises(ValidationError) as info:
        services.webhook_subscription_create(actor=editor, url=url, events=["claim.created"])
    message = info.value.message_dict["url"][0]
    assert message.startswith("This address cannot receive webhooks.")
    assert words in message


def test_it_refuses_a_name_that_resolves_to_a_private_address(editor, monkeypatch, no_connections):
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, port: ["93.184.216.34", "192.168.1.4"])
    with pytest.raises(ValidationError, match="192.168.1.4, a private address"):
        services.webhook_subscription_create(actor=editor, url="https://hooks.example.test/in",
                                             events=["claim.created"])


def test_it_refuses_the_same_on_update(editor, receiver, no_connections, monkeypatch):
    subscription = subscribe(editor, receiver.url("/hook"))
    with pytest.raises(ValidationError, match="link-local"):
        services.webhook_subscription_update(actor=editor, subscription_id=subscription.pk,
                                             url="http://169.254.169.254/")
    subscription.refresh_from_db()
    assert subscription.url == receiver.url("/hook")


def test_rotating_gives_a_new_secret(editor, receiver):
    made = services.webhook_subscription_create(actor=editor, url=receiver.url("/hook"), events=["claim.created"])
    rotated = services.webhook_subscription_rotate_secret(actor=editor, subscription_id=made.subscription.pk)
    assert rotated.secret != made.secret
    made.subscription.refresh_from_db()
    assert made.subscription.secret == rotated.secret


@pytest.mark.parametrize("persona", ["editor2", "reviewer", "outsider"])
def test_nobody_else_manages_a_subscription(request, editor, receiver, persona):
    subscription = subscribe(editor, receiver.url("/hook"))
    other = request.getfixturevalue(persona)
    for action in (services.webhook_subscription_pause, services.webhook_subscription_resume,
                   services.webhook_subscription_delete, services.webhook_subscription_rotate_secret,
                   services.webhook_send_test):
        with pytest.raises(PermissionDenied):
            action(actor=other, subscription_id=subscription.pk)


def test_pause_and_resume(editor, receiver):
    subscription = subscribe(editor, receiver.url("/hook"))
    paused = services.webhook_subscription_pause(actor=editor, subscription_id=subscription.pk)
    assert not paused.is_active and paused.state_label == "Paused"
    with pytest.raises(ValidationError, match="paused: resume it first"):
        services.webhook_send_test(actor=editor, subscription_id=subscription.pk)
    resumed = services.webhook_subscription_resume(actor=editor, subscription_id=subscription.pk)
    assert resumed.is_active and resumed.state_label == "Active"


def test_resuming_a_disabled_subscription_checks_its_address_again(editor, receiver, settings):
    subscription = subscribe(editor, receiver.url("/hook"))
    services.webhook_subscription_disable(subscription_id=subscription.pk, reason="It failed for a day.")
    settings.FETCH_ALLOW_LOOPBACK = ""
    with pytest.raises(ValidationError, match="loopback"):
        services.webhook_subscription_resume(actor=editor, subscription_id=subscription.pk)
    settings.FETCH_ALLOW_LOOPBACK = str(receiver.port)
    resumed = services.webhook_subscription_resume(actor=editor, subscription_id=subscription.pk)
    assert resumed.is_active and resumed.disabled_reason == ""
