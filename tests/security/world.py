"""One of everything the desk shows, built through the services where they exist, so the
security tests can reach every page with real ids and put a payload in every text field."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from claims import services
from claims.models import (
    CoverageSuggestion,
    GatherRun,
    Note,
    Notification,
    Rating,
    VerdictVersion,
)
from claims.reviewing import services as reviewing
from sources.models import Feed, Outlet
from tests.exports.builders import snapshot_for
from tests.factories import SourceFactory, make_claim, walk_claim_to

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT}{ATTRIBUTE_BREAK}"
# What must never reach a page unescaped.
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror", "<img src=\"x\" onerror")


@dataclass
class World:
    claims: dict = field(default_factory=dict)
    published: object = None
    evidence: object = None
    source: object = None
    snapshot: object = None
    feed: object = None
    document: object = None
    suggestion: object = None
    draft: object = None
    submitted: object = None
    approved: object = None
    notification: object = None
    gather_run: object = None
    note: object = None
    comment: object = None
    prior_check: object = None
    webhook: object = None  # the editor's, with one failed delivery
    webhook_delivery: object = None
    saved_view: object = None


def text(label: str, payload: str) -> str:
    return f"{label} {payload}".strip()


def build_world(*, editor, editor2, reviewer, payload: str = "") -> World:
    """Claims in every status (a published one with a slug), evidence with an archived
    snapshot, notes, verdict versions in every state, a feed with a document, a coverage
    suggestion, a gather run and a notification. ``payload`` goes into every text field."""
    from tests.coverage.helpers import make_document

    world = World()
    outlet = Outlet.objects.create(name=text("Outlet", payload)[:200], domain="payload-outlet.example")

    def claim(label, status, **extra):
        made = make_claim(
            editor, text=text(f"{label} claim about military aid", payload),
            claimant=text(f"{label} claimant", payload), said_where=text("Press briefing", payload),
            tags=[text("tag", payload)[:50]], **extra,
        )
        return walk_claim_to(made, status, actor=editor)

    for status in ("new", "triaged", "researching", "in_review"):
        world.claims[status] = claim(status.title(), status)
    rejected = claim("Rejected", "triaged")
    world.claims["rejected"] = services.claim_reject(
        actor=editor, claim_id=rejected.pk, reason=text("Not checkable", payload))

    researching = world.claims["researching"]
    world.source = SourceFactory(
        url="https://news.example/payload-story", title=text("Source title", payload), outlet=outlet,
        description=text("Source description", payload),
    )
    world.snapshot = snapshot_for(world.source, body=f"<html><body>{payload} archived</body></html>".encode())
    world.evidence = services.evidence_add(
        actor=editor, claim_id=researching.pk, source=world.source, stance="supports",
        speaker=text("Speaker", payload), quote=text("Quoted words", payload),
        note=text("Internal evidence note", payload), stated_where=text("Interview", payload),
    )
    services.evidence_add(
        actor=editor, claim_id=researching.pk,
        source=SourceFactory(url="https://news.example/payload-denial", outlet=outlet,
                             title=text("Denial story", payload)),
        stance="denies", speaker=text("Denier", payload), speaker_is_party=True,
        quote=text("We deny it", payload),
    )
    world.note = services.note_add(actor=editor, claim_id=researching.pk, body=text("Desk note", payload))
    services.claim_assign(actor=editor, claim_id=researching.pk, assignee=editor2)

    rating = Rating.objects.filter(is_retired=False).order_by("order").first()
    verdict_fields = {
        "rating": rating,
        "headline": text("Verdict headline", payload),
        "summary_md": text("**Summary** [link](javascript:alert(1))", payload),
        "reasoning": text("Internal reasoning", payload),
        "denial_waiver_reason": "",
        "correction_note": "",
    }

    # Published: drafted and submitted by an editor, approved by a reviewer.
    published = claim("Published", "researching")
    for evidence in researching.evidence.all():
        services.evidence_add(actor=editor, claim_id=published.pk, source=evidence.source,
                              stance=evidence.stance, speaker=evidence.speaker,
                              speaker_is_party=evidence.speaker_is_party, quote=evidence.quote,
                              note=evidence.note)
    version = reviewing.verdict_save_draft(
        actor=editor, claim_id=published.pk, based_on_id=None,
        cited_evidence_ids=[e.pk for e in published.evidence.all()], **verdict_fields)
    reviewing.verdict_submit(actor=editor, version_id=version.pk)
    world.approved = reviewing.verdict_approve(
        actor=reviewer, version_id=version.pk, comments=text("Reviewer comment", payload))
    published.refresh_from_db()
    world.published = published
    # The desk's discussion of a published claim: never public.
    services.comment_post(actor=editor, claim_id=published.pk, body=text("Desk comment", payload))
    # A correction in draft on the published claim: never public.
    reviewing.verdict_save_draft(
        actor=editor, claim_id=published.pk, based_on_id=world.approved.pk,
        cited_evidence_ids=[e.pk for e in published.evidence.all()],
        **{**verdict_fields, "headline": text("Draft correction headline", payload),
           "correction_note": text("Draft correction note", payload)})

    # Researching claim: a version submitted for review (this notifies reviewers).
    world.submitted = reviewing.verdict_submit(
        actor=editor, version_id=reviewing.verdict_save_draft(
            actor=editor, claim_id=researching.pk, based_on_id=None,
            cited_evidence_ids=[e.pk for e in researching.evidence.all()],
            **{**verdict_fields, "headline": text("Pending headline", payload)}).pk)
    world.draft = VerdictVersion.objects.filter(claim=published, state="draft").first()
    world.notification = (Notification.objects.filter(recipient=reviewer).first()
                          or Notification.objects.create(recipient=reviewer, verb="submitted",
                                                         message=text("Review me", payload),
                                                         claim=researching))
    Notification.objects.create(recipient=editor, verb="changes_requested",
                                message=text("Please revise", payload), claim=researching)

    world.feed = Feed.objects.create(url="https://feeds.example/rss.xml", title=text("Feed title", payload),
                                     outlet=outlet, last_error=text("Feed error", payload))
    world.document = make_document(
        title=text("Russia asked China for military aid: document", payload),
        summary=text("<b>Summary</b> with markup", payload),
        text=text("Russia asked China for military assistance, officials said.", payload),
        outlet=outlet, feed=world.feed, author=text("Author", payload)[:300],
    )
    world.suggestion = CoverageSuggestion.objects.create(
        claim=researching, document=world.document, relevance=0.9, stance="supports",
        stance_confidence=0.8,
    )
    world.gather_run = GatherRun.objects.create(
        claim=researching, requested_by=editor, status=GatherRun.Status.DONE,
        step=text("Matching", payload), error=text("Gather error", payload),
        finished_at=timezone.now(),
    )
    world.comment = services.comment_post(
        actor=editor, claim_id=researching.pk, body=text("Desk comment on research", payload))
    # Another publisher's fact-check of the researching claim, and that claim spreading again
    # (its items are the world's document), so "Checked elsewhere" has rows to show.
    from claims.models import DeskAlert, ResurfacedItem
    from sources.models import PriorFactCheck

    world.prior_check = PriorFactCheck.objects.create(
        url="https://checkers.example/russia-china-aid", fingerprint="c" * 64,
        publisher=text("Checker", payload)[:200], claim_reviewed=text(researching.text, payload),
        textual_rating=text("False", payload)[:300], normalised_rating="False", origin="feed",
    )
    alert = DeskAlert.objects.create(kind="resurfacing", key=f"resurfacing:{published.pk}",
                                     message=text("Spreading again", payload)[:500], claim=published)
    ResurfacedItem.objects.create(claim=published, document=world.document, alert=alert, relevance=0.9)
    from claims.models import WebhookDelivery, WebhookEvent, WebhookSubscription

    world.webhook = WebhookSubscription.objects.create(
        owner=editor, url="https://hooks.example/desk", events=["claim.published"],
        secret="whsec_d29ybGQ=", description=text("Webhook description", payload)[:200])
    event = WebhookEvent.objects.create(uid="msg_world", type="claim.published",
                                        payload={"type": "claim.published", "data": {"note": text("x", payload)}})
    world.webhook_delivery = WebhookDelivery.objects.create(
        event=event, subscription=world.webhook, state="failed", attempts=1, response_status=500,
        last_error=text("Receiver error", payload))
    world.saved_view = services.saved_view_create(
        actor=editor, name=text("My researching claims", payload)[:80], query="assignee=me&status=researching",
        pinned=True)
    assert Note.objects.filter(pk=world.note.pk).exists()
    return world
