"""A PostgreSQL restart under a running worker and a live web server is survived.

The test runs its own embedded PostgreSQL (``pgserver``, in a temporary folder), migrates
it, and starts gunicorn and a Celery worker on it (the broker is a Redis the test starts).
It restarts PostgreSQL: pooled connections die with it. The next requests and tasks
succeed (CONN_HEALTH_CHECKS replaces a dead connection), a task that runs while the
database is down is retried with backoff instead of failing, and /healthz says 503 in
well under a second while it is down.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.support.outages import (
    ROOT,
    EmbeddedPostgres,
    Process,
    SpareRedis,
    free_port,
    point_celery_at,
    start_worker,
)

pytestmark = [pytest.mark.worker]


def _get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started


def _wait_for_log(process, text: str, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while process.log().count(text) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} x{count} never appeared:\n{process.log()[-3000:]}")
        time.sleep(0.2)


@pytest.fixture
def stack(tmp_path, settings):
    """PostgreSQL, Redis, gunicorn and a worker, all started by this test."""
    database = EmbeddedPostgres(tmp_path / "pgdata")
    redis_server = SpareRedis(tmp_path).start()
    env = {**os.environ, "DATABASE_URL": database.url, "CELERY_BROKER_URL": redis_server.url,
           "DJANGO_SECRET_KEY": settings.SECRET_KEY, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_DEBUG": "0"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                   env=env, check=True, timeout=300)
    port = free_port()
    web = Process([sys.executable, "-m", "gunicorn", "workbench.wsgi:application", "--bind",
                   f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
                  env, tmp_path / "web.log", "Booting worker")
    worker = start_worker(env={"DATABASE_URL": database.url, "CELERY_BROKER_URL": redis_server.url,
                               "DJANGO_SECRET_KEY": settings.SECRET_KEY},
                          log_path=tmp_path / "worker.log")
    from workbench.celery import app

    previous = app.conf.broker_write_url
    point_celery_at(app, redis_server.url)
    yield database, f"http://127.0.0.1:{port}", worker
    point_celery_at(app, previous)
    worker.stop()
    web.stop()
    redis_server.stop()
    database.close()


def test_the_web_and_the_worker_survive_a_database_restart(stack):
    from workbench.celery import app

    database, base, worker = stack
    task = "claims.tasks.claim_reindex"  # reads the database; a missing claim is a no-op

    def run_task(n: int) -> None:
        app.send_task(task, args=[10**9 + n], queue=worker.queue)

    assert _get(f"{base}/fact-checks/")[0] == 200  # the server now holds a pooled connection
    run_task(1)
    _wait_for_log(worker, "succeeded", 1)

    database.stop()
    status, elapsed = _get(f"{base}/healthz")
    assert status == 503 and elapsed < 1.5, (status, elapsed)  # 0.8 s budget, loaded-machine margin
    run_task(2)  # runs while the database is down: retried with backoff, not lost
    _wait_for_log(worker, "database unavailable", 1)
    database.start()

    assert _get(f"{base}/fact-checks/")[0] == 200  # the dead pooled connection was replaced
    assert _get(f"{base}/healthz")[0] == 200
    _wait_for_log(worker, "succeeded", 2, timeout=90)  # the retried task
    run_task(3)  # and a new one, on the worker's replaced connection
    _wait_for_log(worker, "succeeded", 3)
    assert "Traceback" not in worker.log().split("database unavailable")[-1]
