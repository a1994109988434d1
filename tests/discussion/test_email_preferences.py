"""Email preferences per kind (immediately / daily digest / never), honoured when a
notification is made; the daily digest gathered once per person per day and sent once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.discussion.digests import digest_delivery_send, digests_assemble
from claims.models import (
    DigestDelivery,
    EmailDelivery,
    EmailPreference,
    Notification,
    NotificationKind,
)
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return make_claim(editor)


def test_by_default_mentions_come_at_once_and_comments_in_the_digest(editor, editor2, claim):
    services.comment_post(actor=editor2, claim_id=claim.pk, body="Looks fine to me.")
    services.comment_post(actor=editor2, claim_id=claim.pk, body="@erin one more thing")
    comment, mention = Notification.objects.filter(recipient=editor).order_by("pk")
    assert (comment.verb, comment.email) == ("commented", "daily")
    assert (mention.verb, mention.email) == ("mentioned", "immediately")
    assert list(EmailDelivery.objects.values_list("notification_id", flat=True)) == [mention.pk]


def test_preferences_are_honoured(editor, editor2, claim):
    services.email_preferences_set(actor=editor, choices={"commented": "immediately", "mentioned": "never"})
    services.comment_post(actor=editor2, claim_id=claim.pk, body="A comment")
    services.comment_post(actor=editor2, claim_id=claim.pk, body="@erin a mention")
    emailed = Notification.objects.filter(recipient=editor, email_delivery__isnull=False)
    assert list(emailed.values_list("verb", flat=True)) == ["commented"]
    assert Notification.objects.get(recipient=editor, verb="mentioned").email == "never"


def _daily_for(user, claim, *, when, n=1):
    rows = Notification.objects.bulk_create([
        Notification(recipient=user, verb="commented", message=f"Comment {i} on the claim", claim=claim,
                     email="daily") for i in range(n)
    ])
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=when)
    return rows


def test_the_digest_is_gathered_once_per_person_per_day(editor, editor2, claim):
    now = timezone.now()
    yesterday = now - timedelta(days=1)
    _daily_for(editor, claim, when=yesterday, n=3)
    _daily_for(editor2, claim, when=yesterday)
    today = _daily_for(editor, claim, when=now)
    assert digests_assemble(now=now) == 2
    assert digests_assemble(now=now) == 0  # beat runs hourly: nothing twice
    digest = DigestDelivery.objects.get(user=editor)
    assert digest.day == timezone.localtime(now).date() - timedelta(days=1)
    assert digest.notifications.count() == 3
    assert Notification.objects.get(pk=today[0].pk).digest is None  # tomorrow's digest


def test_a_digest_is_sent_once(editor, claim, settings):
    settings.NEWSROOM_URL = "https://desk.example"
    _daily_for(editor, claim, when=timezone.now() - timedelta(days=1), n=2)
    digests_assemble()
    digest = DigestDelivery.objects.get()
    assert digest_delivery_send.apply(args=[digest.pk]).result == "sent"
    assert digest_delivery_send.apply(args=[digest.pk]).result == "not pending"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [editor.email] and "2 notifications" in message.subject
    assert "Comment 1 on the claim" in message.body
    assert f"https://desk.example/claims/{claim.pk}/comments/" in message.body
    digest.refresh_from_db()
    assert digest.state == "sent" and digest.sent_at is not None


def test_the_preferences_page_saves_choices(editor_client, editor):
    url = reverse("discussion:email_preferences")
    html = editor_client.get(url).content.decode()
    assert 'name="commented"' in html and 'value="daily"' in html
    data = {kind: "immediately" for kind in NotificationKind.values if kind != NotificationKind.OTHER}
    data["new_coverage"] = "never"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert EmailPreference.objects.get(user=editor, kind="new_coverage").frequency == "never"
    assert editor_client.post(url, {"commented": "sometimes"}).status_code == 400


@pytest.mark.parametrize("persona", ["outsider", None])
def test_the_preferences_page_is_for_the_desk(client, persona, request):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("discussion:email_preferences"))
    assert response.status_code in (302, 403)
