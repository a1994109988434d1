"""The archive task in a real Celery worker process."""

from __future__ import annotations

import pytest

from sources.models import Snapshot, Source
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_it_archives_in_a_real_worker(site, live_worker):
    from sources.tasks import source_archive

    source = Source.objects.create(url=site.url("/article.html"), fetch_status="pending")
    source_archive.apply_async(args=[source.pk], queue=live_worker.queue)

    snapshot = wait_for(
        lambda: Snapshot.objects.filter(source=source).first(),
        timeout=60,
        message=f"no snapshot was archived; worker log:\n{live_worker.log()}",
    )
    source.refresh_from_db()
    assert source.fetch_status == "fetched"
    assert snapshot.final_url == site.url("/article.html")
    assert "asked China for military" in snapshot.text
