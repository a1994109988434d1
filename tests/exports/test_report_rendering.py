"""A claim too large to render as PDF in a web request is rendered by a worker and
downloaded from the same address when ready (the figure: ``manage.py report_bench``)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from claims.exports.tasks import report_render
from claims.models import ReportRender
from tests.exports.builders import claim_with_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_claim(editor, reviewer, settings):
    settings.REPORT_PDF_INLINE_ITEMS = 3  # the fixture's record counts as large
    return claim_with_record(editor, reviewer)


def test_a_large_report_is_prepared_by_a_worker_then_downloaded(reviewer_client, large_claim,
                                                                django_capture_on_commit_callbacks):
    from workbench.celery import app

    url = f"/claims/{large_claim.pk}/report.pdf"
    sent = []
    real_send_task = app.send_task
    app.send_task = lambda name, args=None, kwargs=None, **o: sent.append((name, args, kwargs))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = reviewer_client.get(url)
        again = reviewer_client.get(url)  # asking again neither queues nor renders twice
    finally:
        app.send_task = real_send_task
    assert first.status_code == 202 and again.status_code == 202
    assert "being prepared in the background" in first.content.decode()
    job = ReportRender.objects.get()
    assert sent == [("claims.exports.tasks.report_render", [job.pk], {"ticket": job.queued_at.isoformat()})]

    assert report_render(job.pk, ticket=sent[0][2]["ticket"]) == "ready"
    assert report_render(job.pk, ticket=sent[0][2]["ticket"]) == "not pending"
    ready = reviewer_client.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert ready["Content-Disposition"].endswith('.pdf"')
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(ready.content)).pages)
    assert "Russia asked China" in text


def test_a_change_to_the_claim_makes_a_new_render(reviewer_client, large_claim, editor):
    from claims import services

    reviewer_client.get(f"/claims/{large_claim.pk}/report.pdf")
    old = ReportRender.objects.get()
    report_render(old.pk)
    services.note_add(actor=editor, claim_id=large_claim.pk, body="A late note.")
    response = reviewer_client.get(f"/claims/{large_claim.pk}/report.pdf")
    assert response.status_code == 202
    assert list(ReportRender.objects.values_list("state", flat=True)) == ["pending"]


def test_outsiders_cannot_request_a_render(client, outsider, large_claim):
    client.force_login(outsider)
    assert client.get(f"/claims/{large_claim.pk}/report.pdf").status_code == 404
    assert not ReportRender.objects.exists()
