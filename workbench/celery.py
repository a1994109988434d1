"""The Celery application. Configuration comes from Django settings (``CELERY_*``)."""

import os

from celery import Celery

import workbench.task_policy  # noqa: F401 - the publish-in-a-transaction warning

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

# Every task follows one policy (late acks, database outages retried): workbench.task_policy.
app = Celery("workbench", task_cls="workbench.task_policy:WorkbenchTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _ensure_filesystem_broker_folders(sender, **kwargs):
    """The filesystem transport needs its folders before the first message."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)


@app.on_after_finalize.connect
def _count_task_outcomes(sender, **kwargs):
    """Task outcomes for the operations metrics (workbench.metrics), served by the worker on
    WORKER_METRICS_PORT when it is set."""
    from workbench.metrics import task_outcome_counting, worker_metrics_serving

    task_outcome_counting()
    worker_metrics_serving()
