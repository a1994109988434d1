import pytest

from tests.factories import make_claim
from tests.support.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_logs_in_and_sees_the_queue_with_styles(browser_page, live_server, editor):
    make_claim(editor, text="Russia asked China for military assistance.")
    login(browser_page, live_server, editor)
    browser_page.goto(f"{live_server.url}/")
    assert browser_page.get_by_text("Russia asked China for military assistance.").is_visible()
    # The stylesheet and htmx are served by the app itself.
    background = browser_page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    assert background == "rgb(19, 32, 44)"
    assert browser_page.evaluate("typeof window.htmx") == "object"
