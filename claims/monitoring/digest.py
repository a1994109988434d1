"""The weekly digest of claims spreading again: which claims we published as false or
misleading had new coverage in a week (Monday to Sunday, UTC), with how many new items.

``resurfacing_digest_send`` runs from beat every hour for the week just ended. Its
``ResurfacingDigest`` row, keyed by the week, is written in the same transaction as the
desk's notifications and their email deliveries, so a week is sent at most once however
often the task runs (a retry, a second beat).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from claims.followups import EMAIL_DELIVERY
from claims.models import (
    EmailDelivery,
    Notification,
    ResurfacedItem,
    ResurfacingDigest,
    VerdictState,
    VerdictVersion,
)
from workbench.followup import followup_enqueue

DIGEST_VERB = "resurfacing_digest"


@dataclass(frozen=True)
class ResurfacingRow:
    claim_id: int
    text: str
    rating: str
    items: int
    last_found: datetime


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(week_start: date) -> tuple[datetime, datetime]:
    start = datetime.combine(week_start, time.min, tzinfo=UTC)
    return start, start + timedelta(days=7)


def resurfacing_week(*, week_start: date) -> list[ResurfacingRow]:
    """The week's claims spreading again, most new items first, each with its current rating
    (two queries)."""
    start, end = week_bounds(week_start)
    rows = list(ResurfacedItem.objects.filter(found_at__gte=start, found_at__lt=end)
                .values("claim_id", "claim__text")
                .annotate(items=Count("pk"), last_found=Max("found_at"))
                .order_by("-items", "-last_found", "claim_id"))
    ratings = dict(VerdictVersion.objects.filter(state=VerdictState.APPROVED,
                                                 claim_id__in=[r["claim_id"] for r in rows])
                   .order_by("claim_id", "-number").distinct("claim_id")
                   .values_list("claim_id", "rating__label")) if rows else {}
    return [ResurfacingRow(r["claim_id"], r["claim__text"], ratings.get(r["claim_id"]) or "",
                           r["items"], r["last_found"]) for r in rows]


def desk_members():
    """Active editors and reviewers (whoever may change claims), and superusers."""
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(codename="change_claim", content_type__app_label="claims")
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__permissions__in=perms) | Q(user_permissions__in=perms))
            .distinct())


def digest_message(week_start: date, rows: list[ResurfacingRow]) -> str:
    items = sum(r.items for r in rows)
    url = settings.NEWSROOM_URL.rstrip("/") + reverse("dashboard:resurfacing") + f"?week={week_start:%Y-%m-%d}"
    named = "; ".join(f"#{r.claim_id} ({r.items})" for r in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    claims = f"{len(rows)} claim{'s' if len(rows) != 1 else ''}"
    return (f"Week of {week_start:%d %b %Y}: {claims} we published as false spread again, "
            f"{items} new item{'s' if items != 1 else ''}: {named}{more}. {url}")[:500]


@transaction.atomic
def resurfacing_digest_send(*, week_start: date | None = None,
                            now: datetime | None = None) -> ResurfacingDigest | None:
    """Tell the desk about the week's claims spreading again (by default the last full
    week). Returns the week's digest row, or None when that week was already sent."""
    now = now or timezone.now()
    week_start = week_start or week_start_of(now.astimezone(UTC).date()) - timedelta(days=7)
    digest, created = ResurfacingDigest.objects.get_or_create(week_start=week_start)
    if not created:
        return None
    rows = resurfacing_week(week_start=week_start)
    digest.claims, digest.items = len(rows), sum(r.items for r in rows)
    digest.save(update_fields=["claims", "items"])
    if rows:  # a quiet week sends nothing, but is recorded as done
        message = digest_message(week_start, rows)
        created_notifications = Notification.objects.bulk_create(
            [Notification(recipient=user, verb=DIGEST_VERB, message=message) for user in desk_members()])
        deliveries = EmailDelivery.objects.bulk_create(
            [EmailDelivery(notification=n) for n in created_notifications if n.recipient.email])
        followup_enqueue(EMAIL_DELIVERY, [d.pk for d in deliveries])
    return digest
