"""What the webhook pages and the API list."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from claims.models import WebhookDelivery, WebhookSubscription

DELIVERIES_PER_PAGE = 25


def webhook_subscriptions_for_user(user) -> QuerySet[WebhookSubscription]:
    """The user's own subscriptions, each with how many deliveries wait or failed."""
    return (WebhookSubscription.objects.filter(owner=user)
            .annotate(waiting=Count("deliveries", filter=Q(deliveries__state="pending")),
                      failed=Count("deliveries", filter=Q(deliveries__state="failed")))
            .order_by("-created_at", "-id"))


def webhook_deliveries(subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    """A subscription's delivery log, newest first, with each event."""
    return (WebhookDelivery.objects.filter(subscription=subscription).select_related("event")
            .order_by("-created_at", "-id"))


def webhook_deliveries_page(subscription: WebhookSubscription, page: str | None) -> Page:
    return Paginator(webhook_deliveries(subscription), DELIVERIES_PER_PAGE).get_page(page)
