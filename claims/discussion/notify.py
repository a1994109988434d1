"""Notifications about a claim's discussion, in the app (Notification rows) and by email.

Call inside the service's transaction: the rows commit with the change, and each email is
queued once it has committed (an EmailDelivery row, ``workbench.followup``). The person who
acted is never told about their own action.
"""

from __future__ import annotations

from collections.abc import Iterable

from claims.followups import EMAIL_DELIVERY
from claims.models import EmailDelivery, Notification
from workbench.followup import followup_enqueue

MENTIONED = "mentioned"


def notify(recipients: Iterable, *, actor, verb: str, message: str, claim_id: int | None,
           version_id: int | None = None) -> list[Notification]:
    people = {user.pk: user for user in recipients if user.pk != getattr(actor, "pk", None)}
    created = Notification.objects.bulk_create([
        Notification(recipient=user, verb=verb, message=message[:500], claim_id=claim_id,
                     version_id=version_id)
        for user in people.values()
    ])
    deliveries = EmailDelivery.objects.bulk_create(
        [EmailDelivery(notification=n) for n in created if n.recipient.email]
    )
    followup_enqueue(EMAIL_DELIVERY, [d.pk for d in deliveries])
    return created


def notify_mentioned(users, *, actor, claim) -> list[Notification]:
    excerpt = claim.text if len(claim.text) <= 80 else claim.text[:79] + "…"
    return notify(users, actor=actor, verb=MENTIONED, claim_id=claim.pk,
                  message=f"{actor.get_username()} mentioned you in a comment on “{excerpt}”.")
