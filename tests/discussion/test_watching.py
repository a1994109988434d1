"""Watchers and what they hear: assignment, comments, mentions, status changes, batched new
coverage and changed sources; never their own action. The notifications page, its live
count, and Watch / Unwatch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.discussion.notify import notification_path, notify_new_coverage
from claims.models import ClaimWatch, EmailDelivery, Notification
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return make_claim(editor)


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("verb", flat=True))


def watcher_names(claim) -> list[str]:
    return sorted(ClaimWatch.objects.filter(claim=claim).values_list("user__username", flat=True))


def test_the_author_watches_and_the_assignee_hears_and_watches(editor, editor2, claim):
    assert watcher_names(claim) == ["erin"]
    services.claim_assign(actor=editor, claim_id=claim.pk, assignee=editor2)
    assert watcher_names(claim) == ["eddie", "erin"]
    assert kinds_for(editor2) == ["assigned"]
    assert "erin assigned you" in Notification.objects.get(recipient=editor2).message
    assert EmailDelivery.objects.filter(notification__recipient=editor2).count() == 1


def test_assigning_oneself_notifies_no_one(editor, claim):
    services.claim_assign(actor=editor, claim_id=claim.pk, assignee=editor)
    assert not Notification.objects.exists()


def test_watchers_hear_of_comments_and_the_mentioned_of_their_mention(editor, editor2, reviewer, claim):
    services.claim_assign(actor=editor, claim_id=claim.pk, assignee=editor2)
    Notification.objects.all().delete()
    services.comment_post(actor=reviewer, claim_id=claim.pk, body="Is the date right, @eddie?")
    assert kinds_for(editor) == ["commented"]  # the author watches
    assert kinds_for(editor2) == ["mentioned"]  # told once, of the mention
    assert kinds_for(reviewer) == []  # never of one's own comment
    assert "rita" in watcher_names(claim)  # commenting makes a watcher
    services.comment_post(actor=editor, claim_id=claim.pk, body="Yes, checked.")
    assert kinds_for(reviewer) == ["commented"]


def test_status_changes_reach_watchers_but_not_the_mover(editor, editor2, claim):
    services.claim_watch(actor=editor2, claim_id=claim.pk)
    services.claim_triage(actor=editor, claim_id=claim.pk)
    assert kinds_for(editor2) == ["status_changed"]
    assert "moved" in Notification.objects.get(recipient=editor2).message
    assert kinds_for(editor) == []


def test_unwatching_stops_the_notifications(editor, editor2, claim):
    services.claim_watch(actor=editor2, claim_id=claim.pk)
    services.claim_unwatch(actor=editor2, claim_id=claim.pk)
    services.claim_triage(actor=editor, claim_id=claim.pk)
    assert kinds_for(editor2) == []


def test_new_coverage_is_batched_per_claim_and_window(editor, editor2, claim, settings):
    settings.COVERAGE_NOTIFY_WINDOW_MINUTES = 60
    services.claim_watch(actor=editor2, claim_id=claim.pk)
    other = make_claim(editor2, text="Another claim entirely.")
    # erin (author) and eddie (watching) on the claim; eddie, its author, on the other.
    assert notify_new_coverage({claim.pk: 2, other.pk: 1}) == 3
    assert notify_new_coverage({claim.pk: 3}) == 0
    batch = Notification.objects.get(recipient=editor2, claim=claim)
    assert batch.verb == "new_coverage" and batch.count == 5
    assert batch.message.startswith("5 new coverage suggestions")
    assert Notification.objects.filter(recipient=editor, verb="new_coverage").count() == 1
    assert Notification.objects.get(recipient=editor2, claim=other).count == 1
    # Read it, and the next batch is a new notification.
    Notification.objects.filter(pk=batch.pk).update(read_at=timezone.now())
    notify_new_coverage({claim.pk: 1})
    assert Notification.objects.filter(recipient=editor2, claim=claim).count() == 2
    # An unread batch older than the window is left as it was, too.
    Notification.objects.filter(verb="new_coverage").update(created_at=timezone.now() - timedelta(hours=2))
    notify_new_coverage({claim.pk: 1})
    assert Notification.objects.filter(recipient=editor2, claim=claim, read_at__isnull=True).count() == 2


def test_a_changed_source_alert_reaches_the_watchers(editor, editor2, reviewer):
    from claims.monitoring.alerts import alerts_scan
    from tests.factories import SourceFactory, publish_claim, walk_claim_to

    claim = walk_claim_to(make_claim(editor), "researching", actor=editor)
    source = SourceFactory(url="https://news.example/cited")
    services.evidence_add(actor=editor, claim_id=claim.pk, source=source, stance="supports",
                          speaker="Officials", quote="It happened.")
    publish_claim(claim, author=editor, reviewer=reviewer)
    services.claim_watch(actor=editor2, claim_id=claim.pk)
    type(source).objects.filter(pk=source.pk).update(link_status="gone", link_checked_at=timezone.now())
    alerts_scan()
    assert "alert_source_changed" in kinds_for(editor2)


# --- Pages -----------------------------------------------------------------------------


def test_watch_and_unwatch_with_one_click(client, editor2, claim):
    client.force_login(editor2)
    url = reverse("discussion:claim_watch", args=[claim.pk])
    response = client.post(url, {"watch": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Unwatch" in response.content.decode()
    assert "eddie" in watcher_names(claim)
    response = client.post(url, {"watch": "0"})
    assert response.status_code == 302
    assert "eddie" not in watcher_names(claim)
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert 'id="watch-button"' in page and ">Watch</button>" in page


@pytest.mark.parametrize("persona", ["outsider", None])
def test_outsiders_cannot_watch(client, persona, request, claim):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("discussion:claim_watch", args=[claim.pk]), {"watch": "1"})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert reverse("login") in response["Location"]
    assert watcher_names(claim) == ["erin"]


def _notifications_for(user, claim, n):
    return Notification.objects.bulk_create([
        Notification(recipient=user, verb="commented", message=f"Comment {i}", claim=claim) for i in range(n)
    ])


def test_the_notifications_page_lists_pages_and_marks_read(client, editor2, claim,
                                                          django_assert_num_queries):
    client.force_login(editor2)
    _notifications_for(editor2, claim, 3)
    url = reverse("discussion:notifications")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "Comment 2" in html and "3 unread" in html
    _notifications_for(editor2, claim, 30)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert 'rel="next"' in html
    first = Notification.objects.filter(recipient=editor2).order_by("-created_at", "-pk").first()
    response = client.post(reverse("discussion:notification_mark_read", args=[first.pk]),
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "notification--unread" not in response.content.decode()
    response = client.post(reverse("discussion:notifications_mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=editor2, read_at__isnull=True).exists()


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(client, editor, editor2, claim):
    services.comment_post(actor=editor, claim_id=claim.pk, body="@eddie look here")
    mention = Notification.objects.get(recipient=editor2)
    client.force_login(editor2)
    response = client.get(reverse("discussion:notification_open", args=[mention.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("discussion:comments", args=[claim.pk])
    mention.refresh_from_db()
    assert mention.read_at is not None
    status = Notification(verb="status_changed", claim_id=claim.pk)
    assert notification_path(status) == reverse("claims:claim_detail", args=[claim.pk])
    assert notification_path(Notification(verb="approved", claim_id=claim.pk)) == \
        reverse("reviewing:verdict", args=[claim.pk])


def test_no_one_opens_another_persons_notification(client, editor, editor2, claim):
    services.comment_post(actor=editor, claim_id=claim.pk, body="@eddie look here")
    mention = Notification.objects.get(recipient=editor2)
    client.force_login(editor)
    response = client.get(reverse("discussion:notification_open", args=[mention.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("discussion:notifications")
    mention.refresh_from_db()
    assert mention.read_at is None


def test_the_top_bar_shows_the_unread_count_and_polls_for_it(client, editor, editor2, claim, settings):
    settings.NOTIFICATION_POLL_SECONDS = 7
    client.force_login(editor2)
    page = client.get(reverse("claims:claim_list")).content.decode()
    assert 'id="notification-count"' in page and 'hx-trigger="every 7s"' in page
    assert "count-badge" not in page
    services.comment_post(actor=editor, claim_id=claim.pk, body="@eddie and again")
    count = client.get(reverse("discussion:notification_count"), headers={"HX-Request": "true"})
    html = count.content.decode()
    assert 'data-unread="1"' in html and "<html" not in html
    page = client.get(reverse("claims:claim_list")).content.decode()
    assert 'data-unread="1"' in page


def test_the_email_links_where_the_notification_points(editor, editor2, claim, settings):
    from claims.reviewing.tasks import _email_for

    settings.NEWSROOM_URL = "https://desk.example"
    services.comment_post(actor=editor, claim_id=claim.pk, body="@eddie see this")
    subject, body = _email_for(Notification.objects.get(recipient=editor2))
    assert f"https://desk.example/claims/{claim.pk}/comments/" in body
    assert "mentioned you" in subject
