"""Comments on a claim: posting, editing within the window, deleting to a tombstone, safe
Markdown, double submission, and who may do what (editor / reviewer / outsider / anonymous)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import ActivityEvent, Comment
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return make_claim(editor)


def thread_url(claim) -> str:
    return reverse("discussion:comments", args=[claim.pk])


# --- Services --------------------------------------------------------------------------


def test_it_posts_a_comment_and_logs_it(editor, claim):
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="  Check the **date**.  ")
    assert comment.body == "Check the **date**."
    event = ActivityEvent.objects.filter(claim=claim).first()
    assert event.verb == "comment_posted" and event.actor == editor
    assert event.details["comment_id"] == comment.pk


def test_it_refuses_an_empty_comment(editor, claim):
    with pytest.raises(ValidationError):
        services.comment_post(actor=editor, claim_id=claim.pk, body="   ")
    assert not Comment.objects.exists()


def test_it_refuses_comments_from_outside_the_desk(outsider, claim):
    with pytest.raises(PermissionDenied):
        services.comment_post(actor=outsider, claim_id=claim.pk, body="Hello")


def test_it_posts_once_for_the_same_form_sent_twice(editor, claim):
    key = uuid.uuid4()
    first = services.comment_post(actor=editor, claim_id=claim.pk, body="Once", client_key=key)
    second = services.comment_post(actor=editor, claim_id=claim.pk, body="Once", client_key=key)
    assert first.pk == second.pk
    assert Comment.objects.count() == 1
    assert ActivityEvent.objects.filter(verb="comment_posted").count() == 1


def test_it_refuses_a_version_of_another_claim(editor, claim):
    with pytest.raises(ValidationError):
        services.comment_post(actor=editor, claim_id=claim.pk, body="On v1", version_id=999_999)


def test_the_author_edits_within_the_window(editor, claim):
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="Frist")
    edited = services.comment_edit(actor=editor, comment_id=comment.pk, body="First")
    assert edited.body == "First" and edited.edited_at is not None
    assert ActivityEvent.objects.filter(verb="comment_edited", claim=claim).exists()


def test_no_one_else_edits_a_comment(editor, editor2, claim):
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="Mine")
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=editor2, comment_id=comment.pk, body="Yours now")
    comment.refresh_from_db()
    assert comment.body == "Mine"


def test_the_edit_window_closes(editor, claim, settings):
    settings.COMMENT_EDIT_MINUTES = 10
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="Old")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    with pytest.raises(ValidationError, match="10 minutes"):
        services.comment_edit(actor=editor, comment_id=comment.pk, body="New")
    comment.refresh_from_db()
    assert comment.body == "Old"
    assert not services.comment_can_edit(editor, comment)


def test_deleting_leaves_a_tombstone(editor, claim):
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="Oops, wrong claim")
    deleted = services.comment_delete(actor=editor, comment_id=comment.pk)
    assert deleted.is_deleted and deleted.body == "" and deleted.deleted_by == editor
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert ActivityEvent.objects.filter(verb="comment_deleted", claim=claim).exists()
    with pytest.raises(ValidationError):
        services.comment_edit(actor=editor, comment_id=comment.pk, body="Back")


def test_only_the_author_or_an_admin_deletes(editor, editor2, admin_user, claim):
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="Keep")
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=editor2, comment_id=comment.pk)
    assert services.comment_delete(actor=admin_user, comment_id=comment.pk).is_deleted


# --- Pages -----------------------------------------------------------------------------


def test_the_thread_renders_markdown_with_script_inert(client, editor, editor2, claim):
    services.comment_post(
        actor=editor, claim_id=claim.pk,
        body="**Bold** <script>alert('x')</script> [bad](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    # Seen by someone else: no edit form holding the typed text (escaped) on the page.
    client.force_login(editor2)
    html = client.get(thread_url(claim)).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert('x')" not in html
    assert "javascript:alert" not in html
    assert "onerror" not in html


def test_it_posts_from_a_plain_form_and_redirects(editor_client, claim):
    response = editor_client.post(thread_url(claim), {"body": "Plain post", "client_key": str(uuid.uuid4())})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{thread_url(claim)}#comment-{comment.pk}"
    assert "Plain post" in editor_client.get(response["Location"]).content.decode()


def test_it_posts_with_htmx_and_answers_the_thread(editor_client, claim):
    key = str(uuid.uuid4())
    for _ in range(2):  # a double click
        response = editor_client.post(thread_url(claim), {"body": "Via htmx", "client_key": key},
                                      headers={"HX-Request": "true"})
        assert response.status_code == 200
    html = response.content.decode()
    assert 'id="discussion"' in html and "Via htmx" in html and "<html" not in html
    assert Comment.objects.count() == 1


def test_it_shows_the_form_again_with_an_error(editor_client, claim):
    response = editor_client.post(thread_url(claim), {"body": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = editor_client.post(thread_url(claim), {"body": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_it_edits_and_deletes_through_the_pages(editor_client, editor, claim):
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="Draft thought")
    edit = reverse("discussion:comment_edit", args=[claim.pk, comment.pk])
    response = editor_client.post(edit, {"body": "Better thought"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Better thought" in response.content.decode()
    delete = reverse("discussion:comment_delete", args=[claim.pk, comment.pk])
    response = editor_client.post(delete)
    assert response.status_code == 302
    html = editor_client.get(thread_url(claim)).content.decode()
    assert "Comment deleted" in html and "Better thought" not in html


def test_a_late_edit_is_refused_with_a_reason(editor_client, editor, claim):
    comment = services.comment_post(actor=editor, claim_id=claim.pk, body="Said")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    edit = reverse("discussion:comment_edit", args=[claim.pk, comment.pk])
    response = editor_client.post(edit, {"body": "Unsaid"}, headers={"HX-Request": "true"})
    assert "can be edited for" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Said"


def test_others_see_no_edit_or_delete_buttons(client, editor, editor2, claim):
    services.comment_post(actor=editor, claim_id=claim.pk, body="Erin's note")
    client.force_login(editor2)
    html = client.get(thread_url(claim)).content.decode()
    assert "Erin&#x27;s note" in html or "Erin's note" in html
    assert "Save comment" not in html and "Delete comment" not in html


def test_a_comment_of_another_claim_is_not_found(editor_client, editor, claim):
    other = make_claim(editor, text="Another claim entirely.")
    comment = services.comment_post(actor=editor, claim_id=other.pk, body="Elsewhere")
    response = editor_client.post(reverse("discussion:comment_delete", args=[claim.pk, comment.pk]))
    assert response.status_code == 404
    comment.refresh_from_db()
    assert not comment.is_deleted


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_the_desk_reads_and_posts(client, persona, request, claim):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(thread_url(claim)).status_code == 200
    assert client.post(thread_url(claim), {"body": f"From {persona}"}).status_code == 302


def test_outsiders_get_404_and_anonymous_visitors_the_login_page(client, outsider, editor, claim):
    services.comment_post(actor=editor, claim_id=claim.pk, body="Internal")
    response = client.get(thread_url(claim))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(outsider)
    assert client.get(thread_url(claim)).status_code == 404
    assert client.post(thread_url(claim), {"body": "Let me in"}).status_code == 404
    assert Comment.objects.count() == 1


def test_the_claim_page_loads_the_thread_lazily_with_a_link_fallback(editor_client, editor, claim):
    services.comment_post(actor=editor, claim_id=claim.pk, body="Not on the page itself")
    html = editor_client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert f'hx-get="{thread_url(claim)}"' in html
    assert f'href="{thread_url(claim)}"' in html
    assert "Not on the page itself" not in html


def test_the_thread_reads_in_constant_queries(editor_client, editor, editor2, claim,
                                              django_assert_num_queries):
    services.comment_post(actor=editor, claim_id=claim.pk, body="One")
    editor_client.get(thread_url(claim), headers={"HX-Request": "true"})  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        editor_client.get(thread_url(claim), headers={"HX-Request": "true"})
    for n in range(10):
        services.comment_post(actor=editor2 if n % 2 else editor, claim_id=claim.pk, body=f"More {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        editor_client.get(thread_url(claim), headers={"HX-Request": "true"})
