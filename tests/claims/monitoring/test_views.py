"""The accepted-coverage page: reviewers correct stances, editors read, outsiders are refused."""

from __future__ import annotations

import pytest

from claims.models import CoverageSuggestion
from tests.claims.monitoring import labels

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(editor):
    return labels.build(editor).suggestions.get(document__canonical_url="https://news.example/1")


def test_a_reviewer_corrects_a_stance_with_a_plain_post(reviewer_client, first):
    page = reviewer_client.get("/dashboard/model/labels/")
    assert page.status_code == 200 and f'id="stance-{first.pk}"' in page.content.decode()
    response = reviewer_client.post(f"/dashboard/model/labels/{first.pk}/stance/", {"stance": "denies"},
                                     follow=True)
    assert "counts as a label" in response.content.decode()
    assert CoverageSuggestion.objects.get(pk=first.pk).corrected_stance == "denies"


def test_the_reviewer_is_told_when_the_evidence_item_follows(reviewer_client, editor):
    from claims.corroboration.services import suggestion_accept
    from claims.models import Claim, Evidence

    claim = Claim.objects.create(text="Russia asked China for aid", claimant="Officials", created_by=editor)
    made = labels.suggestion(claim, 20, stance="supports", language="en", status="suggested")
    accepted = suggestion_accept(actor=editor, suggestion_id=made.pk)
    response = reviewer_client.post(f"/dashboard/model/labels/{accepted.pk}/stance/", {"stance": "denies"},
                                    follow=True)
    assert "evidence item on the claim now says the same" in response.content.decode()
    assert Evidence.objects.get(pk=accepted.evidence_id).stance == "denies"


def test_an_editor_reads_but_cannot_correct(editor_client, first):
    page = editor_client.get("/dashboard/model/labels/").content.decode()
    assert "Article 1" in page and f'id="stance-{first.pk}"' not in page
    response = editor_client.post(f"/dashboard/model/labels/{first.pk}/stance/", {"stance": "denies"})
    assert response.status_code == 403
    assert CoverageSuggestion.objects.get(pk=first.pk).corrected_stance == ""


def test_outsiders_are_refused(client, outsider, first):
    client.force_login(outsider)
    assert client.get("/dashboard/model/labels/").status_code == 403


def test_the_dashboard_shows_live_precision_beside_the_offline_figures(editor_client, first):
    html = editor_client.get("/dashboard/").content.decode()
    assert 'id="chart-model-precision-stance-title"' in html
    assert 'id="chart-model-precision-language-title"' in html
    assert "3 of 5 right overall" in html
