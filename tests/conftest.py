"""Shared fixtures: personas (editor, second editor, reviewer, outsider, admin) and helpers."""

from __future__ import annotations

import os

import pytest  # noqa: E402

pytest_plugins = ["tests.support.fixtures", "tests.support.browser"]


@pytest.fixture
def editor(db):
    from tests.factories import UserFactory

    return UserFactory(username="erin", groups=["Editor"])


@pytest.fixture
def editor2(db):
    from tests.factories import UserFactory

    return UserFactory(username="eddie", groups=["Editor"])


@pytest.fixture
def reviewer(db):
    from tests.factories import UserFactory

    return UserFactory(username="rita", groups=["Reviewer"])


@pytest.fixture
def outsider(db):
    """Logged in, but in no newsroom group."""
    from tests.factories import UserFactory

    return UserFactory(username="oscar", groups=[])


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="ada", groups=["Admin", "Reviewer"], is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def database_url_for_subprocess() -> str:
    """A DATABASE_URL that reaches the database this test process is using (the test DB)."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    host_part = quote(host, safe="") if host.startswith("/") else host
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{host_part}{port}/{db['NAME']}"


class LiveWorker:
    def __init__(self, process, queue, log_path):
        self.process = process
        self.queue = queue
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def live_worker_env() -> dict[str, str]:
    """Extra environment for ``live_worker``: a test module overrides this fixture."""
    return {}


@pytest.fixture
def live_worker(transactional_db, tmp_path, settings, monkeypatch, live_worker_env):
    """A real Celery worker process on its own queues, using this test's database and the
    configured broker (Redis in CI, the filesystem transport on a laptop). Tasks this test
    process enqueues without naming a queue go to that worker too, and so do embedding tasks
    (the worker consumes this test's embedding queue as well)."""
    import subprocess
    import sys
    import time
    import uuid

    queue = f"test-{uuid.uuid4().hex[:10]}"
    embedding_queue = f"{queue}-embeddings"
    settings.CELERY_EMBEDDING_QUEUE = embedding_queue
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "FETCH_ALLOW_LOOPBACK": str(settings.FETCH_ALLOW_LOOPBACK),
        # Follow-up tasks the worker itself sends stay on this test's queue.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_EMBEDDING_QUEUE": embedding_queue,
        **live_worker_env,
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workbench", "worker", "--queues", f"{queue},{embedding_queue}",
             "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
             "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = LiveWorker(process, queue, log_path)
    deadline = time.monotonic() + 60
    while "ready." not in worker.log():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"Celery worker did not start:\n{worker.log()}")
        time.sleep(0.2)
    from workbench.celery import app

    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    yield worker
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2, message: str = ""):
    """Poll until ``predicate()`` is truthy; fail the test with ``message`` otherwise."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(message or "condition not met in time")
