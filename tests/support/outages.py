"""Real servers that outage tests start, stop and start again: a Redis on a spare port, an
embedded PostgreSQL in a temporary folder, and Celery workers and a web server using them.

Never the machine's shared Redis (6379) or PostgreSQL (5432): other people's work uses those.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {timeout:g} s")


class SpareRedis:
    """``redis-server`` on a free port with no persistence: a stop loses what it held."""

    def __init__(self, log_dir: Path):
        if shutil.which("redis-server") is None:
            pytest.fail("redis-server is not installed (CI installs it: see .ci/run)")
        self.port = free_port()
        self.log_path = log_dir / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> SpareRedis:
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed when the process stops
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.process.log_file = log
        _wait(self.answers, 20, f"redis-server on port {self.port} answering")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.log_file.close()
        _wait(lambda: not self.answers(), 10, "redis-server stopping")


class EmbeddedPostgres:
    """A PostgreSQL 16 of the ``pgserver`` package, in its own temporary data folder."""

    def __init__(self, data_dir: Path):
        import pgserver

        self.server = pgserver.get_server(data_dir, cleanup_mode="delete")
        self.socket_dir = str(self.server.get_postmaster_info().socket_dir)

    @property
    def url(self) -> str:
        from urllib.parse import quote

        return f"postgres://postgres:@{quote(self.socket_dir, safe='')}/postgres"

    def stop(self) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata,
               user=self.server.system_user, timeout=60)

    def start(self) -> None:
        from pgserver._commands import pg_ctl

        # pgserver's own start gives pg_ctl 10 s, which a loaded two-core machine exceeds now
        # and then (the flaky "Timeout starting server"); start it here with pgserver's own
        # arguments and a generous wait, then let pgserver adopt the running server.
        pg_ctl(["-w", "-t", "120", "-o", '-h ""', "-o", f"-k {self.socket_dir}",
                "-l", str(self.server.log), "start"],
               pgdata=self.server.pgdata, user=self.server.system_user, timeout=150)
        self.server._postmaster_info = None
        self.server.ensure_postgres_running()
        socket_dir = str(self.server.get_postmaster_info().socket_dir)
        assert socket_dir == self.socket_dir, (socket_dir, self.socket_dir)

    def close(self) -> None:
        self.server.cleanup()


class Process:
    """A child process (Celery worker, web server) in its own process group, with a log."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path, ready: str):
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        before = self.log().count(ready)
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        _wait(lambda: self.log().count(ready) > before or self.process.poll() is not None, 90,
              f"{args[2:5]} starting")
        if self.process.poll() is not None:
            pytest.fail(f"{args} exited:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


def start_worker(*, env: dict[str, str], log_path: Path, queue: str | None = None,
                 settings_module: str = "workbench.settings") -> Process:
    queue = queue or f"test-{uuid.uuid4().hex[:10]}"
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module,
                "CELERY_TASK_DEFAULT_QUEUE": queue, **env}
    worker = Process(
        [sys.executable, "-m", "celery", "-A", "workbench", "worker", "--queues", queue,
         "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
         "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle"],
        full_env, log_path, "ready.",
    )
    worker.queue = queue
    return worker


def point_celery_at(app, url: str) -> None:
    """Make this process publish to ``url`` (drops pooled connections to the old broker)."""
    # With the Django namespace, broker_url reads CELERY_BROKER_URL; the write and read URLs
    # are honoured as set.
    app.conf["broker_write_url"] = url
    app.conf["broker_read_url"] = url
    app._pool = None  # kombu keeps one pool per broker URL; a stale connection is redialled
    app.amqp._producer_pool = None
