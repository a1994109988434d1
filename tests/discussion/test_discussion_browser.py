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
