"""The discussion in a real browser: the thread loads on the claim page, a comment is posted
with htmx, and an @mention is picked from the suggestions with the keyboard alone."""

from __future__ import annotations

import pytest

from claims.models import Comment, Notification
from tests.factories import make_claim
from tests.support.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_mentions_another_with_the_keyboard(browser_page, live_server, editor, editor2):
    page = browser_page
    claim = make_claim(editor)
    login(page, live_server, editor)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    box = page.locator("#comment_body")  # loaded into the page by htmx after it rendered
    box.click()
    box.type("Can you check the transcript, @ed")
    page.wait_for_selector("#mention-suggestions [role=option][data-username=eddie]")
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("data-username") == "eddie"
    box.press("Enter")
    assert box.input_value() == "Can you check the transcript, @eddie "
    assert page.locator("#mention-suggestions").is_hidden()
    box.type("please?")
    page.locator("#discussion button[type=submit]", has_text="Post comment").click()
    page.wait_for_selector("#discussion .comment:has-text('@eddie please?')")
    assert page.url.endswith(f"/claims/{claim.pk}/")  # answered in place, no reload
    comment = Comment.objects.get()
    assert [u.username for u in comment.mentioned.all()] == ["eddie"]
    assert Notification.objects.filter(recipient=editor2, verb="mentioned").count() == 1


def test_b_sees_the_count_rise_and_opens_the_claim_from_the_notification(
    _playwright_browser, live_server, editor, editor2, settings
):
    """Editor A mentions editor B; B's open page counts it without a reload (htmx polls the
    count), and B follows the notification to the claim's discussion."""
    settings.NOTIFICATION_POLL_SECONDS = 1
    claim = make_claim(editor, text="The ministry said exports rose 40 per cent last year.")
    pages, violations = {}, []
    for user in (editor, editor2):
        context = _playwright_browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        pages[user.username] = context.new_page()
        pages[user.username].on("console", lambda message: violations.append(message.text)
                                 if "Content Security Policy" in message.text else None)
        login(pages[user.username], live_server, user)
    a, b = pages["erin"], pages["eddie"]
    b.goto(f"{live_server.url}/")
    assert b.locator("#notification-count .count-badge").count() == 0

    a.goto(f"{live_server.url}/claims/{claim.pk}/comments/")
    a.fill("#comment_body", "@eddie can you find the customs data behind this?")
    a.locator("#discussion button[type=submit]", has_text="Post comment").click()
    a.wait_for_selector("#discussion .comment:has-text('customs data')")

    b.wait_for_selector("#notification-count .count-badge[data-unread='1']")
    b.click("a.notifications-link")
    b.wait_for_url(f"{live_server.url}/notifications/")
    b.get_by_role("link", name="erin mentioned you").click()
    b.wait_for_url(f"{live_server.url}/claims/{claim.pk}/comments/")
    assert b.locator("#discussion").get_by_text("customs data").is_visible()
    assert b.locator("#notification-count .count-badge").count() == 0
    assert Notification.objects.get(recipient=editor2).read_at is not None
    for page in pages.values():
        page.context.close()
    assert not violations, violations
