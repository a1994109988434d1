"""@mentions: parsed from the comment, recorded, and the person told once (in the app and by
email after commit); the suggestion list offers desk users only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import services
from claims.discussion.mentions import mentioned_usernames
from claims.models import ActivityEvent, EmailDelivery, Notification
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return make_claim(editor)


def test_it_reads_mentions_from_text():
    text = "Ask @eddie and @rita. Not ana@example.org, nor @ alone; @eddie again, (@Oscar)"
    assert mentioned_usernames(text) == ["eddie", "rita", "Oscar"]


def test_a_mention_tells_the_person_once_in_the_app_and_by_email(editor, editor2, claim,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        comment = services.comment_post(actor=editor, claim_id=claim.pk, body="@eddie can you check this?")
    assert list(comment.mentioned.all()) == [editor2]
    notification = Notification.objects.get()
    assert notification.recipient == editor2 and notification.verb == "mentioned"
    assert notification.claim_id == claim.pk
    assert "erin mentioned you" in notification.message
    delivery = EmailDelivery.objects.get(notification=notification)
    assert delivery.state == "pending"
    assert callbacks, "the email is queued only once the comment has committed"
    event = ActivityEvent.objects.get(verb="comment_posted")
    assert event.details["mentioned"] == ["eddie"]


def test_it_never_tells_people_about_their_own_mention(editor, claim):
    services.comment_post(actor=editor, claim_id=claim.pk, body="Note to self, @erin: call back.")
    assert not Notification.objects.exists()


def test_names_outside_the_desk_stay_plain_text(editor, outsider, claim):
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="@oscar and @nobody, hello")
    assert not comment.mentioned.exists()
    assert not Notification.objects.exists()


def test_an_edit_tells_only_people_newly_mentioned(editor, editor2, reviewer, claim):
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="@eddie please look")
    services.comment_edit(actor=editor, comment_id=comment.pk, body="@eddie please look, and @rita")
    services.comment_edit(actor=editor, comment_id=comment.pk, body="@eddie please look, and @Rita!")
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["eddie", "rita"]


def test_a_mention_works_from_the_page(editor_client, editor2, claim):
    editor_client.post(reverse("discussion:comments", args=[claim.pk]), {"body": "Over to you, @eddie."})
    assert Notification.objects.filter(recipient=editor2, verb="mentioned").count() == 1


def test_the_comment_box_points_at_the_suggestions(editor_client, claim):
    html = editor_client.get(reverse("discussion:comments", args=[claim.pk])).content.decode()
    assert f'data-mentions="{reverse("discussion:mention_suggestions")}"' in html
    assert 'aria-controls="mention-suggestions"' in html and 'role="listbox"' in html


def test_suggestions_list_desk_users_by_prefix(editor_client, editor2, reviewer, outsider):
    url = reverse("discussion:mention_suggestions")
    html = editor_client.get(url, {"q": "e"}, headers={"HX-Request": "true"}).content.decode()
    assert 'data-username="eddie"' in html and 'data-username="erin"' in html
    assert "rita" not in html
    assert 'role="option"' in html
    everyone = editor_client.get(url, {"q": ""}).content.decode()
    assert 'data-username="rita"' in everyone
    assert "oscar" not in everyone  # logged in, but not on the desk
    none = editor_client.get(url, {"q": "zz"}).content.decode()
    assert "hidden" in none and 'role="option"' not in none


def test_suggestions_are_for_the_desk_only(client, outsider):
    url = reverse("discussion:mention_suggestions")
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url, {"q": "e"}).status_code == 403
