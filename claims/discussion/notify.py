"""Who hears about what on a claim, in the app (Notification rows) and by email.

Call these inside the service's transaction: the rows commit with the change, and each email
is queued once it has committed (an EmailDelivery row, ``workbench.followup``). The person
who acted is never told about their own action. Watchers (``ClaimWatch``) are the claim's
author and assignee, whoever comments on it or is mentioned there, and whoever pressed
"Watch".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from claims.followups import EMAIL_DELIVERY
from claims.models import (
    ClaimStatus,
    ClaimWatch,
    EmailDelivery,
    EmailFrequency,
    EmailPreference,
    Notification,
    NotificationKind,
    default_email,
)
from workbench.followup import followup_enqueue

Kind = NotificationKind
# Kinds whose page is the claim's discussion, or its verdict.
DISCUSSION_KINDS = {Kind.COMMENTED, Kind.MENTIONED}
VERDICT_KINDS = {Kind.AWAITING_REVIEW, Kind.APPROVED, Kind.CHANGES_REQUESTED}


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def watch(users: Iterable, *, claim_id: int) -> None:
    """These users watch the claim (already watching is fine)."""
    ClaimWatch.objects.bulk_create(
        [ClaimWatch(user_id=getattr(u, "pk", u), claim_id=claim_id) for u in users if u is not None],
        ignore_conflicts=True,
    )


def watchers(claim_id: int):
    return get_user_model().objects.filter(claim_watches__claim_id=claim_id, is_active=True)


def notifications_create(rows: list[Notification]) -> list[Notification]:
    """Save these notifications (recipient set, as objects) and send each by email as its
    recipient wants that kind: now (an EmailDelivery row, queued on commit), in the daily
    digest (``digests_assemble``), or never. Every notification is made through here."""
    if not rows:
        return []
    chosen = {
        (user_id, kind): frequency for user_id, kind, frequency in
        EmailPreference.objects.filter(user_id__in={n.recipient_id for n in rows})
        .values_list("user_id", "kind", "frequency")
    }
    for n in rows:
        n.email = chosen.get((n.recipient_id, n.verb)) or default_email(n.verb)
    created = Notification.objects.bulk_create(rows)
    deliveries = EmailDelivery.objects.bulk_create([
        EmailDelivery(notification=n) for n in created
        if n.email == EmailFrequency.IMMEDIATELY and n.recipient.email
    ])
    followup_enqueue(EMAIL_DELIVERY, [d.pk for d in deliveries])
    return created


def notify(recipients: Iterable, *, actor, kind: str, message: str, claim_id: int | None,
           version_id: int | None = None, count: int = 1) -> list[Notification]:
    people = {user.pk: user for user in recipients if user.pk != getattr(actor, "pk", None)}
    return notifications_create([
        Notification(recipient=user, verb=kind, message=message[:500], claim_id=claim_id,
                     version_id=version_id, count=count)
        for _, user in sorted(people.items())
    ])


def notify_mentioned(users, *, actor, claim) -> list[Notification]:
    watch(users, claim_id=claim.pk)
    return notify(users, actor=actor, kind=Kind.MENTIONED, claim_id=claim.pk,
                  message=f"{actor.get_username()} mentioned you in a comment on “{_excerpt(claim.text)}”.")


def notify_commented(comment, *, actor, claim, skip: Iterable = ()) -> list[Notification]:
    """The claim's watchers hear of a new comment, except those ``skip`` names (the people
    it mentions, who hear of the mention instead)."""
    skipped = {getattr(u, "pk", u) for u in skip}
    recipients = [u for u in watchers(claim.pk) if u.pk not in skipped]
    return notify(recipients, actor=actor, kind=Kind.COMMENTED, claim_id=claim.pk,
                  message=f"{actor.get_username()} commented on “{_excerpt(claim.text)}”.")


def notify_assigned(assignee, *, actor, claim) -> list[Notification]:
    watch([assignee], claim_id=claim.pk)
    return notify([assignee], actor=actor, kind=Kind.ASSIGNED, claim_id=claim.pk,
                  message=f"{actor.get_username()} assigned you “{_excerpt(claim.text)}”.")


def notify_status_changed(claim, *, actor, to_status: str, skip: Iterable = ()) -> list[Notification]:
    label = ClaimStatus(to_status).label.lower()
    skipped = {getattr(u, "pk", u) for u in skip}
    recipients = [u for u in watchers(claim.pk) if u.pk not in skipped]
    return notify(recipients, actor=actor, kind=Kind.STATUS_CHANGED, claim_id=claim.pk,
                  message=f"{actor.get_username()} moved “{_excerpt(claim.text)}” to {label}.")


def coverage_window() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "COVERAGE_NOTIFY_WINDOW_MINUTES", 60)))


def _coverage_message(count: int, text: str) -> str:
    items = "1 new coverage suggestion" if count == 1 else f"{count} new coverage suggestions"
    return f"{items} on “{_excerpt(text)}”."


@transaction.atomic
def notify_new_coverage(counts: dict[int, int]) -> int:
    """Watchers hear of new coverage suggestions, batched: while a watcher's notification
    about a claim's new coverage is unread and younger than the window, new suggestions
    add to its count instead of making another. Returns how many notifications were made."""
    from claims.models import Claim

    counts = {claim_id: n for claim_id, n in counts.items() if n > 0}
    if not counts:
        return 0
    since = timezone.now() - coverage_window()
    texts = dict(Claim.objects.filter(pk__in=counts).values_list("pk", "text"))
    made = 0
    for claim_id in sorted(texts):
        n = counts[claim_id]
        open_batches = {
            note.recipient_id: note for note in Notification.objects.select_for_update()
            .filter(verb=Kind.NEW_COVERAGE, claim_id=claim_id, read_at__isnull=True, created_at__gte=since)
        }
        fresh = []
        for user in watchers(claim_id):
            batch = open_batches.get(user.pk)
            if batch is None:
                fresh.append(user)
                continue
            batch.count += n
            batch.message = _coverage_message(batch.count, texts[claim_id])[:500]
            batch.save(update_fields=["count", "message"])
        made += len(notify(fresh, actor=None, kind=Kind.NEW_COVERAGE, claim_id=claim_id, count=n,
                           message=_coverage_message(n, texts[claim_id])))
    return made


def notification_path(notification: Notification) -> str:
    """Where a notification leads: the claim's discussion for comments and mentions, its
    verdict for verdict events, else the claim page; the notifications page without a claim."""
    if not notification.claim_id:
        return reverse("discussion:notifications")
    if notification.verb in DISCUSSION_KINDS:
        return reverse("discussion:comments", args=[notification.claim_id])
    if notification.verb in VERDICT_KINDS:
        return reverse("reviewing:verdict", args=[notification.claim_id])
    return reverse("claims:claim_detail", args=[notification.claim_id])
