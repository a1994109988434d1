"""Settings for the worker processes of the kill-mid-poll test.

A short Redis visibility timeout (and a restore sweep every second) makes the broker
redeliver the killed worker's unacknowledged message within seconds instead of an hour.
Coverage matching is routed to a queue of its own (MATCH_QUEUE) so the test can count it.
"""

import os

from workbench.settings import *  # noqa: F403
from workbench.settings import (
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_BROKER_URL,
    COVERAGE_MATCH_TASK,
)

if not CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": 4,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_ROUTES = {COVERAGE_MATCH_TASK: {"queue": os.environ.get("MATCH_QUEUE", "celery")}}
