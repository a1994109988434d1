"""Celery tasks for the newsroom. Tasks take ids, reload rows and call a service."""

from __future__ import annotations

import logging

from celery import shared_task

from claims import services
from claims.models import Claim

logger = logging.getLogger(__name__)


@shared_task
def claim_reindex(claim_id: int) -> None:
    """Rebuild a claim's full-text document. Idempotent; a missing claim is a no-op."""
    if not Claim.objects.filter(pk=claim_id).exists():
        logger.info("claim_reindex: claim %s is gone", claim_id)
        return
    services.claim_refresh_search(claim_id=claim_id)
