"""A Celery worker serves what its prefork pool counted (WORKER_METRICS_PORT), added up over
the children's files in its own PROMETHEUS_MULTIPROC_DIR, as compose runs it."""

from __future__ import annotations

import socket
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from claims.models import Claim
from claims.tasks import claim_reindex
from tests.conftest import wait_for
from tests.factories import make_claim


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = _free_port()


@pytest.fixture
def live_worker_env(tmp_path) -> dict[str, str]:
    folder = tmp_path / "metrics"
    folder.mkdir()
    return {"PROMETHEUS_MULTIPROC_DIR": str(folder), "WORKER_METRICS_PORT": str(PORT),
            "WORKER_METRICS_ADDR": "127.0.0.1"}


def _task_successes(name: str) -> float:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return -1
    for family in text_string_to_metric_families(text):
        if family.name == "factdesk_celery_tasks":
            for sample in family.samples:
                if sample.name.endswith("_total") and sample.labels == {"task": name, "outcome": "success"}:
                    return sample.value
    return 0


@pytest.mark.worker
def test_the_worker_serves_its_pools_task_outcomes(live_worker, editor):
    claim = make_claim(editor, text="Beijing denied the request for military aid")
    Claim.objects.filter(pk=claim.pk).update(search_vector=None)
    assert wait_for(lambda: _task_successes("claims.tasks.claim_reindex") >= 0, timeout=30,
                    message=f"no metrics on port {PORT}; worker log:\n{live_worker.log()}") is not None
    before = _task_successes("claims.tasks.claim_reindex")

    claim_reindex.apply_async(args=[claim.pk], queue=live_worker.queue)

    wait_for(lambda: _task_successes("claims.tasks.claim_reindex") == before + 1, timeout=60,
             message=f"the task's success was not counted; worker log:\n{live_worker.log()}")
