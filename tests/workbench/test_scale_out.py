"""Scale-out: two worker processes on one Redis share feed polling and matching, and never
do the same work twice. Each feed gets three poll messages at once (beat's due poll, an
editor's "poll now" and the follow-up sweep can all send one): whichever worker takes one
first polls, the others step aside (the feed's advisory lock, then "not due any more"); each
document the polls bring in is matched once (its follow-up ticket)."""

from __future__ import annotations

import os
import sys
import uuid

import pytest

from claims.management.load.stack import SourceSite
from sources.feeds import feed_add, feed_request_poll
from sources.models import Document, FeedPoll
from tests.conftest import database_url_for_subprocess, wait_for
from tests.factories import make_claim
from tests.support.outages import Process, SpareRedis, point_celery_at

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FEEDS = 6
ITEMS = SourceSite.new_items_per_poll  # what a feed's first fetch lists


@pytest.fixture
def two_workers(tmp_path, settings, monkeypatch):
    from workbench.celery import app

    site = SourceSite().start()
    redis_server = SpareRedis(tmp_path).start()
    previous = app.conf.broker_write_url
    point_celery_at(app, redis_server.url)
    queue = f"test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    settings.FETCH_ALLOW_LOOPBACK = str(site.port)
    env = {"DATABASE_URL": database_url_for_subprocess(), "CELERY_BROKER_URL": redis_server.url,
           "DJANGO_SECRET_KEY": settings.SECRET_KEY, "FETCH_ALLOW_LOOPBACK": str(site.port),
           "CELERY_TASK_DEFAULT_QUEUE": queue, "CELERY_EMBEDDING_QUEUE": f"{queue}-embeddings"}
    workers = [
        Process([sys.executable, "-m", "celery", "-A", "workbench", "worker", "--queues", queue,
                 "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
                 "--hostname", f"{queue}-{n}@%h", "--without-gossip", "--without-mingle"],
                {**os.environ, **env}, tmp_path / f"worker{n}.log", "ready.")
        for n in (1, 2)
    ]
    yield site, workers
    for worker in workers:
        worker.stop()
    point_celery_at(app, previous)
    redis_server.stop()
    site.shutdown()


def _done(workers, task: str) -> int:
    return sum(w.log().count(f"Task {task}[") for w in workers) // 2  # "received" + a result line


def test_two_workers_share_polling_and_matching_and_never_do_the_same_work_twice(two_workers, editor):
    from sources.tasks.feeds import feed_poll_task

    site, workers = two_workers
    make_claim(editor, text="Officials say the drone deal was cancelled")  # something to match
    feeds = [feed_add(url=f"{site.base}/feeds/scale{n}.xml", kind="rss", interval_minutes=60).pk
             for n in range(FEEDS)]
    for feed_id in feeds:
        feed_request_poll(actor=None, feed_id=feed_id)  # "poll now"
        feed_poll_task.apply_async(args=[feed_id])  # beat's due poll
        feed_poll_task.apply_async(args=[feed_id])  # a redelivery

    def all_done() -> bool:
        polled = FeedPoll.objects.filter(finished_at__isnull=False).count() >= FEEDS
        documents = Document.objects.count() >= FEEDS * ITEMS
        matched = not Document.objects.filter(match_state="pending").exists()
        return polled and documents and matched and _done(workers, "sources.feed_tasks.feed_poll_task") >= 3 * FEEDS

    wait_for(all_done, timeout=240, interval=1,
             message="\n".join(w.log()[-2000:] for w in workers))
    assert FeedPoll.objects.count() == FEEDS  # three messages a feed, one poll a feed
    assert Document.objects.count() == FEEDS * ITEMS
    assert set(Document.objects.values_list("match_attempts", flat=True)) == {1}  # matched once each
    skipped = sum(w.log().count(": 'skipped'") for w in workers)
    assert skipped == 2 * FEEDS  # every duplicate stepped aside
    for worker in workers:  # and both workers took part
        assert "Task sources.feed_tasks.feed_poll_task[" in worker.log(), worker.log()[-2000:]
