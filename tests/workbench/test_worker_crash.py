"""Work that kills its worker is tried a bounded number of times, then parked, visibly.

The worker here (``tests.support.worker_settings``) really crashes, with a segmentation
fault in the process doing the task, when a page or feed contains a marker: the shape of
a hostile document that takes the parser down, or the kernel's OOM killer. The broker is a
Redis the test starts, so a killed worker's message is handed back and redelivered.
"""

from __future__ import annotations

import uuid

import pytest

from sources.feeds import feed_add, feed_health
from sources.models import Feed, FeedPoll, Source
from tests.conftest import database_url_for_subprocess, wait_for
from tests.factories import make_claim
from tests.support.outages import SpareRedis, point_celery_at, start_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MARKER = f"CRASH-THE-WORKER-{uuid.uuid4().hex}"
CAP = 3


@pytest.fixture
def crashing_worker(tmp_path, web_server, settings, monkeypatch):
    from workbench.celery import app

    redis_server = SpareRedis(tmp_path).start()
    previous = app.conf.broker_write_url
    point_celery_at(app, redis_server.url)
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    settings.FOLLOWUP_MAX_ATTEMPTS = CAP
    worker = start_worker(
        settings_module="tests.support.worker_settings",
        env={"DATABASE_URL": database_url_for_subprocess(), "CELERY_BROKER_URL": redis_server.url,
             "DJANGO_SECRET_KEY": settings.SECRET_KEY, "FETCH_ALLOW_LOOPBACK": str(web_server.port),
             "FOLLOWUP_MAX_ATTEMPTS": str(CAP), "TEST_CRASH_MARKER": MARKER},
        log_path=tmp_path / "worker.log",
    )
    monkeypatch.setitem(app.conf, "task_default_queue", worker.queue)
    yield worker
    worker.stop()
    point_celery_at(app, previous)
    redis_server.stop()


def _crashes(worker) -> int:
    return worker.log().count("exited with 'signal 11 (SIGSEGV)'")


def test_an_archive_that_kills_its_worker_is_parked_on_the_source(crashing_worker, web_server, editor,
                                                                   admin_user, client, settings):
    from claims.services import evidence_attach_url
    from workbench.followup import followup_sweep

    url = web_server.add_route("/poison", f"<html><body><p>{MARKER}</p></body></html>")
    claim = make_claim(editor)
    evidence = evidence_attach_url(actor=editor, claim_id=claim.pk, url=url, stance="supports")
    source_id = evidence.source_id
    settings.FOLLOWUP_GRACE_SECONDS = 0  # so the sweep below re-sends at once

    def parked() -> bool:
        followup_sweep(names=["source-archive"])  # beat would, every minute
        return Source.objects.get(pk=source_id).fetch_status == "failed"

    wait_for(parked, timeout=150, interval=2,
             message=f"never parked; worker log:\n{crashing_worker.log()[-3000:]}")
    source = Source.objects.get(pk=source_id)
    assert f"Stopped after {CAP} attempts" in source.fetch_error
    assert _crashes(crashing_worker) == CAP  # tried exactly CAP times, then left alone
    assert followup_sweep(names=["source-archive"]) == {"source-archive": 0}

    client.force_login(admin_user)
    assert f"Stopped after {CAP} attempts" in client.get(f"/sources/{source_id}/").content.decode()
    assert f"Stopped after {CAP} attempts" in client.get(
        f"/admin/sources/source/{source_id}/change/").content.decode()


def test_a_feed_whose_polls_kill_the_worker_is_parked_with_its_reason(crashing_worker, web_server,
                                                                       admin_user, client):
    from sources.tasks.feeds import feed_poll_task

    url = web_server.add_route(
        "/poison.xml", "<?xml version='1.0'?><rss version='2.0'><channel><title>Poison</title>"
        f"<item><title>{MARKER}</title><link>https://example.org/a</link></item></channel></rss>",
        "application/rss+xml",
    )
    feed = feed_add(url=url, kind="rss")
    feed_poll_task.delay(feed.pk)  # redelivered by the broker each time the worker dies

    wait_for(lambda: Feed.objects.get(pk=feed.pk).parked_at is not None, timeout=150, interval=1,
             message=f"never parked; worker log:\n{crashing_worker.log()[-3000:]}")
    feed.refresh_from_db()
    assert not feed.is_active
    assert feed_health(feed)["state"] == "parked"
    assert f"the last {CAP} polls" in feed.last_error
    assert list(FeedPoll.objects.filter(feed=feed).values_list("status", flat=True)) == ["failed"] * CAP
    assert _crashes(crashing_worker) == CAP

    client.force_login(admin_user)
    page = client.get(f"/feeds/{feed.pk}/").content.decode()
    assert "kept crashing the worker" in page and f"the last {CAP} polls" in page
