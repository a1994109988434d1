"""Who hears about a verdict, in the app (Notification rows) and by email (after commit).

Call these inside the service's transaction: the notifications and their email deliveries
commit with the change, and the emails are queued only once it has committed.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import Notification, VerdictVersion
from claims.models.verdicts import ReviewDecision

logger = logging.getLogger(__name__)

AWAITING_REVIEW = "awaiting_review"
APPROVED = "approved"
CHANGES_REQUESTED = "changes_requested"


def reviewers():
    """Active users who hold the review permission, through a group, directly, or as superuser."""
    perm = Q(codename="review_claim", content_type__app_label="claims")
    User = get_user_model()
    from django.contrib.auth.models import Permission

    review_perms = Permission.objects.filter(perm)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=review_perms)
            | Q(user_permissions__in=review_perms)
        )
        .distinct()
    )


def _create(recipients, *, verb: str, message: str, version: VerdictVersion) -> list[Notification]:
    from claims.discussion.notify import notifications_create

    # Emailed as each recipient wants (at once: a delivery row in this transaction, sent
    # after commit, swept if the broker is down; or in the daily digest; or never).
    return notifications_create([
        Notification(
            recipient=user, verb=verb, message=message[:500], claim_id=version.claim_id,
            version=version,
        )
        for user in recipients
    ])


def notify_awaiting_review(version: VerdictVersion) -> list[Notification]:
    recipients = reviewers().exclude(pk=version.author_id)
    kind = "A correction" if version.correction_note else "A verdict"
    message = (
        f"{kind} awaits your review: v{version.number} “{version.headline}” "
        f"by {version.author.get_username()}."
    )
    return _create(recipients, verb=AWAITING_REVIEW, message=message, version=version)


def notify_author_of_review(version: VerdictVersion, *, decision: str) -> list[Notification]:
    # The version no longer awaits anyone: clear the other reviewers' "awaiting" items.
    Notification.objects.filter(version=version, verb=AWAITING_REVIEW, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    reviewer = version.reviewed_by.get_username() if version.reviewed_by else "A reviewer"
    if decision == ReviewDecision.APPROVE:
        verb, message = APPROVED, f"{reviewer} approved v{version.number} “{version.headline}”; it is published."
    else:
        verb, message = (
            CHANGES_REQUESTED,
            f"{reviewer} requested changes to v{version.number} “{version.headline}”.",
        )
    return _create([version.author], verb=verb, message=message, version=version)


@transaction.atomic
def notification_mark_read(*, actor, notification_id: int) -> Notification:
    notification = Notification.objects.select_for_update().get(pk=notification_id)
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("This notification is not yours.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
