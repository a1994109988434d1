"""The editor's day in a real browser: log a claim (seeing the duplicate warning), attach a
source and watch it archive without reloading, record a denial, move the claim on."""

import pytest

from claims.models import Claim, Evidence
from tests.factories import make_claim
from tests.support.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loopback_web(settings, web_server):
    """Let the fetcher reach the local fixture server. Requested before live_worker, so the
    worker process inherits the setting too."""
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    return web_server


def test_the_editor_journey(loopback_web, live_worker, browser_page, live_server, editor):
    page = browser_page
    existing = make_claim(editor, text="Russia asked China for military assistance in Ukraine")
    login(page, live_server, editor)

    # Log a claim; the look-alike appears while typing.
    page.goto(f"{live_server.url}/claims/new/")
    page.fill("textarea[name=text]", "Russia asked China for military help")
    page.locator("#similar").get_by_role("link").first.wait_for()
    assert f"/claims/{existing.pk}/" in page.locator("#similar").inner_html()
    page.fill("#id_claimant", "U.S. officials")
    page.select_option("#id_claimant_kind", "organization")
    page.fill("#id_tags", "war, china")
    page.click("button:has-text('Log claim')")
    page.wait_for_url(lambda url: "/claims/new/" not in url)
    claim = Claim.objects.exclude(pk=existing.pk).get()
    assert page.url.endswith(f"/claims/{claim.pk}/")

    # Attach a source by URL: it shows as fetching, then archived, with no reload.
    page.fill("#attach_url", loopback_web.url("/article.html"))
    page.select_option("#attach_stance", "supports")
    page.fill("#attach_quote", "Moscow sought drones")
    page.click("#attach-form button[type=submit]")
    page.locator("#evidence-list").get_by_text("fetching…").wait_for()
    page.locator("#evidence-list").get_by_text("archived", exact=True).wait_for(timeout=45_000)
    assert page.locator("#evidence-list a:has-text('archived snapshot')").count() == 1

    # Record a denial (a press conference, no URL).
    page.fill("#denial_speaker", "Chinese Foreign Ministry")
    page.fill("#denial_stated_where", "Beijing")
    page.fill("#denial_quote", "This is disinformation.")
    page.fill("#denial_title", "MFA regular press conference")
    page.click("#denial-form button[type=submit]")
    page.locator("#group-denies").get_by_text("1", exact=True).wait_for()
    assert Evidence.objects.filter(claim=claim, is_denial=True).count() == 1

    # Move the claim on: new → triaged → researching.
    page.click("button:has-text('Move to triaged')")
    page.wait_for_load_state()
    page.click("button:has-text('Move to researching')")
    page.get_by_text("Claim is now researching.").wait_for()
    claim.refresh_from_db()
    assert claim.status == "researching"
