"""Which changes record which webhook events, in the change's own transaction."""

from __future__ import annotations

import pytest

from claims import services
from claims.models import (
    ActivityVerb,
    ClaimStatus,
    CoverageSuggestion,
    WebhookDelivery,
    WebhookEvent,
)
from claims.webhooks.events import (
    event_types_for,
    webhook_sources_changed,
    webhook_suggestions_created,
)
from tests.factories import SourceFactory, make_claim, publish_claim
from tests.webhooks.conftest import deliveries_of, subscribe

pytestmark = pytest.mark.django_db

ALL = ["claim.created", "claim.status_changed", "claim.published", "claim.corrected",
       "claim.taken_down", "suggestion.created", "source.changed"]


@pytest.mark.parametrize("verb, details, expected", [
    (ActivityVerb.LOGGED, {}, ["claim.created"]),
    (ActivityVerb.TRIAGED, {"from_status": "new", "to_status": "triaged"}, ["claim.status_changed"]),
    (ActivityVerb.PUBLISHED, {"from_status": "in_review", "to_status": "published"}, ["claim.status_changed"]),
    (ActivityVerb.SUBMITTED_FOR_REVIEW, {"from_status": "published", "to_status": "in_review"},
     ["claim.status_changed", "claim.taken_down"]),
    (ActivityVerb.VERDICT_APPROVED, {"version": 1}, ["claim.published"]),
    (ActivityVerb.CORRECTION_APPROVED, {"version": 2}, ["claim.corrected"]),
    (ActivityVerb.CORRECTION_APPROVED, {"version": 2, "republished": True}, ["claim.published", "claim.corrected"]),
    (ActivityVerb.NOTE_ADDED, {}, []),
    (ActivityVerb.EDITED, {"changes": {}}, []),
])
def test_it_maps_activity_to_event_types(verb, details, expected):
    assert event_types_for(verb, details) == expected


def test_it_records_nothing_without_subscribers(editor, django_assert_num_queries):
    claim = make_claim(editor)
    assert WebhookEvent.objects.count() == 0
    # An activity row costs one query for the subscribers, and nothing more.
    from claims.activity import activity_record

    with django_assert_num_queries(2):  # the activity row, the subscriber lookup
        activity_record(actor=editor, verb=ActivityVerb.TRIAGED, claim=claim,
                        from_status="new", to_status="triaged")


def test_a_new_claim_records_one_event_and_one_delivery_per_subscriber(editor, editor2, receiver):
    first = subscribe(editor, receiver.url("/hook"), ["claim.created"])
    second = subscribe(editor2, receiver.url("/hook"), ["claim.created", "claim.published"])
    other = subscribe(editor2, receiver.url("/hook"), ["claim.published"])
    paused = subscribe(editor, receiver.url("/hook"), ["claim.created"])
    paused.is_active = False
    paused.save()

    claim = make_claim(editor, text="The bridge was built in 1901.")

    event = WebhookEvent.objects.get()
    assert event.type == "claim.created"
    assert event.claim_id == claim.pk
    assert event.uid.startswith("msg_")
    assert event.payload["type"] == "claim.created"
    data = event.payload["data"]
    assert data["claim"]["id"] == claim.pk
    assert data["claim"]["status"] == "new"
    assert data["claim"]["text"] == "The bridge was built in 1901."
    assert data["claim"]["url"].endswith(f"/claims/{claim.pk}/")
    assert data["claim"]["public_url"] is None
    assert data["actor"] == editor.username
    rows = WebhookDelivery.objects.order_by("subscription_id")
    assert [d.subscription_id for d in rows] == [first.pk, second.pk]
    assert not deliveries_of(other) and not deliveries_of(paused)
    # Queued with the change: the follow-up ticket is set in the same transaction.
    assert all(d.state == "pending" and d.queued_at is not None for d in rows)


def test_publishing_records_status_change_and_published_with_the_verdict(editor, reviewer, receiver,
                                                                         research_claim):
    subscription = subscribe(editor, receiver.url("/hook"), ALL)
    claim = publish_claim(research_claim, author=editor, reviewer=reviewer)
    assert claim.status == ClaimStatus.PUBLISHED

    types = [d.event.type for d in deliveries_of(subscription)]
    assert types == ["claim.status_changed", "claim.status_changed", "claim.published"]
    published = deliveries_of(subscription, "claim.published")[0].event.payload["data"]
    assert published["claim"]["status"] == "published"
    assert published["claim"]["public_url"].endswith(f"/fact-checks/{claim.slug}/")
    assert published["verdict"]["rating"] == "Unproven"
    assert published["verdict"]["headline"] == "No public evidence for the request"
    assert published["actor"] == reviewer.username
    change = deliveries_of(subscription, "claim.status_changed")[-1].event.payload["data"]["change"]
    assert change == {"from_status": "in_review", "to_status": "published"}


def test_taking_down_and_correcting_a_published_claim(editor, reviewer, receiver, research_claim):
    from claims.reviewing import services as reviewing

    claim = publish_claim(research_claim, author=editor, reviewer=reviewer)
    subscription = subscribe(editor, receiver.url("/hook"), ["claim.taken_down", "claim.corrected",
                                                             "claim.published"])
    services.claim_change_status(actor=editor, claim_id=claim.pk, to_status="in_review")
    assert [d.event.type for d in deliveries_of(subscription)] == ["claim.taken_down"]
    taken = deliveries_of(subscription)[0].event.payload["data"]
    assert taken["claim"]["status"] == "in_review"
    assert taken["claim"]["public_url"] is None

    services.claim_change_status(actor=editor, claim_id=claim.pk, to_status="researching")
    version = reviewing.verdict_save_draft(
        actor=editor, claim_id=claim.pk, based_on_id=claim.verdict_versions.get().pk,
        rating=claim.verdict_versions.get().rating,
        headline="Corrected headline", summary_md="Corrected.", correction_note="Fixed a date.",
        cited_evidence_ids=[e.pk for e in claim.evidence.active()],
        denial_waiver_reason="No party has answered yet.",
    )
    reviewing.verdict_submit(actor=editor, version_id=version.pk)
    reviewing.verdict_approve(actor=reviewer, version_id=version.pk)
    types = [d.event.type for d in deliveries_of(subscription)]
    assert types == ["claim.taken_down", "claim.published", "claim.corrected"]
    corrected = deliveries_of(subscription, "claim.corrected")[0].event.payload["data"]
    assert corrected["verdict"]["headline"] == "Corrected headline"
    assert corrected["verdict"]["correction_note"] == "Fixed a date."


def test_suggestions_and_changed_sources_record_their_events(editor, receiver, research_claim):
    from sources.models import Document

    subscription = subscribe(editor, receiver.url("/hook"), ["suggestion.created", "source.changed"])
    document = Document.objects.create(canonical_url="https://news.example/aid", title="Aid story")
    suggestion = CoverageSuggestion.objects.create(claim=research_claim, document=document, relevance=0.5,
                                                   stance="supports", stance_confidence=0.8)
    webhook_suggestions_created([(research_claim.pk, document.pk)])
    source = SourceFactory(url="https://news.example/gone", link_status="gone")
    webhook_sources_changed([(research_claim.pk, source.pk)])

    suggested, changed = [d.event.payload for d in deliveries_of(subscription)]
    assert suggested["type"] == "suggestion.created"
    assert suggested["data"]["suggestion"]["id"] == suggestion.pk
    assert suggested["data"]["suggestion"]["document"]["url"] == "https://news.example/aid"
    assert changed["type"] == "source.changed"
    assert changed["data"]["source"] == {"id": source.pk, "url": "https://news.example/gone",
                                         "title": source.title, "link_status": "gone", "checked_at": None}


def test_a_rolled_back_change_leaves_no_event(editor, receiver):
    from django.db import transaction

    subscribe(editor, receiver.url("/hook"), ["claim.created"])
    with pytest.raises(RuntimeError), transaction.atomic():
        make_claim(editor)
        raise RuntimeError("the change fails after its activity row")
    assert WebhookEvent.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0
