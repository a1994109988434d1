"""One task policy (workbench.task_policy): every task follows it, says only what differs,
retries by one formula, and is warned about when it is enqueued inside a transaction."""

from __future__ import annotations

import ast
import logging
import uuid
from pathlib import Path

import pytest
from celery.signals import before_task_publish
from django.db import transaction

from workbench import task_policy
from workbench.celery import app

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("claims", "sources", "workbench")
RESTATED_DEFAULTS = {"acks_late", "reject_on_worker_lost", "ignore_result"}
POLICY_LOGGER = "workbench.task_policy"


def _project_modules() -> list[Path]:
    return sorted(
        path for package in PROJECT_PACKAGES for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _project_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.split(".")[0] in PROJECT_PACKAGES}


def test_every_task_follows_the_one_policy():
    tasks = _project_tasks()
    assert len(tasks) >= 10
    for name, task in tasks.items():
        assert isinstance(task, task_policy.WorkbenchTask), name
        assert task.acks_late and task.reject_on_worker_lost, name


def test_no_task_restates_a_default_of_the_policy():
    problems = []
    for path in _project_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "shared_task":
                problems.extend(
                    f"{path.relative_to(ROOT)}:{node.lineno} {kw.arg}"
                    for kw in node.keywords if kw.arg in RESTATED_DEFAULTS
                )
    assert not problems, "Said once in workbench.task_policy / settings:\n" + "\n".join(problems)


def _is_task_module(path: Path) -> bool:
    return path.name.endswith("tasks.py") or "tasks" in path.parts


def test_only_tasks_call_delay():
    """``.delay()`` sends at once, inside whatever transaction is open: outside a task (which
    runs outside one), enqueue through followup_enqueue or a ``*_later`` helper
    (send_on_commit) instead."""
    problems = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in _project_modules() if not _is_task_module(path)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "delay"
    ]
    assert not problems, "\n".join(problems)


def test_the_one_retry_formula_grows_is_capped_and_spread():
    for retries in range(8):
        nominal = min(10 * 2**retries, 300)
        delays = [task_policy.backoff(retries, base=10, cap=300) for _ in range(50)]
        low, high = nominal * (1 - task_policy.RETRY_JITTER), nominal * (1 + task_policy.RETRY_JITTER)
        assert all(low <= d <= high for d in delays), (retries, min(delays), max(delays))
        assert len(set(delays)) > 1  # jittered, not a fixed schedule


@pytest.mark.django_db
def test_it_warns_when_a_task_is_enqueued_inside_a_transaction(caplog):
    caplog.set_level(logging.WARNING, logger=POLICY_LOGGER)
    # The test's own wrapping transaction is not "open" for this purpose.
    assert not task_policy.open_transaction()
    before_task_publish.send(sender="sources.tasks.source_archive", body=(), exchange="", routing_key="")
    assert not caplog.records

    with transaction.atomic():
        assert task_policy.open_transaction()
        before_task_publish.send(sender="sources.tasks.source_archive", body=(), exchange="", routing_key="")
    assert [r.getMessage() for r in caplog.records] == [
        "task sources.tasks.source_archive was enqueued inside an open transaction: enqueue it "
        "on commit (followup_enqueue, or a *_later helper built on send_on_commit)"
    ]


@pytest.mark.django_db(transaction=True)
def test_a_real_publish_warns_inside_a_transaction_and_not_on_commit(caplog):
    """End to end through the broker: the warning comes from Celery's own publish path, and
    send_on_commit (what *_later helpers use) publishes after the commit, without it."""
    caplog.set_level(logging.WARNING, logger=POLICY_LOGGER)
    queue = f"task-policy-test-{uuid.uuid4().hex[:8]}"
    task = app.tasks["workbench.followup.followup_sweep_task"]
    try:
        with transaction.atomic():
            assert task_policy.send_best_effort(task, queue=queue)
        assert len(caplog.records) == 1 and "inside an open transaction" in caplog.records[0].getMessage()

        caplog.clear()
        with transaction.atomic():
            task_policy.send_on_commit(task, queue=queue)
            assert not caplog.records  # nothing sent yet
        assert not caplog.records
    finally:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_delete(queue)
