"""The daily digest: one email per person per day with the notifications they take "in a
daily digest" (EmailPreference), gathered by beat after the day ends.

``digests_assemble`` makes at most one DigestDelivery per person and day (a unique pair),
attaches the notifications due, and queues it on commit; ``digest_delivery_send`` sends it
once (``workbench.followup``), outside any transaction.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from claims.followups import DIGEST_DELIVERY
from claims.models import DigestDelivery, EmailFrequency, Notification
from workbench.followup import followup_begin, followup_enqueue, followup_park

logger = logging.getLogger(__name__)


def _start_of_day(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def digests_assemble(*, now: datetime | None = None) -> int:
    """Gather yesterday's (and any older, unsent) digest notifications into one digest per
    person for yesterday. Safe to run any number of times: a person's digest for a day is
    made once, and a notification joins one digest. Returns how many digests were made."""
    today = _start_of_day(now or timezone.now())
    day = (today - timedelta(days=1)).date()
    due = Notification.objects.filter(email=EmailFrequency.DAILY, digest__isnull=True, created_at__lt=today)
    made = []
    for user_id in sorted(set(due.values_list("recipient_id", flat=True))):
        digest, created = DigestDelivery.objects.get_or_create(user_id=user_id, day=day)
        if not created:
            continue  # already gathered for this day: what remains waits for the next one
        due.filter(recipient_id=user_id).update(digest=digest)
        made.append(digest.pk)
    followup_enqueue(DIGEST_DELIVERY, made)
    if made:
        logger.info("digests: %d assembled for %s", len(made), day)
    return len(made)


def digest_email(digest: DigestDelivery, notifications: list[Notification]) -> tuple[str, str]:
    from claims.discussion.notify import notification_path

    base = settings.NEWSROOM_URL.rstrip("/")
    count = len(notifications)
    subject = f"[{settings.NEWSROOM_NAME}] Your daily digest: {count} notification{'s' if count != 1 else ''}"
    lines = [f"Hello {digest.user.get_username()},", "", f"What happened on {digest.day:%d %b %Y}:", ""]
    for n in notifications:
        lines.append(f"- {n.message}")
        lines.append(f"  {base}{notification_path(n)}")
    lines += ["", f"All your notifications: {base}/notifications/",
              f"Choose what you get by email: {base}/settings/notifications/", ""]
    return subject, "\n".join(lines)


@shared_task(bind=True, name="claims.discussion.digests.digest_delivery_send",
             soft_time_limit=60, time_limit=90, max_retries=5)
def digest_delivery_send(self, delivery_id: int, ticket: str | None = None) -> str:
    if not followup_begin(DIGEST_DELIVERY, [delivery_id], ticket):
        return "not pending"
    digest = DigestDelivery.objects.select_related("user").filter(pk=delivery_id).first()
    if digest is None:
        return "gone"
    notifications = list(digest.notifications.order_by("created_at", "pk"))
    if not digest.user.email or not digest.user.is_active or not notifications:
        DigestDelivery.objects.filter(pk=delivery_id).update(
            state=DigestDelivery.State.SKIPPED, last_error="No address, inactive, or nothing to send.")
        return "skipped"
    subject, body = digest_email(digest, notifications)
    try:
        send_mail(subject, body, None, [digest.user.email])
    except smtplib.SMTPException as exc:
        followup_park(DIGEST_DELIVERY, [delivery_id], f"{type(exc).__name__}: {exc}"[:2000])
        return "failed"
    except OSError as exc:  # the server is unreachable: the sweep queues it again
        DigestDelivery.objects.filter(pk=delivery_id).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return "will retry"
    DigestDelivery.objects.filter(pk=delivery_id, state=DigestDelivery.State.PENDING).update(
        state=DigestDelivery.State.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


@shared_task(name="claims.discussion.digests.digests_assemble_task", soft_time_limit=120, time_limit=180)
def digests_assemble_task() -> int:
    """Beat, hourly: see ``digests_assemble`` (hourly so a missed run is made up soon)."""
    return digests_assemble()
