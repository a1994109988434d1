"""Resurfacing: new coverage that repeats a claim we published as false raises one "spreading
again" alert for the claim, tells its assignee and the desk, and never reports an item twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims import services
from claims.corroboration import resurfacing
from claims.corroboration import tasks as corroboration_tasks
from claims.models import DeskAlert, EmailDelivery, Notification, Rating, ResurfacedItem
from claims.monitoring.alerts import alerts_scan
from sources.feeds import feed_add, feed_poll
from sources.models import Document
from tests.coverage.helpers import (
    MILITARY_AID_CLAIM,
    SUPPORTING_STORY,
    UNRELATED_STORY,
    make_document,
)
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to

pytestmark = pytest.mark.django_db

REPEAT = ("Viral posts again say Russia asked China for military assistance",
          "Posts shared thousands of times say Russia asked China for military assistance in Ukraine.")
UNRELATED = ("Paris festival draws crowds in the sunshine",
             "The weather in Paris was sunny today with temperatures reaching 25 degrees.")


def _published(editor, reviewer, *, rating: str, assignee=None):
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    claim = walk_claim_to(make_claim(editor, text=MILITARY_AID_CLAIM), "researching", actor=editor)
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="denies",
                          speaker="Chinese government", speaker_is_party=True, quote="Disinformation")
    if assignee is not None:
        services.claim_assign(actor=editor, claim_id=claim.pk, assignee=assignee)
    return publish_claim(claim, author=editor, reviewer=reviewer, rating=Rating.objects.get(label=rating))


@pytest.fixture(autouse=True)
def fresh_index():
    resurfacing._index = None
    yield
    resurfacing._index = None


@pytest.fixture
def news_feed(web_server, settings):
    """A feed on the local test server with one item repeating the claim and one unrelated."""
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    items = []
    for path, (title, lede) in {"/news/repeat": REPEAT, "/news/paris": UNRELATED}.items():
        url = web_server.add_route(path, f"<html><body><h1>{title}</h1><p>{lede}</p></body></html>",
                                   "text/html; charset=utf-8", 200)
        items.append(f"<item><title>{title}</title><link>{url}</link><description>{lede}</description></item>")
    return feed_add(url=web_server.add_route(
        "/feed.xml", "<?xml version='1.0'?><rss version='2.0'><channel><title>Local news</title>"
        + "".join(items) + "</channel></rss>", "application/rss+xml", 200), kind="rss")


def _poll_and_match(feed) -> list[int]:
    poll = feed_poll(feed_id=feed.pk)
    assert poll.status == "succeeded", poll.error
    ids = list(Document.objects.filter(feed=feed).values_list("pk", flat=True))
    corroboration_tasks.documents_match.apply(args=[ids]).get()  # what the worker runs next
    return ids


def test_a_new_feed_item_repeating_a_claim_published_false_raises_the_alert(
        news_feed, editor, editor2, reviewer):
    claim = _published(editor, reviewer, rating="False", assignee=editor2)

    _poll_and_match(news_feed)

    alert = DeskAlert.objects.get(kind="resurfacing", resolved_at__isnull=True)
    assert alert.claim_id == claim.pk and alert.key == f"resurfacing:{claim.pk}"
    assert "published as false, is spreading again" in alert.message
    [item] = ResurfacedItem.objects.filter(alert=alert)
    assert item.document.title == REPEAT[0] and item.claim_id == claim.pk  # not the Paris story
    told = set(Notification.objects.filter(verb="alert_resurfacing", claim_id=claim.pk)
               .values_list("recipient__username", flat=True))
    assert told == {editor2.username, reviewer.username}
    assert EmailDelivery.objects.filter(notification__verb="alert_resurfacing", state="pending").count() == 2


def test_the_same_item_never_alerts_twice_and_new_items_join_the_open_alert(editor, editor2, reviewer):
    claim = _published(editor, reviewer, rating="Misleading", assignee=editor2)
    first = make_document(**SUPPORTING_STORY)

    assert resurfacing.documents_resurface(document_ids=[first.pk]) == 1
    assert resurfacing.documents_resurface(document_ids=[first.pk]) == 0
    second = make_document(title=REPEAT[0], text=REPEAT[1])
    assert resurfacing.documents_resurface(document_ids=[first.pk, second.pk]) == 1

    alert = DeskAlert.objects.get(kind="resurfacing")
    assert set(ResurfacedItem.objects.filter(claim=claim).values_list("alert_id", flat=True)) == {alert.pk}
    assert ResurfacedItem.objects.filter(claim=claim).count() == 2
    assert Notification.objects.filter(verb="alert_resurfacing").count() == 2  # raised once
    assert "published as misleading" in alert.message


def test_an_unrelated_item_raises_nothing(editor, reviewer):
    _published(editor, reviewer, rating="False")
    assert resurfacing.documents_resurface(document_ids=[make_document(**UNRELATED_STORY).pk]) == 0
    assert not DeskAlert.objects.filter(kind="resurfacing").exists()


@pytest.mark.parametrize("rating", ["True", "Unproven"])
def test_a_claim_published_with_another_rating_raises_nothing(editor, reviewer, rating):
    _published(editor, reviewer, rating=rating)
    assert resurfacing.documents_resurface(document_ids=[make_document(**SUPPORTING_STORY).pk]) == 0
    assert not ResurfacedItem.objects.exists() and not DeskAlert.objects.exists()


def test_an_open_claim_is_left_to_matching(editor):
    make_claim(editor, text=MILITARY_AID_CLAIM)
    assert resurfacing.documents_resurface(document_ids=[make_document(**SUPPORTING_STORY).pk]) == 0


def test_the_alert_scan_keeps_it_open_while_items_come_and_resolves_it_when_quiet(editor, reviewer, settings):
    claim = _published(editor, reviewer, rating="False")
    resurfacing.documents_resurface(document_ids=[make_document(**SUPPORTING_STORY).pk])
    alert = DeskAlert.objects.get(kind="resurfacing")

    alerts_scan()
    alert.refresh_from_db()
    assert alert.resolved_at is None

    settings.ALERT_RESURFACING_QUIET_DAYS = 3
    alerts_scan(now=timezone.now() + timedelta(days=4))
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    # Spreading once more: a new alert, with only the new item.
    resurfacing.documents_resurface(document_ids=[make_document(title=REPEAT[0], text=REPEAT[1]).pk])
    reopened = DeskAlert.objects.get(kind="resurfacing", resolved_at__isnull=True)
    assert reopened.pk != alert.pk and ResurfacedItem.objects.filter(alert=reopened).count() == 1
    assert reopened.claim_id == claim.pk


def test_the_claim_page_and_the_dashboard_show_it(editor_client, editor, reviewer):
    claim = _published(editor, reviewer, rating="False")
    resurfacing.documents_resurface(document_ids=[make_document(**SUPPORTING_STORY).pk])

    html = editor_client.get(f"/claims/{claim.pk}/checked-elsewhere/", HTTP_HX_REQUEST="true").content.decode()
    assert "Spreading again" in html and "1 new item since" in html
    assert SUPPORTING_STORY["title"][:40] in html
    dashboard = editor_client.get("/dashboard/").content.decode()
    assert "Spreading again" in dashboard and f'href="/claims/{claim.pk}/"' in dashboard
