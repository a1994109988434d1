"""Desk alerts: each condition raised once, its people notified once, resolved when it clears."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import ActivityEvent, Claim, DeskAlert, EmailDelivery, Evidence, Notification
from claims.monitoring.alerts import alerts_scan
from sources.models import Feed, Source
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _claim(creator, *, status="new", days_old=0, assignee=None, **fields) -> Claim:
    claim = Claim.objects.create(text=f"Claim logged {days_old} days ago", claimant="Someone",
                                 created_by=creator, status=status, assignee=assignee, **fields)
    Claim.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return claim


def _kinds() -> list[tuple[str, int | None]]:
    return sorted(DeskAlert.objects.filter(resolved_at__isnull=True).values_list("kind", "claim_id"))


def test_a_stale_claim_is_raised_once_and_its_assignee_told_once(editor, editor2, settings):
    settings.ALERT_STALE_DAYS = 7
    stale = _claim(editor, days_old=10, assignee=editor2)
    fresh = _claim(editor, days_old=10)
    ActivityEvent.objects.create(actor=editor, verb="note_added", claim=fresh)  # activity today
    _claim(editor, days_old=3)

    first = alerts_scan()
    second = alerts_scan()  # the condition lasts: nothing new

    assert (first.raised, second.raised, second.open) == (1, 0, 1)
    assert _kinds() == [("stale_claim", stale.pk)]
    notes = Notification.objects.filter(verb="alert_stale_claim")
    assert [(n.recipient, n.claim_id) for n in notes] == [(editor2, stale.pk)]
    assert EmailDelivery.objects.filter(notification__in=notes).count() == 1


def test_an_alert_resolves_when_its_condition_clears_and_can_be_raised_again(editor, settings):
    settings.ALERT_STALE_DAYS = 7
    claim = _claim(editor, days_old=10)
    alerts_scan()
    ActivityEvent.objects.create(actor=editor, verb="note_added", claim=claim)
    result = alerts_scan()
    assert result.resolved == 1 and _kinds() == []
    ActivityEvent.objects.filter(claim=claim).update(at=timezone.now() - timedelta(days=8))
    assert alerts_scan().raised == 1
    assert DeskAlert.objects.filter(claim=claim).count() == 2  # the history keeps both


def test_a_claim_assigned_to_someone_who_left_tells_the_reviewers(editor, reviewer):
    gone = UserFactory(username="gwen", groups=["Editor"])
    claim = _claim(editor, assignee=gone, status="researching")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    alerts_scan()
    assert _kinds() == [("assignee_left", claim.pk)]
    assert list(Notification.objects.filter(verb="alert_assignee_left").values_list("recipient__username", flat=True)) == ["rita"]


def test_a_cited_source_that_changed_after_publication_tells_author_and_reviewer(editor, reviewer, settings):
    from tests.factories import SourceFactory, publish_claim, walk_claim_to

    claim = walk_claim_to(_claim(editor), "researching", actor=editor)
    source = SourceFactory(url="https://outlet.example/denial")
    Evidence.objects.create(claim=claim, source=source, stance="denies", added_by=editor)
    claim = publish_claim(claim, author=editor, reviewer=reviewer)
    checked_before = claim.published_at - timedelta(hours=1)
    Source.objects.filter(pk=source.pk).update(link_status="changed", link_checked_at=checked_before)
    assert alerts_scan().raised == 0  # a change seen before publication was the editors' to see
    Source.objects.filter(pk=source.pk).update(link_checked_at=timezone.now())
    alerts_scan()
    assert _kinds() == [("source_changed", claim.pk)]
    told = set(Notification.objects.filter(verb="alert_source_changed").values_list("recipient__username", flat=True))
    assert told == {"erin", "rita"}
    Source.objects.filter(pk=source.pk).update(link_status="gone")
    result = alerts_scan()  # vanished now: a new, graver condition
    assert (result.raised, result.resolved) == (1, 1)


def test_a_feed_failing_for_a_day_is_raised(editor, reviewer, settings):
    now = timezone.now()
    failing = Feed.objects.create(url="https://feeds.example/a.xml", title="Agency wire",
                                  consecutive_failures=30, last_error="HTTP 503", last_error_at=now,
                                  last_success_at=now - timedelta(hours=30))
    Feed.objects.create(url="https://feeds.example/b.xml", consecutive_failures=2, last_error="timeout",
                        last_error_at=now, last_success_at=now - timedelta(hours=2))
    alerts_scan()
    alerts = DeskAlert.objects.filter(resolved_at__isnull=True)
    assert [(a.kind, a.feed_id) for a in alerts] == [("feed_failing", failing.pk)]
    assert "Agency wire" in alerts[0].message and "HTTP 503" in alerts[0].message


def test_the_dashboard_lists_open_alerts(editor_client, editor, settings):
    settings.ALERT_STALE_DAYS = 7
    claim = _claim(editor, days_old=30)
    alerts_scan()
    html = editor_client.get("/dashboard/").content.decode()
    assert "Alerts" in html and f"Claim #{claim.pk} has had no activity" in html
