"""Desk alerts: find what needs attention, raise each condition once, notify its people.

Four conditions, each found by one query:

* a **stale claim**: open, with no activity for ``ALERT_STALE_DAYS`` days (default 7);
  its assignee is told, or whoever logged it when nobody is assigned;
* an **assignee who left**: an open claim assigned to a deactivated account; reviewers
  (who run the desk) are told, to reassign it;
* a **cited source changed or gone** after publication: a link check of a published
  claim's evidence, made after it was published, found the page changed or vanished; the
  author and the reviewer of its published verdict are told;
* (not found here) a claim **spreading again**: raised by ``claims.corroboration.resurfacing``
  when new coverage repeats a claim published as false; resolved here once quiet;
* a **feed failing for a day**: an active feed whose polls have failed for
  ``ALERT_FEED_FAILING_HOURS`` hours (default 24) with no success since; reviewers are told.

``alerts_scan`` runs from beat (hourly). Under an advisory lock it compares what it finds
with the open alerts: a new condition becomes a ``DeskAlert`` (a partial unique index on its
key makes a second open one impossible) and an in-app notification with an email delivery
for each person concerned (``workbench.followup``); a condition that cleared is resolved.
A condition that lasts is therefore raised and notified once, however often the scan runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from claims.corroboration.resurfacing import resurfacing_resolve_quiet
from claims.models import (
    OPEN_STATUSES,
    AlertKind,
    Claim,
    DeskAlert,
    Evidence,
    Notification,
    VerdictVersion,
)
from claims.webhooks.events import webhook_sources_changed
from sources.models import Feed

logger = logging.getLogger(__name__)

ADVISORY_NAMESPACE = 0x414C5254  # "ALRT"


@dataclass
class Finding:
    kind: str
    key: str
    message: str
    recipient_ids: set[int] = field(default_factory=set)
    claim_id: int | None = None
    source_id: int | None = None
    feed_id: int | None = None


@dataclass(frozen=True)
class ScanResult:
    raised: int
    resolved: int
    open: int


def stale_days() -> int:
    return int(getattr(settings, "ALERT_STALE_DAYS", 7))


def feed_failing_hours() -> int:
    return int(getattr(settings, "ALERT_FEED_FAILING_HOURS", 24))


def _desk_leads() -> set[int]:
    from claims.reviewing.notifications import reviewers

    return set(reviewers().values_list("pk", flat=True))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def find_stale_claims(now: datetime) -> list[Finding]:
    days = stale_days()
    claims = (Claim.objects.filter(status__in=OPEN_STATUSES)
              .annotate(last_activity=Greatest("created_at", Coalesce(Max("activity__at"), "created_at")))
              .filter(last_activity__lt=now - timedelta(days=days))
              .select_related("assignee", "created_by")
              .only("pk", "text", "assignee__is_active", "created_by__is_active"))
    findings = []
    for claim in claims:
        person = claim.assignee if claim.assignee and claim.assignee.is_active else claim.created_by
        findings.append(Finding(
            AlertKind.STALE_CLAIM, f"stale_claim:{claim.pk}",
            f"Claim #{claim.pk} has had no activity for {days} days or more: “{_short(claim.text)}”",
            {person.pk} if person and person.is_active else set(), claim_id=claim.pk,
        ))
    return findings


def find_assignees_who_left() -> list[Finding]:
    leads = _desk_leads()
    claims = (Claim.objects.filter(status__in=OPEN_STATUSES, assignee__is_active=False)
              .select_related("assignee").only("pk", "text", "assignee__username"))
    return [Finding(
        AlertKind.ASSIGNEE_LEFT, f"assignee_left:{claim.pk}:{claim.assignee_id}",
        f"Claim #{claim.pk} is assigned to {claim.assignee.get_username()}, who has left the desk; "
        f"reassign it: “{_short(claim.text)}”",
        leads, claim_id=claim.pk,
    ) for claim in claims]


def find_changed_sources() -> list[Finding]:
    evidence = (Evidence.objects.active()
                .filter(claim__status="published", claim__published_at__isnull=False,
                        source__link_status__in=["changed", "gone"])
                .filter(source__link_checked_at__gt=F("claim__published_at"))
                .select_related("source").only("claim_id", "source__id", "source__url", "source__title",
                                               "source__link_status"))
    pairs = {(e.claim_id, e.source.pk): e.source for e in evidence}
    people: dict[int, set[int]] = {}
    versions = (VerdictVersion.objects.filter(claim_id__in={c for c, _ in pairs}, state="approved")
                .values_list("claim_id", "author_id", "reviewed_by_id", "author__is_active",
                             "reviewed_by__is_active"))
    for claim_id, author, reviewer, author_active, reviewer_active in versions:
        concerned = people.setdefault(claim_id, set())
        if author_active:
            concerned.add(author)
        if reviewer and reviewer_active:
            concerned.add(reviewer)
    # And whoever watches the claim (its author, assignee, commenters, "Watch").
    from claims.models import ClaimWatch

    for claim_id, user_id in (ClaimWatch.objects.filter(claim_id__in={c for c, _ in pairs},
                                                        user__is_active=True)
                              .values_list("claim_id", "user_id")):
        people.setdefault(claim_id, set()).add(user_id)
    findings = []
    for (claim_id, source_id), source in sorted(pairs.items()):
        what = "has changed" if source.link_status == "changed" else "has vanished"
        findings.append(Finding(
            AlertKind.SOURCE_CHANGED, f"source_changed:{claim_id}:{source_id}:{source.link_status}",
            f"A source cited by published fact-check #{claim_id} {what} since publication: "
            f"{_short(source.title or source.url, 120)}",
            people.get(claim_id, set()), claim_id=claim_id, source_id=source_id,
        ))
    return findings


def find_failing_feeds(now: datetime) -> list[Finding]:
    hours = feed_failing_hours()
    since = now - timedelta(hours=hours)
    feeds = (Feed.objects.filter(is_active=True, consecutive_failures__gt=0, last_error_at__isnull=False)
             .filter(Q(last_success_at__lt=since) | Q(last_success_at__isnull=True, created_at__lt=since))
             .only("pk", "title", "url", "query", "last_error"))
    leads = _desk_leads()
    return [Finding(
        AlertKind.FEED_FAILING, f"feed_failing:{feed.pk}",
        f"Feed “{_short(feed.title or feed.url or feed.query, 80)}” has failed for {hours} hours or "
        f"more: {_short(feed.last_error, 200)}",
        leads, feed_id=feed.pk,
    ) for feed in feeds]


def alerts_find(now: datetime) -> list[Finding]:
    return [*find_stale_claims(now), *find_assignees_who_left(), *find_changed_sources(),
            *find_failing_feeds(now)]


def _notify(alerts_and_findings: list[tuple[DeskAlert, Finding]]) -> int:
    from django.contrib.auth import get_user_model

    recipients = {pk for _, f in alerts_and_findings for pk in f.recipient_ids}
    users = get_user_model().objects.in_bulk(recipients)
    from claims.discussion.notify import notifications_create

    created = notifications_create([
        Notification(recipient=users[pk], verb=f"alert_{alert.kind}", message=alert.message[:500],
                     claim_id=alert.claim_id)
        for alert, finding in alerts_and_findings for pk in sorted(finding.recipient_ids) if pk in users
    ])
    return len(created)


@transaction.atomic
def alerts_scan(*, now: datetime | None = None) -> ScanResult:
    now = now or timezone.now()
    with connection.cursor() as cursor:  # one scan at a time; held until this transaction ends
        cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [ADVISORY_NAMESPACE])
    findings = {f.key: f for f in alerts_find(now)}
    # "Spreading again" alerts are raised by the resurfacing pass, not found here; they
    # resolve once no new item has come for a while.
    open_alerts = dict(DeskAlert.objects.filter(resolved_at__isnull=True)
                       .exclude(kind=AlertKind.RESURFACING).values_list("key", "pk"))
    gone = [pk for key, pk in open_alerts.items() if key not in findings]
    resolved = DeskAlert.objects.filter(pk__in=gone).update(resolved_at=now)
    resolved += resurfacing_resolve_quiet(now=now)
    new = [f for key, f in findings.items() if key not in open_alerts]
    alerts = DeskAlert.objects.bulk_create([
        DeskAlert(kind=f.kind, key=f.key[:100], message=f.message[:500], claim_id=f.claim_id,
                  source_id=f.source_id, feed_id=f.feed_id)
        for f in new
    ])
    notified = _notify(list(zip(alerts, new, strict=True))) if alerts else 0
    webhook_sources_changed((f.claim_id, f.source_id) for f in new
                            if f.kind == AlertKind.SOURCE_CHANGED and f.claim_id and f.source_id)
    if alerts or resolved:
        logger.info("alerts: %d raised (%d notifications), %d resolved", len(alerts), notified, resolved)
    return ScanResult(raised=len(alerts), resolved=resolved, open=len(findings))


def open_alerts(limit: int = 50) -> list[DeskAlert]:
    return list(DeskAlert.objects.filter(resolved_at__isnull=True)
                .select_related("claim", "feed").order_by("kind", "-raised_at")[:limit])
