"""The claim page's background actions survive a real broker outage, and run exactly once.

"Gather coverage now" and "Archive a fresh copy" record their work with the row (a queued
``GatherRun``, a source pending again) while the test's own Redis is stopped: the editor is
told the work is queued, never shown an error. Redis comes back empty, the follow-up sweep
sends what is pending, and each runs once, even when the lost messages turn up late.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.messages import get_messages

from claims.models import CoverageSuggestion, GatherRun
from sources.models import Snapshot, Source
from sources.services import source_archive
from tests.conftest import database_url_for_subprocess, wait_for
from tests.coverage.helpers import DENYING_STORY, MILITARY_AID_CLAIM, make_document
from tests.factories import make_claim
from tests.support.outages import SpareRedis, point_celery_at, start_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def broker(tmp_path, settings):
    from workbench.celery import app

    server = SpareRedis(tmp_path).start()
    previous = app.conf.broker_write_url
    point_celery_at(app, server.url)
    settings.CELERY_BROKER_URL = server.url
    yield server
    point_celery_at(app, previous)
    server.stop()


@pytest.fixture
def site(web_server, settings):
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    web_server.add_route("/outage/story", "<html><head><title>Aid request reported</title></head><body>"
                         "<article><p>Officials reported a request for military aid.</p></article></body></html>")
    web_server.add_route("/gdelt", '{"articles": []}', "application/json")  # the search finds nothing new
    return web_server


@pytest.fixture
def worker(broker, site, settings, tmp_path, monkeypatch):
    process = start_worker(
        settings_module="tests.support.worker_settings",
        env={"DATABASE_URL": database_url_for_subprocess(), "CELERY_BROKER_URL": broker.url,
             "DJANGO_SECRET_KEY": settings.SECRET_KEY, "FETCH_ALLOW_LOOPBACK": str(site.port),
             "GDELT_API_URL": site.url("/gdelt"), "GOOGLE_FACTCHECK_API_KEY": ""},
        log_path=tmp_path / "worker.log",
    )
    from workbench.celery import app

    monkeypatch.setitem(app.conf, "task_default_queue", process.queue)  # sends go to that worker
    yield process
    process.stop()


def _queue_drained(redis_url: str, queue: str) -> bool:
    import redis

    client = redis.Redis.from_url(redis_url)
    return client.llen(queue) == 0 and client.hlen("unacked") == 0


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_gathering_and_a_fresh_archive_asked_during_an_outage_run_once_after_it(
        worker, broker, site, client, editor, settings):
    from workbench.celery import app
    from workbench.followup import _send, followup_kind, followup_sweep

    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    denial = make_document(**DENYING_STORY)  # stored coverage the gathering finds
    source = Source.objects.create(url=site.url("/outage/story"), fetch_status="pending")
    assert source_archive(source_id=source.pk) is not None  # archived once, before the outage

    broker.stop()  # ------------------------------------------------------------ outage

    client.force_login(editor)
    response = client.post(f"/claims/{claim.pk}/coverage/gather/")
    assert response.status_code == 302
    assert any("queued" in m for m in _messages(response)), _messages(response)
    again = client.post(f"/claims/{claim.pk}/coverage/gather/")  # an impatient second click
    assert any("already being gathered" in m for m in _messages(again)), _messages(again)

    response = client.post(f"/sources/{source.pk}/archive/")
    assert response.status_code == 302
    assert any("queued" in m for m in _messages(response)), _messages(response)

    run = GatherRun.objects.get(claim=claim)  # one run, recorded, waiting for a worker
    source.refresh_from_db()
    assert run.status == "queued" and run.queued_at is not None
    assert source.fetch_status == "pending" and source.archive_queued_at is not None
    lost = {"gather-run": (run.pk, run.queued_at.isoformat()),
            "source-archive": (source.pk, source.archive_queued_at.isoformat())}

    broker.start()  # ------------------------------------------------------- back, empty
    point_celery_at(app, broker.url)
    settings.FOLLOWUP_GRACE_SECONDS = 0  # the sweep's grace period, shortened for the test

    def both_done():
        followup_sweep(names=list(lost))  # beat sweeps every minute; here every 2 s
        return (GatherRun.objects.filter(pk=run.pk, status="done").exists()
                and Source.objects.filter(pk=source.pk, fetch_status="fetched").exists())

    wait_for(both_done, timeout=180, interval=2,
             message=f"queued actions not done after the outage; worker log:\n{worker.log()[-4000:]}")

    for name, (pk, ticket) in lost.items():  # the lost messages turn up late
        _send(followup_kind(name), [pk], ticket)
    followup_sweep(names=list(lost))
    wait_for(lambda: _queue_drained(broker.url, worker.queue), timeout=60,
             message="the duplicates were never consumed")
    time.sleep(1)

    run.refresh_from_db()
    source.refresh_from_db()
    assert run.attempts == 1 and run.error == ""
    assert list(CoverageSuggestion.objects.filter(claim=claim).values_list("document_id", flat=True)) == [denial.pk]
    assert run.suggestions_added == 1
    assert source.archive_attempts == 1
    assert Snapshot.objects.filter(source=source).count() == 2  # the first copy and one fresh one
