"""Celery tasks for the newsroom. Tasks take ids, reload rows and call a service.

Celery's autodiscovery imports each app's ``tasks`` module: this one registers the areas'
task modules too (coverage, reviews, exports, webhooks), so no ``CELERY_IMPORTS`` list is needed.
"""

from __future__ import annotations

import logging

from celery import shared_task

from claims import services
from claims.corroboration import tasks as corroboration_tasks  # noqa: F401 - registers them
from claims.discussion import digests as digest_tasks  # noqa: F401 - registers them
from claims.exports import tasks as exports_tasks  # noqa: F401 - registers them
from claims.models import Claim
from claims.monitoring import tasks as monitoring_tasks  # noqa: F401 - registers them
from claims.reviewing import tasks as reviewing_tasks  # noqa: F401 - registers them
from claims.webhooks import tasks as webhook_tasks  # noqa: F401 - registers them

logger = logging.getLogger(__name__)


@shared_task
def claim_reindex(claim_id: int) -> None:
    """Rebuild a claim's full-text document. Idempotent; a missing claim is a no-op."""
    if not Claim.objects.filter(pk=claim_id).exists():
        logger.info("claim_reindex: claim %s is gone", claim_id)
        return
    services.claim_refresh_search(claim_id=claim_id)
