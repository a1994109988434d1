"""The webhooks page in a real browser, by keyboard only: add a webhook with its events, read
the secret once, then pause it from its page. No Content-Security-Policy violation
(``browser_page`` fails the test on any)."""

from __future__ import annotations

import pytest

from claims.models import WebhookSubscription
from tests.support.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adding_and_pausing_a_webhook_by_keyboard(browser_page, live_server, editor, receiver):
    page = browser_page
    login(page, live_server, editor)
    page.goto(live_server.url + "/settings/webhooks/")
    assert page.get_by_text("No webhooks yet.").is_visible()
    page.get_by_label("Endpoint URL").focus()
    page.keyboard.type(receiver.url("/hook"))
    page.get_by_label("claim.published — A fact-check was published").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Add webhook").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#new-secret")
    subscription = WebhookSubscription.objects.get(owner=editor)
    assert page.locator("#new-secret").input_value() == subscription.secret
    assert subscription.events == ["claim.published"]

    page.get_by_role("link", name=receiver.url("/hook")).focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Delivery log")
    page.get_by_role("button", name="Pause").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Webhook paused")
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert page.get_by_role("button", name="Resume").is_visible()
