"""Celery tasks for reviewing. Tasks take ids, reload rows and return early when done."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from claims.followups import EMAIL_DELIVERY
from claims.models import EmailDelivery, Notification
from workbench.followup import followup_begin, followup_park, followup_retry_ticket
from workbench.task_policy import backoff

MAX_RETRIES = 5
TRANSIENT_MAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    ConnectionError,
    TimeoutError,
    OSError,
)


def _email_for(notification: Notification) -> tuple[str, str]:
    base = settings.NEWSROOM_URL.rstrip("/")
    from claims.discussion.notify import notification_path

    link = base + notification_path(notification)
    subject = f"[{settings.NEWSROOM_NAME}] {notification.message}"[:200]
    body = (
        f"Hello {notification.recipient.get_username()},\n\n"
        f"{notification.message}\n\n"
        f"Open it: {link}\n"
        f"All your notifications: {base}/notifications/\n"
    )
    return subject, body


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


@shared_task(
    bind=True,
    name="claims.reviewing.tasks.email_delivery_send",
    max_retries=MAX_RETRIES,
    soft_time_limit=60,
    time_limit=90,
)
def email_delivery_send(self, delivery_id: int, ticket: str | None = None) -> str:
    """Send one notification's email, once, with no transaction open and no row locked.

    ``followup_begin`` admits one message per ticket (duplicates and stale redeliveries do
    nothing); the SMTP conversation is bounded by ``EMAIL_TIMEOUT``; the delivery row keeps
    the attempts, the last error and when it was sent.
    """
    if not followup_begin(EMAIL_DELIVERY, [delivery_id], ticket):
        return "not pending"
    delivery = (
        EmailDelivery.objects.select_related("notification__recipient").filter(pk=delivery_id).first()
    )
    if delivery is None:
        return "gone"
    recipient = delivery.notification.recipient
    if not recipient.email or not recipient.is_active:
        EmailDelivery.objects.filter(pk=delivery_id).update(
            state=EmailDelivery.State.SKIPPED, last_error="The recipient has no email address or is inactive."
        )
        return "no address"
    subject, body = _email_for(delivery.notification)
    try:
        send_mail(subject, body, None, [recipient.email])
    except smtplib.SMTPRecipientsRefused as exc:  # permanent: retrying will not help
        followup_park(EMAIL_DELIVERY, [delivery_id], _describe(exc))
        return "failed"
    except TRANSIENT_MAIL_ERRORS as exc:
        if self.request.retries >= MAX_RETRIES:
            followup_park(EMAIL_DELIVERY, [delivery_id], f"Gave up: {_describe(exc)}")
            return "failed"
        countdown = backoff(self.request.retries, base=10, cap=600)
        next_ticket = followup_retry_ticket(EMAIL_DELIVERY, [delivery_id], countdown=countdown)
        EmailDelivery.objects.filter(pk=delivery_id).update(last_error=_describe(exc))
        raise self.retry(exc=exc, countdown=countdown, kwargs={"ticket": next_ticket}) from exc
    except smtplib.SMTPException as exc:  # refused by the server for good (auth, policy)
        followup_park(EMAIL_DELIVERY, [delivery_id], _describe(exc))
        return "failed"
    EmailDelivery.objects.filter(pk=delivery_id, state=EmailDelivery.State.PENDING).update(
        state=EmailDelivery.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"
