"""What the desk records for its webhook subscribers, inside the change's transaction.

``webhook_events_for_activity`` is called by ``activity_record`` for every activity row:
the row's verb and status change decide the event types (``event_types_for``). Where a
change writes no activity row, its service calls ``webhook_suggestions_created`` (coverage
matching) or ``webhook_sources_changed`` (desk alerts). Each event is one ``WebhookEvent``
with its payload fixed now, and one ``WebhookDelivery`` per active subscription to its
type; the deliveries are queued on commit (``workbench.followup``). With no subscriber to
a type, nothing is written and the cost is one query.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    ActivityVerb,
    Claim,
    ClaimStatus,
    VerdictState,
    VerdictVersion,
    WebhookDelivery,
    WebhookEvent,
    WebhookEventType,
    WebhookSubscription,
)


@dataclass(frozen=True)
class NewEvent:
    type: str
    claim_id: int | None
    data: dict[str, Any]


def event_types_for(verb: str, details: dict) -> list[str]:
    """The event types an activity row means: the one place verbs map to events."""
    types: list[str] = []
    if verb == ActivityVerb.LOGGED:
        types.append(WebhookEventType.CLAIM_CREATED)
    before, after = details.get("from_status"), details.get("to_status")
    if before and after and before != after:
        types.append(WebhookEventType.CLAIM_STATUS_CHANGED)
        if before == ClaimStatus.PUBLISHED:
            types.append(WebhookEventType.CLAIM_TAKEN_DOWN)
    # Published once the approved verdict is in place (the status moves a moment earlier,
    # before the public address exists): a first approval, or one that brings a claim that
    # was taken down back to the public pages.
    if verb == ActivityVerb.VERDICT_APPROVED or (verb == ActivityVerb.CORRECTION_APPROVED
                                                 and details.get("republished")):
        types.append(WebhookEventType.CLAIM_PUBLISHED)
    if verb == ActivityVerb.CORRECTION_APPROVED:
        types.append(WebhookEventType.CLAIM_CORRECTED)
    return types


def _absolute(path: str) -> str:
    return settings.NEWSROOM_URL.rstrip("/") + path


def claim_data(claim: Claim) -> dict[str, Any]:
    public = claim.status == ClaimStatus.PUBLISHED and bool(claim.slug)
    return {
        "id": claim.pk,
        "status": claim.status,
        "text": claim.text,
        "claimant": claim.claimant,
        "revision": claim.revision,
        "url": _absolute(reverse("claims:claim_detail", args=[claim.pk])),
        "public_url": _absolute(reverse("public:detail", args=[claim.slug])) if public else None,
        "published_at": claim.published_at.isoformat() if claim.published_at else None,
    }


def verdict_data(claim: Claim) -> dict[str, Any] | None:
    version = (VerdictVersion.objects.filter(claim=claim, state=VerdictState.APPROVED)
               .select_related("rating").order_by("-number").first())
    if version is None:
        return None
    return {
        "version": version.number,
        "rating": version.rating.label,
        "rating_value": version.rating.rating_value,
        "headline": version.headline,
        "correction_note": version.correction_note,
        "published_at": version.published_at.isoformat() if version.published_at else None,
    }


def _subscribers(types: Iterable[str]) -> dict[str, list[int]]:
    """Active subscription ids by event type, for these types only."""
    wanted = set(types)
    found: dict[str, list[int]] = {}
    rows = WebhookSubscription.objects.filter(is_active=True).values_list("pk", "events")
    for pk, events in rows:
        for name in wanted.intersection(events or ()):
            found.setdefault(name, []).append(pk)
    return found


def payload_for(event_type: str, data: dict[str, Any], *, at=None) -> dict[str, Any]:
    moment = at or timezone.now()
    return {"type": event_type, "timestamp": moment.isoformat().replace("+00:00", "Z"), "data": data}


def new_uid() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def webhook_events_record(events: Sequence[NewEvent], subscribers: dict[str, list[int]]) -> list[WebhookDelivery]:
    """Write the events and one delivery per subscriber, queued once this transaction commits."""
    from claims.followups import WEBHOOK_DELIVERY
    from workbench.followup import followup_enqueue

    events = [e for e in events if subscribers.get(e.type)]
    if not events:
        return []
    now = timezone.now()
    rows = WebhookEvent.objects.bulk_create([
        WebhookEvent(uid=new_uid(), type=e.type, claim_id=e.claim_id, payload=payload_for(e.type, e.data, at=now))
        for e in events
    ])
    deliveries = WebhookDelivery.objects.bulk_create([
        WebhookDelivery(event=row, subscription_id=pk)
        for row, e in zip(rows, events, strict=True) for pk in subscribers[e.type]
    ])
    followup_enqueue(WEBHOOK_DELIVERY, [d.pk for d in deliveries])
    return deliveries


def webhook_events_for_activity(*, verb: str, details: dict, claim_id: int | None, actor) -> None:
    """The events one activity row means, recorded with it (see ``event_types_for``)."""
    if claim_id is None:
        return
    types = event_types_for(verb, details)
    if not types:
        return
    subscribers = _subscribers(types)
    if not subscribers:
        return
    claim = Claim.objects.get(pk=claim_id)  # as it is now: the caller's copy may be stale
    events = []
    for event_type in types:
        if event_type not in subscribers:
            continue
        data: dict[str, Any] = {"claim": claim_data(claim),
                                "actor": actor.get_username() if getattr(actor, "is_authenticated", False) else None}
        if event_type in (WebhookEventType.CLAIM_STATUS_CHANGED, WebhookEventType.CLAIM_TAKEN_DOWN):
            data["change"] = {"from_status": details.get("from_status"), "to_status": details.get("to_status")}
        if event_type in (WebhookEventType.CLAIM_PUBLISHED, WebhookEventType.CLAIM_CORRECTED):
            data["verdict"] = verdict_data(claim)
        events.append(NewEvent(event_type, claim.pk, data))
    webhook_events_record(events, subscribers)


def webhook_suggestions_created(pairs: Iterable[tuple[int, int]]) -> None:
    """``suggestion.created`` for each (claim, document) pair just suggested."""
    from claims.models import CoverageSuggestion

    pairs = set(pairs)
    if not pairs:
        return
    subscribers = _subscribers([WebhookEventType.SUGGESTION_CREATED])
    if not subscribers:
        return
    suggestions = (CoverageSuggestion.objects
                   .filter(claim_id__in={c for c, _ in pairs}, document_id__in={d for _, d in pairs})
                   .select_related("claim", "document").order_by("pk"))
    events = [
        NewEvent(WebhookEventType.SUGGESTION_CREATED, s.claim_id, {
            "claim": claim_data(s.claim),
            "suggestion": {
                "id": s.pk,
                "stance": s.stance,
                "relevance": round(s.relevance, 4),
                "url": _absolute(reverse("coverage:claim_coverage", args=[s.claim_id])),
                "document": {"url": s.document.canonical_url, "title": s.document.title,
                             "published_at": s.document.published_at.isoformat()
                             if s.document.published_at else None},
            },
        })
        for s in suggestions if (s.claim_id, s.document_id) in pairs
    ]
    webhook_events_record(events, subscribers)


def webhook_sources_changed(pairs: Iterable[tuple[int, int]]) -> None:
    """``source.changed`` for each (published claim, cited source) found changed or gone."""
    from sources.models import Source

    pairs = sorted(set(pairs))
    if not pairs:
        return
    subscribers = _subscribers([WebhookEventType.SOURCE_CHANGED])
    if not subscribers:
        return
    claims = Claim.objects.in_bulk({c for c, _ in pairs})
    sources = Source.objects.in_bulk({s for _, s in pairs})
    events = [
        NewEvent(WebhookEventType.SOURCE_CHANGED, claim_id, {
            "claim": claim_data(claims[claim_id]),
            "source": {"id": source_id, "url": sources[source_id].url, "title": sources[source_id].title,
                       "link_status": sources[source_id].link_status,
                       "checked_at": sources[source_id].link_checked_at.isoformat()
                       if sources[source_id].link_checked_at else None},
        })
        for claim_id, source_id in pairs if claim_id in claims and source_id in sources
    ]
    webhook_events_record(events, subscribers)
