"""In a real browser: an editor fixes a mis-tagged stance in place and the timeline shows the
old and new value; the same works with JavaScript off; a published claim is corrected through
review and only then changes on the public page."""

import pytest

from claims import services
from claims.models import Claim, Evidence
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to
from tests.support.browser import PASSWORD, login

# serialized_rollback: see tests/claims/test_status_concurrency.py.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def mis_tagged(editor):
    claim = walk_claim_to(make_claim(editor, text="China offered Russia drones."), "researching", actor=editor)
    evidence = services.evidence_add(
        actor=editor, claim_id=claim.pk, source=SourceFactory(title="MFA regular press conference"),
        stance="supports", speaker="Chinese Foreign Ministry", quote="We have never heard of it",
    )
    return claim, evidence


def test_an_editor_fixes_a_mis_tagged_stance_and_the_timeline_shows_old_and_new(
    browser_page, live_server, editor, mis_tagged
):
    page = browser_page
    claim, evidence = mis_tagged
    login(page, live_server, editor)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")

    page.locator(f"#evidence-{evidence.pk}").get_by_role("link", name="Edit").click()
    page.locator(f"#evidence-edit-{evidence.pk}").wait_for()
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id",
                           arg=f"ev{evidence.pk}_stance", timeout=5000)
    assert page.url.endswith(f"/claims/{claim.pk}/"), "the form opens in place"

    page.select_option(f"#ev{evidence.pk}_stance", "denies")
    page.check(f"#ev{evidence.pk}_speaker_is_party")
    page.locator(f"#evidence-edit-{evidence.pk}").get_by_role("button", name="Save evidence").click()

    page.locator("#evidence-list [role=status]").get_by_text("Evidence updated").wait_for()
    moved = page.locator(f"#group-denies ~ article#evidence-{evidence.pk}")
    assert moved.count() == 1, "the item moved to Denials and refutations"
    assert page.locator("#group-denies .badge").inner_text() == "1"
    # Focus moves once htmx has settled the swap, a moment after the message shows.
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id",
                           arg=f"evidence-{evidence.pk}", timeout=5000)
    timeline = page.locator("#activity .timeline li").first
    assert "edited evidence" in timeline.inner_text()
    assert timeline.locator("del").first.inner_text().endswith("Supports")
    assert timeline.locator("ins").first.inner_text().endswith("Denies or refutes")
    evidence.refresh_from_db()
    assert evidence.stance == "denies" and evidence.is_denial


def test_without_javascript_editing_and_removing_still_work(_playwright_browser, live_server, editor, mis_tagged):
    claim, evidence = mis_tagged
    context = _playwright_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server, editor, PASSWORD)
        page.goto(f"{live_server.url}/claims/{claim.pk}/")
        page.locator(f"#evidence-{evidence.pk}").get_by_role("link", name="Edit").click()
        page.wait_for_url(f"**/evidence/{evidence.pk}/edit/")
        page.select_option(f"#ev{evidence.pk}_stance", "context")
        page.get_by_role("button", name="Save evidence").click()
        page.wait_for_url(f"**/claims/{claim.pk}/#evidence-{evidence.pk}")
        assert "Evidence updated" in page.locator(".messages").inner_text()
        page.locator(f"#evidence-{evidence.pk}").get_by_role("link", name="Remove…").click()
        page.wait_for_url(f"**/evidence/{evidence.pk}/remove/")
        page.fill(f"#rm{evidence.pk}_reason", "Wrong press conference")
        page.get_by_role("button", name="Remove evidence").click()
        page.wait_for_url(f"**/claims/{claim.pk}/#evidence")
        assert "Removed evidence (1)" in page.content()
        assert "Wrong press conference" in page.content()
    finally:
        context.close()
    evidence.refresh_from_db()
    assert evidence.stance == "context" and evidence.removal_reason == "Wrong press conference"


def test_a_published_claim_is_corrected_through_review(browser_page, live_server, editor, reviewer, mis_tagged):
    page = browser_page
    claim, evidence = mis_tagged
    claim = publish_claim(claim, author=editor, reviewer=reviewer)
    public_url = f"{live_server.url}/fact-checks/{claim.slug}/"

    login(page, live_server, editor)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    assert page.locator("#edit_text").count() == 0, "no form for the frozen wording"
    page.get_by_role("link", name="Propose a correction").first.click()
    page.wait_for_url(f"**/claims/{claim.pk}/verdict/#correction")
    page.fill("#id_claim_claimant", "Jake Sullivan, U.S. National Security Adviser")
    page.fill("#id_correction_note", "We named the official who made the claim.")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("submitted. Reviewers have been notified").wait_for()

    page.goto(public_url)
    assert "Jake Sullivan" not in page.content()

    page.context.clear_cookies()
    login(page, live_server, reviewer)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.get_by_role("link", name="Review the correction").click()
    assert "Jake Sullivan" in page.locator(".proposed-changes").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("approved and published").wait_for()

    page.context.clear_cookies()
    page.goto(public_url)
    assert "Jake Sullivan, U.S. National Security Adviser" in page.locator(".factcheck-header").inner_text()
    corrections = page.locator(".corrections").inner_text()
    assert "We named the official who made the claim." in corrections and "the claimant" in corrections
    assert Claim.objects.get(pk=claim.pk).claimant.startswith("Jake Sullivan")
    assert Evidence.objects.get(pk=evidence.pk).stance == "supports"
