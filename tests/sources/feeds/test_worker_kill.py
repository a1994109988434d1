"""A worker killed with SIGKILL mid-poll loses nothing and duplicates nothing (Redis broker).

The poll task is acks_late: the killed worker never acknowledged its message, so Redis
hands it to the next worker once the visibility timeout passes (4 s in worker_settings).
The new worker takes the feed's advisory lock (freed when the dead worker's database
session ended), closes the dead worker's "running" poll as abandoned, and polls again;
documents are upserted by canonical URL, so every item is stored exactly once.

With the filesystem transport there is no redelivery: the message is lost with the
worker, the feed stays due (next_poll_at is only moved when a poll finishes), and the
next beat run of feeds_poll_due enqueues it again a minute later. That path is not
tested here; this test is skipped unless the broker is Redis (as in CI).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sources.feeds import ABANDONED_MESSAGE
from sources.models import Document, Feed, FeedPoll
from tests.conftest import database_url_for_subprocess, wait_for
from tests.sources.feeds.conftest import rss_feed

ITEMS = [{"title": f"Story {n}", "link": f"https://kill.example/story-{n}", "description": f"Lede {n}."}
         for n in range(5)]


class _SlowFirstFeed(BaseHTTPRequestHandler):
    """The first request hangs (the worker is killed while waiting); later ones answer."""

    protocol_version = "HTTP/1.1"
    hits: list[float] = []
    release = threading.Event()

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).hits.append(time.monotonic())
        if len(type(self).hits) == 1:
            type(self).release.wait(30)
        body = rss_feed(ITEMS, title="Kill test feed").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def slow_feed_server():
    _SlowFirstFeed.hits = []
    _SlowFirstFeed.release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowFirstFeed)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield server
    _SlowFirstFeed.release.set()
    server.shutdown()
    server.server_close()


def start_worker(settings, queue, log_path, extra_env):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sources.feeds.worker_settings",
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        **extra_env,
    }
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workbench", "worker", "--queues", queue,
         "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
         "--hostname", f"{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    process.log_file = log
    def ready_count() -> int:
        return log_path.read_text(errors="replace").count("ready.") if log_path.exists() else 0

    before = ready_count()
    deadline = time.monotonic() + 60
    while ready_count() <= before:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"worker did not start:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)
    return process


def stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    process.log_file.close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_poll_loses_and_duplicates_nothing(settings, tmp_path, slow_feed_server):
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("redelivery after a worker dies needs the Redis broker (see module docstring)")
    import redis

    from sources.tasks.feeds import feed_poll_task

    port = slow_feed_server.server_address[1]
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    match_queue = f"{queue}-match"
    env = {"FETCH_ALLOW_LOOPBACK": str(port), "FETCH_READ_TIMEOUT": "60", "FETCH_TOTAL_TIMEOUT": "60",
           "MATCH_QUEUE": match_queue}
    log_path = tmp_path / "workers.log"
    feed = Feed.objects.create(url=f"http://127.0.0.1:{port}/feed.xml", title="Kill test")
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    first = start_worker(settings, queue, log_path, env)
    second = None
    try:
        feed_poll_task.apply_async(args=[feed.pk], queue=queue)
        wait_for(lambda: _SlowFirstFeed.hits and FeedPoll.objects.filter(feed=feed, status="running").exists(),
                 timeout=30, message="the first worker never started polling")
        stop(first, signal.SIGKILL)  # the whole process group, mid-fetch

        second = start_worker(settings, queue, log_path, env)
        wait_for(lambda: FeedPoll.objects.filter(feed=feed, status="succeeded").exists(), timeout=60,
                 message=f"the poll was not redelivered:\n{log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(2)  # let any further (duplicate) delivery run its course
    finally:
        _SlowFirstFeed.release.set()
        if second is not None:
            stop(second)
        stop(first, signal.SIGKILL)

    polls = list(FeedPoll.objects.filter(feed=feed).order_by("started_at"))
    assert [p.status for p in polls] == ["failed", "succeeded"], [(p.status, p.error) for p in polls]
    assert polls[0].error == ABANDONED_MESSAGE and polls[0].finished_at
    assert polls[1].items_new == len(ITEMS)
    assert Document.objects.count() == len(ITEMS)
    assert sorted(Document.objects.values_list("canonical_url", flat=True)) == sorted(i["link"] for i in ITEMS)
    feed.refresh_from_db()
    assert feed.consecutive_failures == 0 and feed.last_success_at
    # the new documents were handed to coverage matching exactly once
    assert broker.llen(match_queue) == 1
    broker.delete(match_queue)
