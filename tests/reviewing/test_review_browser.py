"""The whole review loop in a real browser: submit, send back, revise, approve, read publicly."""

import pytest
from django.core import mail

from claims.models import VerdictState, VerdictVersion
from tests.support.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _emails_run_in_process():
    """Send notification emails in-process (locmem outbox) instead of queueing on the broker."""
    from workbench.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _switch_to(page, live_server, user):
    page.context.clear_cookies()
    login(page, live_server, user)


def test_it_takes_a_verdict_from_draft_to_the_public_page(browser_page, live_server, claim, editor, reviewer):
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    verdict_url = f"{live_server.url}/claims/{claim.pk}/verdict/"

    # The editor drafts and submits.
    login(page, live_server, editor)
    page.goto(verdict_url)
    page.select_option("#id_rating", label="Unproven")
    page.fill("#id_headline", "No evidence Russia asked China for arms")
    page.fill("#id_summary_md", "Officials have **not** published evidence.")
    for checkbox in page.locator("input[name=cited_evidence]").all():
        checkbox.check()
    page.click("button[value=submit]")
    page.wait_for_selector("text=submitted. Reviewers have been notified")
    assert VerdictVersion.objects.get().state == VerdictState.SUBMITTED

    # The reviewer finds it in /reviews/ and asks for changes.
    _switch_to(page, live_server, reviewer)
    page.goto(f"{live_server.url}/reviews/")
    page.click(f"text={claim.text}")
    page.fill("form[action$='/request-changes/'] textarea", "Name the officials and link the briefing.")
    page.click("text=Request changes")
    page.wait_for_selector("text=Changes requested on v1")

    # The editor revises: the form is prefilled from v1 and saving makes v2.
    _switch_to(page, live_server, editor)
    page.goto(verdict_url)
    assert page.input_value("#id_headline") == "No evidence Russia asked China for arms"
    page.wait_for_selector("text=Name the officials and link the briefing.")
    page.fill("#id_headline", "No public evidence Russia asked China for arms")
    page.click("button[value=submit]")
    page.wait_for_selector("text=v2 submitted")

    # The reviewer sees what changed and approves.
    _switch_to(page, live_server, reviewer)
    page.goto(verdict_url)
    page.wait_for_selector("text=Changes since v1")
    page.click("text=Approve and publish")
    page.wait_for_selector("text=v2 approved and published")

    # Anyone can read it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/fact-checks/")
    page.click("text=No public evidence Russia asked China for arms")
    page.wait_for_selector("h1:has-text('No public evidence Russia asked China for arms')")
    assert page.locator(".rating-badge").first.inner_text() == "Unproven"
    assert "application/ld+json" in page.content()
    assert "No evidence Russia asked China for arms<" not in page.content()  # v1 never shown
    # Reviewers heard about both submissions; the author about both decisions.
    subjects = [m.subject for m in mail.outbox]
    assert sum("awaits your review" in s for s in subjects) == 2
    assert sum("requested changes" in s for s in subjects) == 1
    assert sum("approved" in s for s in subjects) == 1
