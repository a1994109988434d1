"""Celery tasks for reviewing. Tasks take ids, reload rows and return early when done."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from claims.models import ActivityEvent, ActivityVerb, Notification

EMAILED_VERB = ActivityVerb.NOTIFICATION_EMAILED
TRANSIENT_MAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    ConnectionError,
    TimeoutError,
)


def _email_for(notification: Notification) -> tuple[str, str]:
    base = settings.NEWSROOM_URL.rstrip("/")
    link = f"{base}/claims/{notification.claim_id}/verdict/" if notification.claim_id else f"{base}/reviews/"
    subject = f"[{settings.NEWSROOM_NAME}] {notification.message}"[:200]
    body = (
        f"Hello {notification.recipient.get_username()},\n\n"
        f"{notification.message}\n\n"
        f"Open it: {link}\n"
        f"Everything awaiting you: {base}/reviews/\n"
    )
    return subject, body


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def notification_send_email(notification_id: int) -> str:
    """Email one notification to its recipient, once.

    The notification row is locked while sending and an ActivityEvent marks it as emailed,
    so a redelivered or duplicated task finds the marker and does nothing.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return "gone"
        if ActivityEvent.objects.filter(
            verb=EMAILED_VERB, details__notification_id=notification_id
        ).exists():
            return "already sent"
        if not notification.recipient.email or not notification.recipient.is_active:
            return "no address"
        subject, body = _email_for(notification)
        send_mail(subject, body, None, [notification.recipient.email])
        ActivityEvent.objects.create(
            actor=None, verb=EMAILED_VERB, claim=None,
            details={"notification_id": notification_id, "to": notification.recipient.get_username()},
        )
    return "sent"
