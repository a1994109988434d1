import pytest

from claims.models import Evidence
from tests.coverage.helpers import (
    DENYING_STORY,
    MILITARY_AID_CLAIM,
    SUPPORTING_STORY,
    make_document,
)
from tests.factories import OutletFactory, make_claim
from tests.support.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def gdelt_env(settings, web_server, monkeypatch):
    monkeypatch.setenv("GDELT_API_URL", web_server.url("/gdelt/api"))
    settings.GDELT_API_URL = web_server.url("/gdelt/api")
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    return web_server


def test_an_editor_gathers_coverage_and_accepts_a_supporting_and_a_denying_story(
    gdelt_env, live_worker, browser_page, live_server, editor, settings
):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    make_document(**DENYING_STORY, outlet=OutletFactory(name="Wire Service", domain="wire.example"))
    # The search API's English headlines all carry Beijing's denial (one both ways), so the
    # supporting story is one the desk already stored.
    make_document(**SUPPORTING_STORY, outlet=OutletFactory(name="The Courier", domain="courier.example"))
    page = browser_page
    login(page, live_server, editor)
    page.goto(f"{live_server.url}/claims/{claim.pk}/coverage/")
    assert page.get_by_text("No coverage to review for this claim").is_visible()

    page.get_by_role("button", name="Gather coverage now").click()
    page.get_by_text("Last gathered").wait_for(timeout=60_000)
    supporting = page.locator("#group-supports ~ .suggestion").first
    supporting.wait_for()
    assert "The Courier" in supporting.inner_text()

    supporting.get_by_role("button", name="Accept as supporting evidence").click()
    page.get_by_text("Added as evidence").first.wait_for()
    denying = page.locator("#group-denies ~ .suggestion").first
    denying.get_by_role("button", name="Accept as denying evidence").click()
    page.get_by_text("Added as evidence").nth(1).wait_for()

    assert set(Evidence.objects.filter(claim=claim).values_list("stance", flat=True)) == {"supports", "denies"}
    page.set_viewport_size({"width": 640, "height": 900})
    page.reload()
    page.screenshot(path="/tmp/coverage_tab_640.png", full_page=True)
