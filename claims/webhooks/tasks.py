"""The webhook delivery task: takes an id, admitted once per ticket, tries once."""

from __future__ import annotations

from celery import shared_task

from claims.followups import WEBHOOK_DELIVERY
from claims.webhooks.delivery import webhook_delivery_attempt
from workbench.followup import followup_begin


@shared_task(name="claims.webhooks.tasks.webhook_delivery_send", soft_time_limit=60, time_limit=90)
def webhook_delivery_send(delivery_id: int, ticket: str | None = None) -> str:
    """One attempt of one delivery. ``followup_begin`` admits one message per ticket, so a
    duplicate, a stale redelivery or a sweep's second copy sends nothing; a failed attempt
    dates the row's next try (``next_attempt_at``) and the sweep sends it then."""
    if not followup_begin(WEBHOOK_DELIVERY, [delivery_id], ticket):
        return "not pending"
    return webhook_delivery_attempt(delivery_id=delivery_id)
