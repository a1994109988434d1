"""WCAG 2.1 AA in a real browser: axe-core on every main page, at desktop and half-laptop width.

The newsroom is the demo seed (claims, evidence, a published fact-check, a verdict awaiting
review, demo feed documents and coverage suggestions), so the pages carry realistic content.
"""

from __future__ import annotations

import gzip
import hashlib

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.models import Claim, Rating
from sources.models import Document, Feed, Snapshot, Source
from tests.factories import make_claim
from tests.support.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_PASSWORD = "a11y demo password"
WIDTHS = (1280, 640)  # a laptop, and half of one
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
    # Structure rules axe files under best practice; screen-reader users navigate by them.
    "rules": {rule: {"enabled": True} for rule in (
        "heading-order", "landmark-one-main", "page-has-heading-one", "landmark-unique",
    )},
}


@pytest.fixture
def newsroom(settings, tmp_path, django_user_model):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    published = Claim.objects.get(status="published", text__contains="has no limits")
    in_review = Claim.objects.get(status="in_review")
    # The Admin may pick any colour for a rating: a light one must still get readable text.
    Rating.objects.filter(verdicts__claim=published).update(colour="#f5c518")
    Rating.objects.filter(verdicts__claim=in_review).update(colour="#808080")
    source = Source.objects.exclude(url="").first()
    body = b"<html><body><p>Archived article text.</p></body></html>"
    snapshot = Snapshot.objects.create(
        source=source, requested_url=source.url, final_url=source.url, http_status=200,
        content_type="text/html", raw_gzip=gzip.compress(body), raw_size=len(body),
        sha256=hashlib.sha256(body).hexdigest(), text="Archived article text.",
        fetched_at=timezone.now(),
    )
    researching = Claim.objects.filter(status="researching").first()
    # A source the published verdict cites, archived: its public archived-copy page.
    from claims import services
    from claims.reviewing.selectors import approved_version

    cited_source = approved_version(published).cited_evidence.first().source
    cited_url = cited_source.url or "https://www.fmprc.gov.cn/eng/xwfw_665399/s2510_665401/"
    cited_snapshot = cited_source.snapshots.first() or Snapshot.objects.create(
        source=cited_source, requested_url=cited_url, final_url=cited_url,
        http_status=200, content_type="text/html", raw_gzip=gzip.compress(body),
        raw_size=len(body), sha256=hashlib.sha256(body).hexdigest(),
        text="Archived article text.\nA second paragraph.", fetched_at=timezone.now(),
    )
    # Removed evidence, so the claim page shows its tombstones.
    editor = django_user_model.objects.get(username="editor")
    evidence = list(researching.evidence.active().order_by("pk"))
    services.evidence_remove(actor=editor, evidence_id=evidence[-1].pk, reason="Off topic: another meeting.")
    return {
        "evidence": evidence[0],
        "cited_snapshot": cited_snapshot,
        "users": {u.username: u for u in django_user_model.objects.all()},
        "published": published,
        "in_review": in_review,
        "claim": researching,
        "source": source,
        "snapshot": snapshot,
        "feed": Feed.objects.first(),
    }


def _violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one readable line per rule."""
    from axe_playwright_python.sync_playwright import Axe

    # Collapsed sections are content too: open them so axe checks what they hold.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    response = Axe().run(page, options=WCAG_AA).response
    lines = []
    for violation in response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:8])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return lines


def _sweep(page, base_url: str, paths: list[str]) -> list[str]:
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(base_url + path)
            assert response.status == 200, f"{path} answered {response.status}"
            found += [f"{path} @{width}px  {line}" for line in _violations(page)]
    return found


def _assert_none(found: list[str]) -> None:
    assert not found, "Accessibility violations:\n  " + "\n  ".join(found)


def test_it_has_no_wcag_violations_on_any_page(browser_page, live_server, newsroom):
    page, users = browser_page, newsroom["users"]
    claim, source, snapshot = newsroom["claim"], newsroom["source"], newsroom["snapshot"]
    public = f"/fact-checks/{newsroom['published'].slug}/"
    archived = f"{public}archive/{newsroom['cited_snapshot'].pk}/"
    found = _sweep(page, live_server.url, ["/accounts/login/", "/fact-checks/", public, archived])

    login(page, live_server, users["editor"], DEMO_PASSWORD)
    found += _sweep(page, live_server.url, [
        "/", "/?q=China", "/claims/new/",
        f"/claims/{claim.pk}/", f"/claims/{claim.pk}/verdict/",
        f"/claims/{claim.pk}/coverage/", f"/claims/{claim.pk}/report/",
        f"/claims/{claim.pk}/comments/",
        f"/claims/{newsroom['published'].pk}/", f"/claims/{newsroom['published'].pk}/verdict/",
        "/reviews/", "/coverage/inbox/", "/feeds/", f"/feeds/{newsroom['feed'].pk}/",
        f"/sources/{source.pk}/", f"/sources/{source.pk}/snapshots/{snapshot.pk}/",
        f"/claims/{claim.pk}/evidence/{newsroom['evidence'].pk}/edit/",
        f"/claims/{claim.pk}/evidence/{newsroom['evidence'].pk}/remove/",
        "/dashboard/", "/dashboard/model/labels/", "/settings/tokens/", "/notifications/",
        "/settings/notifications/",
    ])

    page.context.clear_cookies()
    login(page, live_server, users["reviewer"], DEMO_PASSWORD)
    in_review = newsroom["in_review"]
    found += _sweep(page, live_server.url, [
        "/reviews/", f"/claims/{in_review.pk}/", f"/claims/{in_review.pk}/verdict/",
        "/dashboard/model/labels/", "/notifications/",
    ])
    _assert_none(found)
    assert Document.objects.exists(), "the sweep should have seen demo feed documents"


def test_it_has_no_wcag_violations_in_errors_messages_and_dialogs(browser_page, live_server, newsroom):
    page, base = browser_page, live_server.url
    found = []
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "not the password")
    page.click("button[type=submit]")
    page.wait_for_selector("[role=alert]")
    found += [f"login error  {line}" for line in _violations(page)]

    login(page, live_server, newsroom["users"]["editor"], DEMO_PASSWORD)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # A form sent back with errors.
        page.goto(base + "/claims/new/")
        page.eval_on_selector("main form[method=post]", "f => f.setAttribute('novalidate', '')")
        page.locator("main form[method=post] button[type=submit]").last.click()
        page.wait_for_selector(".errorlist")
        found += [f"claim form errors @{width}px  {line}" for line in _violations(page)]
        # A confirmation message after an action.
        page.goto(f"{base}/claims/{newsroom['claim'].pk}/")
        page.fill("form[action$='/notes/'] textarea", "Called the ministry press office; waiting for a reply.")
        page.locator("form[action$='/notes/'] button[type=submit]").click()
        page.wait_for_load_state()
        found += [f"claim page after a note @{width}px  {line}" for line in _violations(page)]
        # An htmx form answered with field errors in place.
        page.eval_on_selector("#attach-form", "f => f.setAttribute('novalidate', '')")
        page.fill("#attach-form input[type=url]", "not a web address")
        page.locator("#attach-form button[type=submit]").click()
        page.wait_for_selector("#attach-form .errorlist")
        found += [f"attach form errors @{width}px  {line}" for line in _violations(page)]
        # The keyboard-help dialog.
        page.keyboard.press("Escape")
        page.locator("body").press("?")
        page.wait_for_selector("#shortcut-help[open]")
        found += [f"shortcut help @{width}px  {line}" for line in _violations(page)]
        page.keyboard.press("Escape")
        # An evidence item's edit form, opened in place with htmx.
        page.goto(f"{base}/claims/{newsroom['claim'].pk}/")
        item = page.locator(f"#evidence-{newsroom['evidence'].pk}")
        item.get_by_role("link", name="Edit").click()
        page.wait_for_selector(f"#evidence-edit-{newsroom['evidence'].pk}")
        found += [f"evidence edit in place @{width}px  {line}" for line in _violations(page)]
    _assert_none(found)


def test_it_shows_where_keyboard_focus_is_and_the_skip_link_works(browser_page, live_server, editor):
    page = browser_page
    claim = make_claim(editor, text="The port handled a record 40 million containers last year.")
    login(page, live_server, editor)
    # Pages that autofocus their main field (log a claim, log in) start the Tab order there.
    for path in ("/", f"/claims/{claim.pk}/", "/feeds/", "/fact-checks/"):
        page.goto(live_server.url + path)
        page.keyboard.press("Tab")
        first = page.evaluate("document.activeElement.textContent.trim()")
        assert first == "Skip to content", f"{path}: the first Tab lands on {first!r}"
        assert page.locator(".skip-link").is_visible() and page.locator(".skip-link").bounding_box()["x"] >= 0
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        # Every next stop shows a visible focus indicator (outline or ring).
        for _ in range(6):
            page.keyboard.press("Tab")
            style = page.evaluate(
                """() => { const el = document.activeElement, s = getComputedStyle(el);
                     return {tag: el.tagName, text: (el.textContent || el.name || '').trim().slice(0, 40),
                             outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                             shadow: s.boxShadow}; }"""
            )
            if style["tag"] == "BODY":
                break
            visible = (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none"
            assert visible, f"{path}: no visible focus on {style}"
