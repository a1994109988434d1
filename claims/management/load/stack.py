"""The production shape on this machine, for ``load_bench``: a throwaway database, a site of
articles and feeds on 127.0.0.1, gunicorn and Celery worker processes, and a sampler of their
memory. Everything started here is stopped by ``Stack.stop`` (each child has its own process
group), and the database is dropped.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import psutil
from django.conf import settings
from django.db import connection, connections

PARAGRAPH = (
    "Officials said on {day} that the {thing} had been {how}, according to people familiar "
    "with the talks. The ministry declined to comment on the {thing} or on the figures. "
)
THINGS = ["drone deal", "grain corridor", "aid request", "sanctions plan", "border crossing",
          "pipeline", "election count", "harvest estimate"]
HOWS = ["cancelled", "doubled", "denied", "approved", "delayed"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the site the sources and feeds come from ----------------------------------------------


class _SiteHandler(BaseHTTPRequestHandler):
    """Articles at /articles/<slug>, RSS at /feeds/<n>.xml: each fetch of a feed lists its
    latest items, a few of them new since the previous fetch, so every poll has work."""

    server: SourceSite  # type: ignore[assignment]

    def do_GET(self):  # noqa: N802 - the http.server API
        if match := re.fullmatch(r"/articles/([\w-]+)", self.path):
            self._send("text/html; charset=utf-8", self.server.article(match.group(1)))
        elif match := re.fullmatch(r"/feeds/([\w-]+)\.xml", self.path):
            self._send("application/rss+xml; charset=utf-8", self.server.feed(match.group(1)))
        else:
            self.send_error(404)

    def _send(self, content_type: str, body: str) -> None:
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # quiet: the bench prints its own figures
        pass


class SourceSite(ThreadingHTTPServer):
    daemon_threads = True
    new_items_per_poll = 5

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.port = self.server_address[1]
        self._lock = threading.Lock()
        self._fetches: dict[str, int] = {}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SourceSite:
        threading.Thread(target=self.serve_forever, name="load-bench-site", daemon=True).start()
        return self

    def article(self, slug: str) -> str:
        n = sum(map(ord, slug))
        thing, how = THINGS[n % len(THINGS)], HOWS[n % len(HOWS)]
        body = "".join(f"<p>{PARAGRAPH.format(day=d, thing=thing, how=how)}</p>" for d in
                       ["Monday", "Tuesday", "Wednesday", "Thursday"])
        return (f"<!doctype html><html><head><title>The {thing} was {how} ({slug})</title></head>"
                f"<body><article><h1>The {thing} was {how}</h1>{body}</article></body></html>")

    def feed(self, name: str) -> str:
        with self._lock:
            fetch = self._fetches.get(name, 0)
            self._fetches[name] = fetch + 1
        newest = (fetch + 1) * self.new_items_per_poll
        items = []
        for k in range(newest, max(0, newest - 20), -1):
            slug = f"feed{name}-item{k}"
            thing, how = THINGS[k % len(THINGS)], HOWS[(k + len(name)) % len(HOWS)]
            items.append(
                f"<item><title>Officials say the {thing} was {how} ({slug})</title>"
                f"<link>{self.base}/articles/{slug}</link><guid>{self.base}/articles/{slug}</guid>"
                f"<description>The ministry declined to comment on the {thing}.</description>"
                f"<pubDate>Mon, 30 Nov 2026 0{k % 10}:00:00 GMT</pubDate></item>"
            )
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Load bench wire {name}</title><link>{self.base}/</link>"
                f"<description>Synthetic wire</description>{''.join(items)}</channel></rss>")


# --- the throwaway database ----------------------------------------------------------------


class ThrowawayDatabase:
    """A new database on the configured PostgreSQL server: this process switches to it
    (migrated), children reach it by ``url``; ``drop`` switches back and removes it."""

    def __init__(self):
        self.name = f"load_bench_{uuid.uuid4().hex[:10]}"
        self.original_name = connection.settings_dict["NAME"]

    @property
    def url(self) -> str:
        db = connection.settings_dict
        host = db["HOST"] or "127.0.0.1"
        host_part = quote(host, safe="") if host.startswith("/") else host
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{host_part}{port}/{self.name}"

    def create(self) -> ThrowawayDatabase:
        from django.core.management import call_command

        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.name}"')
        self._switch(self.name)
        call_command("migrate", interactive=False, verbosity=0)
        return self

    def _switch(self, name: str) -> None:
        connections.close_all()
        connection.settings_dict["NAME"] = name

    def drop(self) -> None:
        self._switch(self.original_name)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- processes -----------------------------------------------------------------------------


@dataclass
class Child:
    role: str  # "web" or "worker"
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pids(self) -> list[int]:
        try:
            parent = psutil.Process(self.process.pid)
            return [parent.pid, *(c.pid for c in parent.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []


@dataclass
class MemorySampler:
    """Peak resident memory of each process of each role, sampled every ``interval`` s."""

    children: list[Child]
    interval: float = 0.25
    peak_process: dict[str, float] = field(default_factory=dict)  # MB, largest single process
    peak_total: dict[str, float] = field(default_factory=dict)  # MB, the role's processes summed
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> MemorySampler:
        threading.Thread(target=self._run, name="load-bench-rss", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            totals: dict[str, float] = {}
            for child in self.children:
                for pid in child.pids():
                    try:
                        rss = psutil.Process(pid).memory_info().rss / 2**20
                    except psutil.NoSuchProcess:
                        continue
                    totals[child.role] = totals.get(child.role, 0.0) + rss
                    self.peak_process[child.role] = max(self.peak_process.get(child.role, 0.0), rss)
            for role, total in totals.items():
                self.peak_total[role] = max(self.peak_total.get(role, 0.0), total)
            self._stop.wait(self.interval)


class Stack:
    """gunicorn (``web_workers`` processes) and ``celery_workers`` Celery worker processes
    (one pool process each), on a private queue of the configured Redis broker."""

    def __init__(self, *, database_url: str, site: SourceSite, log_dir: Path, web_workers: int = 2,
                 celery_workers: int = 2):
        self.port = free_port()
        self.queue = f"load-bench-{uuid.uuid4().hex[:8]}"
        self.log_dir = log_dir
        self.web_workers, self.celery_workers = web_workers, celery_workers
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "FETCH_ALLOW_LOOPBACK": str(site.port),
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_EMBEDDING_QUEUE": f"{self.queue}-embeddings",
            # Manifest static files, collected as the image build does (see the Dockerfile).
            "DJANGO_STATIC_ROOT": str(log_dir / "static"),
        }
        self.children: list[Child] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, role: str, name: str, args: list[str]) -> Child:
        log_path = self.log_dir / f"{name}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(args, cwd=settings.BASE_DIR, env=self.env, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        child = Child(role, process, log_path)
        self.children.append(child)
        return child

    def start_web(self) -> None:
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                       cwd=settings.BASE_DIR, env=self.env, check=True, timeout=300)
        web = self._spawn("web", "web", [
            sys.executable, "-m", "gunicorn", "workbench.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.web_workers), "--timeout", "60",
        ])
        self._wait(web, lambda: web.log().count("Booting worker") >= self.web_workers and self._answers())

    def start_worker(self, number: int) -> Child:
        worker = self._spawn("worker", f"worker{number}", [
            sys.executable, "-m", "celery", "-A", "workbench", "worker",
            "--queues", f"{self.queue},{self.queue}-embeddings", "--pool", "prefork",
            "--concurrency", "1", "--loglevel", "INFO", "--hostname", f"{self.queue}-{number}@%h",
            "--without-gossip", "--without-mingle",
        ])
        self._wait(worker, lambda: "ready." in worker.log())
        return worker

    def start(self) -> Stack:
        self.start_web()
        for number in range(1, self.celery_workers + 1):
            self.start_worker(number)
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def _wait(self, child: Child, ready, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if child.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{child.log_path.name} did not start:\n{child.log()[-3000:]}")
            time.sleep(0.2)

    def workers_stop(self) -> None:
        workers = [c for c in self.children if c.role == "worker"]
        self._stop(workers)
        self.children = [c for c in self.children if c.role != "worker"]

    def stop(self) -> None:
        self._stop(self.children)
        self.children = []

    def _stop(self, children: list[Child], grace: float = 20) -> None:
        for child in children:
            if child.process.poll() is None:
                os.killpg(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in children:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait()
