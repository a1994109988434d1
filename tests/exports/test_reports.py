import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from claims.exports.reports import claim_report
from tests.exports.builders import add_evidence, approved_verdict, claim_with_record
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_claim(editor, reviewer):
    return claim_with_record(editor, reviewer)


def test_it_shows_the_claim_verdict_trail_evidence_and_timeline(editor_client, full_claim):
    response = editor_client.get(f"/claims/{full_claim.pk}/report/")
    assert response.status_code == 200
    html = response.content.decode()
    for expected in [
        "Russia asked China for military assistance.",
        "U.S. officials",
        "Press briefing",
        "No evidence Russia asked China for arms",
        "<strong>not</strong> supported",  # Markdown rendered
        "Early draft headline",  # the review trail keeps every version
        "Cite the denial.",
        "Added the Chinese denial.",
        "Supporting",
        "Denials and refutations",
        "Context",
        "Outlet A",
        "Quote number 1",
        "SHA-256",
        "started research",
        "The Demo Desk",
        'aria-current="page">Report',
    ]:
        assert expected in html, expected


def test_it_escapes_user_text_and_sanitises_the_summary(editor_client, editor, reviewer):
    claim = make_claim(editor, text="<script>alert('claim')</script>", claimant="<b>Bold</b>")
    add_evidence(claim, editor, stance="supports", outlet_name="Outlet X",
                 quote="<img src=x onerror=alert(1)>")
    approved_verdict(
        claim, author=editor, reviewer=reviewer, headline="<i>Headline</i>",
        summary_md="Fine text <script>alert('summary')</script> [link](javascript:alert(1))",
    )
    html = editor_client.get(f"/claims/{claim.pk}/report/").content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;claim&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;i&gt;Headline&lt;/i&gt;" in html
    assert "javascript:" not in html
    assert "Fine text" in html


def test_it_shows_an_empty_state_without_a_verdict_or_evidence(editor_client, editor):
    claim = make_claim(editor)
    html = editor_client.get(f"/claims/{claim.pk}/report/").content.decode()
    assert "No approved verdict yet." in html
    assert "None recorded." in html


def test_it_builds_the_report_in_a_fixed_number_of_queries(editor, reviewer):
    small = claim_with_record(editor, reviewer, evidence_count=1)
    large = claim_with_record(editor, reviewer, evidence_count=9)
    counts = []
    for claim in (small, large):
        with CaptureQueriesContext(connection) as queries:
            context = claim_report(claim_id=claim.pk, user=editor)
            # Touch everything the template touches.
            for group in context["evidence_groups"]:
                for item in group.items:
                    _ = item.source.outlet.name, item.snapshot
            for version in context["versions"]:
                _ = version.author.username, version.rating.label, list(version.reviews.all())
            for event in context["timeline"]:
                _ = event.actor
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 8


def test_the_html_page_query_count_does_not_grow_with_evidence(client, editor, reviewer):
    client.force_login(editor)
    small = claim_with_record(editor, reviewer, evidence_count=1)
    large = claim_with_record(editor, reviewer, evidence_count=9)
    counts = []
    for claim in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/claims/{claim.pk}/report/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_it_renders_a_pdf_with_the_headline_and_sources(reviewer_client, full_claim):
    response = reviewer_client.get(f"/claims/{full_claim.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="claim-{full_claim.pk}-russia-asked-china')
    assert disposition.endswith('.pdf"')
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "No evidence Russia asked China for arms" in flat
    assert "Outlet A" in flat and "Outlet B" in flat and "Outlet C" in flat
    assert "https://outlet.example/story-" in flat
    assert "Denials and refutations" in flat


@pytest.mark.parametrize("suffix", ["report/", "report.pdf"])
def test_outsiders_cannot_see_a_report(client, outsider, full_claim, suffix):
    client.force_login(outsider)
    assert client.get(f"/claims/{full_claim.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["report/", "report.pdf"])
def test_anonymous_users_are_sent_to_log_in(client, full_claim, suffix):
    response = client.get(f"/claims/{full_claim.pk}/{suffix}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_missing_claim_is_a_404(editor_client):
    assert editor_client.get("/claims/999999/report/").status_code == 404
