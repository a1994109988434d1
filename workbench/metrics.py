"""Operations metrics in Prometheus's text format at ``/metrics``.

Two kinds of figures:

* **Counted as they happen**, in the process where they happen: request latency by view
  (``factdesk_http_request_duration_seconds``, this middleware), Celery task outcomes
  (``factdesk_celery_tasks_total``, from Celery's signals in the workers), model latency
  (``factdesk_model_seconds``, timed by ``model_timed`` where the models are called) and fetch
  errors by reason
  (``factdesk_fetch_errors_total``, ``sources.metrics``). A process with several children
  (gunicorn's workers, Celery's prefork pool) needs ``PROMETHEUS_MULTIPROC_DIR``: an empty
  folder of its own, set before it starts; the figures then add up every child's files. The
  web's ``/metrics`` shows what the web processes counted; a Celery worker started with
  ``WORKER_METRICS_PORT`` serves what its pool counted on that port (``/metrics``, no
  database figures), for Prometheus to scrape inside the deployment's network.
* **Read at scrape time**, by collectors apps register with ``metrics_register_collector``:
  Celery queue depths (from the broker, with a short timeout), and what the database knows
  (feed health, suggestions created, follow-up work by state).

Access: ``METRICS_TOKEN`` (sent as ``Authorization: Bearer <token>``) and/or
``METRICS_ALLOWED_IPS`` (addresses or networks, comma-separated, matched against
``REMOTE_ADDR``). With neither set it answers 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

#: The metrics counted as they happen. Not the library's global registry: its process and
#: platform collectors do not add up across processes.
LIVE = CollectorRegistry(auto_describe=True)

REQUEST_SECONDS = Histogram(
    "factdesk_http_request_duration_seconds", "Time to answer a request, by view.",
    ["view", "method", "status"], registry=LIVE,
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
TASKS = Counter("factdesk_celery_tasks", "Celery tasks finished, by task and outcome.",
                ["task", "outcome"], registry=LIVE)
MODEL_SECONDS = Histogram(
    "factdesk_model_seconds", "Time one call of a model takes (a batch for stance and embedding).",
    ["model"], registry=LIVE,
    buckets=(0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

_collectors: list[Callable[[], list]] = []


def metrics_register_collector(collect: Callable[[], list]) -> None:
    """Add a function returning metric families, called at every scrape."""
    if collect not in _collectors:
        _collectors.append(collect)


class RequestMetricsMiddleware:
    """Times every request and files it under its view's name (never its raw path, so the
    number of series stays bounded)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        REQUEST_SECONDS.labels(view=view, method=request.method if request.method in _METHODS else "other",
                               status=str(response.status_code)).observe(time.perf_counter() - started)
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


@contextmanager
def model_timed(model: str) -> Iterator[None]:
    """Time one call of a model (``language``, ``stance``, ``embedding``) into
    ``factdesk_model_seconds``; a call that fails is timed too."""
    started = time.perf_counter()
    try:
        yield
    finally:
        MODEL_SECONDS.labels(model=model).observe(time.perf_counter() - started)


# --------------------------------------------------------------------------- access


def _allowed_networks() -> list:
    networks = []
    for item in str(getattr(settings, "METRICS_ALLOWED_IPS", "") or "").split(","):
        item = item.strip()
        if item:
            networks.append(ipaddress.ip_network(item, strict=False))
    return networks


def metrics_enabled() -> bool:
    return bool(str(getattr(settings, "METRICS_TOKEN", "") or "") or _allowed_networks())


def metrics_access_allowed(request) -> bool:
    token = str(getattr(settings, "METRICS_TOKEN", "") or "")
    networks = _allowed_networks()
    if token:
        sent = request.headers.get("Authorization", "")
        if sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
            return True
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in network for network in networks)
    return False


# --------------------------------------------------------------------------- scraping


def _live_registry() -> CollectorRegistry:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return LIVE
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return registry


class _ScrapeCollector:
    def collect(self):
        for collect in list(_collectors):
            try:
                yield from collect()
            except Exception:  # noqa: BLE001 - one source down must not hide the others
                logger.exception("metrics collector %s failed", getattr(collect, "__name__", collect))
                yield from _collector_failed(getattr(collect, "__name__", "collector"))


def _collector_failed(name: str):
    family = GaugeMetricFamily("factdesk_metrics_collector_up",
                               "1 when a scrape-time collector answered, 0 when it failed.",
                               labels=["collector"])
    family.add_metric([name], 0)
    return [family]


def metrics_text() -> bytes:
    scraped = CollectorRegistry()
    scraped.register(_ScrapeCollector())
    return generate_latest(_live_registry()) + generate_latest(scraped)


@login_not_required
@never_cache
@require_GET
def metrics_view(request):
    if not metrics_enabled():  # plain text, never a debug page
        return HttpResponse("Not found: metrics are off (set METRICS_TOKEN or METRICS_ALLOWED_IPS).\n",
                            status=404, content_type="text/plain; charset=utf-8")
    if not metrics_access_allowed(request):
        response = HttpResponse("Not allowed.\n", status=403, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


# --------------------------------------------------------------------------- Celery


def task_outcome_counting() -> None:
    """Count each finished task by outcome (connected once, in every process that runs tasks)."""
    from celery.signals import task_failure, task_retry, task_success

    def outcome(name):
        def receiver(sender=None, **kwargs):
            task = getattr(sender, "name", None) or getattr(kwargs.get("request"), "task", None) or "unknown"
            TASKS.labels(task=task, outcome=name).inc()
        return receiver

    for signal, name in ((task_success, "success"), (task_failure, "failure"), (task_retry, "retry")):
        signal.connect(outcome(name), weak=False, dispatch_uid=f"factdesk-metrics-{name}")


def worker_metrics_serving() -> None:
    """In a Celery worker started with ``WORKER_METRICS_PORT``: serve the pool's figures on
    that port once the worker is ready (from its main process, which outlives the children),
    and let a child that exits leave its live gauges behind (multiprocess mode)."""
    from celery.signals import worker_process_shutdown, worker_ready

    def serve(sender=None, **kwargs):
        port = int(getattr(settings, "WORKER_METRICS_PORT", 0) or 0)
        if not port:
            return
        from prometheus_client import start_http_server

        start_http_server(port, addr=str(getattr(settings, "WORKER_METRICS_ADDR", "") or "0.0.0.0"),
                          registry=_live_registry())
        logger.info("worker metrics served on port %s", port)

    def child_gone(pid=None, **kwargs):
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(pid or os.getpid())

    worker_ready.connect(serve, weak=False, dispatch_uid="factdesk-worker-metrics")
    worker_process_shutdown.connect(child_gone, weak=False, dispatch_uid="factdesk-metrics-child-gone")


def queue_depths() -> list:
    """Messages waiting in each Celery queue, read from a Redis broker (LLEN)."""
    family = GaugeMetricFamily("factdesk_celery_queue_length", "Messages waiting in a Celery queue.",
                               labels=["queue"])
    url = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if not url.startswith(("redis://", "rediss://")):
        return [family]
    import redis

    queues = {str(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "") or "celery"),
              str(getattr(settings, "CELERY_EMBEDDING_QUEUE", "") or "embeddings")}
    client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        with client.pipeline(transaction=False) as pipe:
            for queue in sorted(queues):
                pipe.llen(queue)
            lengths = pipe.execute()
    finally:
        client.close()
    for queue, length in zip(sorted(queues), lengths, strict=True):
        family.add_metric([queue], length)
    return [family]


metrics_register_collector(queue_depths)
