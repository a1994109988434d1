"""The weekly digest of claims spreading again: assembled per week with counts of new items,
emailed to the desk once a week however often it runs, and listed on a page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from claims import services
from claims.corroboration import resurfacing
from claims.models import EmailDelivery, Notification, Rating, ResurfacedItem, ResurfacingDigest
from claims.monitoring import digest
from claims.monitoring.tasks import resurfacing_digest
from tests.coverage.helpers import SUPPORTING_STORY, make_document
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to

pytestmark = pytest.mark.django_db

WEEK = date(2026, 11, 16)  # a Monday


def _published_false(editor, reviewer, text: str, rating: str = "False"):
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    claim = walk_claim_to(make_claim(editor, text=text), "researching", actor=editor)
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="denies",
                          speaker="A party", speaker_is_party=True, quote="Untrue")
    return publish_claim(claim, author=editor, reviewer=reviewer, rating=Rating.objects.get(label=rating))


def _items(claim, count: int, *, at: datetime) -> None:
    for n in range(count):
        item = ResurfacedItem.objects.create(claim=claim, relevance=0.8, document=make_document(
            title=f"Story {claim.pk}-{n}-{at:%j}", text="Something said again."))
        ResurfacedItem.objects.filter(pk=item.pk).update(found_at=at + timedelta(hours=n))


@pytest.fixture(autouse=True)
def fresh_index():
    resurfacing._index = None
    yield
    resurfacing._index = None


@pytest.fixture
def week_of_items(editor, reviewer):
    aid = _published_false(editor, reviewer, "Russia asked China for military assistance.")
    vaccine = _published_false(editor, reviewer, "The vaccine changes your DNA.", rating="Misleading")
    quiet = _published_false(editor, reviewer, "The moon landing was staged.")
    monday = datetime.combine(WEEK, datetime.min.time(), tzinfo=UTC)
    _items(aid, 1, at=monday + timedelta(days=1))
    _items(vaccine, 3, at=monday + timedelta(days=6, hours=20))
    _items(quiet, 2, at=monday - timedelta(hours=3))  # the Sunday before: another week
    _items(aid, 1, at=monday + timedelta(days=7))  # the next Monday: another week
    return aid, vaccine, quiet


def test_it_assembles_the_weeks_claims_with_their_new_items_most_first(week_of_items):
    aid, vaccine, _quiet = week_of_items
    rows = digest.resurfacing_week(week_start=WEEK)
    assert [(r.claim_id, r.items, r.rating) for r in rows] == [(vaccine.pk, 3, "Misleading"), (aid.pk, 1, "False")]


def test_it_emails_the_desk_once_a_week_however_often_it_runs(week_of_items, editor, editor2, reviewer, outsider):
    now = datetime.combine(WEEK + timedelta(days=8), datetime.min.time(), tzinfo=UTC)  # Tuesday after
    sent = digest.resurfacing_digest_send(now=now)
    again = digest.resurfacing_digest_send(now=now + timedelta(hours=1))

    assert sent is not None and again is None
    assert (sent.week_start, sent.claims, sent.items) == (WEEK, 2, 4)
    told = set(Notification.objects.filter(verb="resurfacing_digest").values_list("recipient__username", flat=True))
    assert told == {editor.username, editor2.username, reviewer.username}  # not the outsider
    message = Notification.objects.filter(verb="resurfacing_digest").first().message
    assert "Week of 16 Nov 2026: 2 claims" in message and "4 new items" in message
    assert "/dashboard/resurfacing/?week=2026-11-16" in message
    assert EmailDelivery.objects.filter(notification__verb="resurfacing_digest").count() == 3
    assert ResurfacingDigest.objects.count() == 1


def test_the_beat_task_sends_the_week_just_ended_then_says_already_sent(editor, reviewer):
    claim = _published_false(editor, reviewer, "Russia asked China for military assistance.")
    resurfacing.documents_resurface(document_ids=[make_document(**SUPPORTING_STORY).pk])
    ResurfacedItem.objects.filter(claim=claim).update(found_at=datetime.now(UTC) - timedelta(days=7))

    first = resurfacing_digest.apply().get()
    assert first.startswith("week of ") and "1 claims, 1 new items" in first
    assert resurfacing_digest.apply().get() == "already sent"
    assert Notification.objects.filter(verb="resurfacing_digest").count() == 2  # editor, reviewer


def test_a_quiet_week_is_recorded_and_tells_nobody(editor):
    assert digest.resurfacing_digest_send(week_start=WEEK) is not None
    assert digest.resurfacing_digest_send(week_start=WEEK) is None
    assert not Notification.objects.exists()


def test_the_page_lists_a_week_and_links_the_weeks_around_it(
        client, editor, week_of_items, django_assert_num_queries):
    aid, vaccine, quiet = week_of_items
    client.force_login(editor)
    with django_assert_num_queries(9):  # session, user, permissions, rows, ratings, digest, unread count
        html = client.get("/dashboard/resurfacing/?week=2026-11-18").content.decode()  # a Wednesday
    assert "week of 16 Nov 2026 to 22 Nov 2026" in html
    assert f'href="/claims/{vaccine.pk}/"' in html and f'href="/claims/{aid.pk}/"' in html
    assert f'href="/claims/{quiet.pk}/"' not in html
    assert html.index(f"/claims/{vaccine.pk}/") < html.index(f"/claims/{aid.pk}/")
    assert "?week=2026-11-09" in html and "?week=2026-11-23" in html
    assert "No digest was sent for this week." in html
    empty = client.get("/dashboard/resurfacing/?week=nonsense").content.decode()
    assert "No claim we published as false spread again this week." in empty and "so far" in empty


@pytest.mark.parametrize("persona, status", [("editor", 200), ("reviewer", 200), ("outsider", 403),
                                             ("anonymous", 302)])
def test_who_may_see_the_page(client, request, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get("/dashboard/resurfacing/").status_code == status
