"""The top bar's unread-notification count, on every page a desk user sees.

Lazy: the count is read only when a template shows it (htmx fragments never do), one
indexed query on (recipient, read_at)."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from claims.models import Notification
from claims.permissions import can_edit_claims


def unread_count(user) -> int:
    if not can_edit_claims(user):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications(request):
    user = getattr(request, "user", None)
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
        "notification_poll_seconds": int(getattr(settings, "NOTIFICATION_POLL_SECONDS", 30)),
    }
