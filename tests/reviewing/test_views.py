import pytest
from django.test import Client

from claims.models import Notification, Rating, VerdictState, VerdictVersion
from tests.reviewing.conftest import draft_for, submitted_for

pytestmark = pytest.mark.django_db


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form_data(claim, **overrides):
    data = {
        "rating": Rating.objects.get(label="False").pk,
        "headline": "There is no evidence",
        "summary_md": "Summary with **bold**.",
        "reasoning": "Because.",
        "cited_evidence": [e.pk for e in claim.evidence.all()],
        "denial_waiver_reason": "",
        "based_on": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_verdict_tab_renders_with_the_claim_tabs(editor_client, claim):
    response = editor_client.get(f"/claims/{claim.pk}/verdict/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/claims/{claim.pk}/verdict/" aria-current="page"' in html
    assert "Draft the verdict" in html
    assert "Chinese government" in html  # the evidence checkboxes


def test_an_editor_saves_then_submits_from_the_form(editor_client, claim):
    response = editor_client.post(f"/claims/{claim.pk}/verdict/", _form_data(claim))
    assert response.status_code == 302
    version = VerdictVersion.objects.get()
    assert version.state == VerdictState.DRAFT
    response = editor_client.post(
        f"/claims/{claim.pk}/verdict/", _form_data(claim, action="submit", based_on=version.pk)
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == VerdictState.SUBMITTED
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_submitting_without_a_denial_or_waiver_shows_a_clear_error(editor_client, claim):
    supporting = claim.evidence.get(stance="supports")
    response = editor_client.post(
        f"/claims/{claim.pk}/verdict/",
        _form_data(claim, action="submit", cited_evidence=[supporting.pk]),
    )
    assert response.status_code == 200
    assert "cite a denial, or say why there is none" in response.content.decode()
    assert not VerdictVersion.objects.exists()


def test_retired_ratings_are_not_offered(editor_client, claim):
    Rating.objects.filter(label="Misleading").update(is_retired=True)
    html = editor_client.get(f"/claims/{claim.pk}/verdict/").content.decode()
    assert ">Misleading<" not in html
    assert ">Unproven<" in html


def test_the_reviewer_sees_an_escaped_diff_between_versions(client, claim, editor, reviewer):
    from claims.reviewing import services

    v1 = submitted_for(claim, editor)
    services.verdict_request_changes(actor=reviewer, version_id=v1.pk, comments="Fix it")
    submitted_for(claim, editor, based_on_id=v1.pk, headline="New <b>headline</b>")
    client.force_login(reviewer)
    html = client.get(f"/claims/{claim.pk}/verdict/").content.decode()
    assert "Changes since v1" in html
    assert "New &lt;b&gt;headline&lt;/b&gt;" in html
    assert "<b>headline</b>" not in html
    assert "Approve and publish" in html


@pytest.mark.parametrize("who", ["author", "other_editor", "outsider", "anonymous"])
@pytest.mark.parametrize("action", ["approve", "request-changes"])
def test_review_posts_by_anyone_but_another_reviewer_are_refused(who, action, claim, editor, editor2, outsider):
    version = submitted_for(claim, editor)
    user = {"author": editor, "other_editor": editor2, "outsider": outsider, "anonymous": None}[who]
    response = _client_for(user).post(f"/verdicts/{version.pk}/{action}/", {"comments": "ok"})
    assert response.status_code in (302, 403)
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403
    version.refresh_from_db()
    assert version.state == VerdictState.SUBMITTED and version.reviewed_by is None


def test_a_superuser_author_cannot_approve_through_the_view(claim, admin_user):
    version = submitted_for(claim, admin_user)
    response = _client_for(admin_user).post(f"/verdicts/{version.pk}/approve/")
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.state == VerdictState.SUBMITTED
    html = _client_for(admin_user).get(f"/claims/{claim.pk}/verdict/").content.decode()
    assert "Approve and publish" not in html
    assert "another reviewer must review it" in html


def test_outsiders_and_anonymous_cannot_draft_or_submit(claim, editor, outsider):
    draft = draft_for(claim, editor)
    for user in (outsider, None):
        client = _client_for(user)
        assert client.post(f"/claims/{claim.pk}/verdict/", _form_data(claim)).status_code in (302, 403)
        assert client.post(f"/verdicts/{draft.pk}/submit/").status_code in (302, 403)
        assert client.get(f"/claims/{claim.pk}/verdict/").status_code in (302, 403)
    draft.refresh_from_db()
    assert draft.state == VerdictState.DRAFT and draft.headline == "No public evidence for the request"


def test_another_editor_cannot_take_over_a_draft_through_the_view(claim, editor, editor2):
    draft = draft_for(claim, editor)
    response = _client_for(editor2).post(f"/claims/{claim.pk}/verdict/", _form_data(claim))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "No public evidence for the request"
    assert _client_for(editor2).post(f"/verdicts/{draft.pk}/submit/").status_code == 403


def test_a_reviewer_approves_through_the_view_and_a_double_click_is_harmless(reviewer_client, claim, editor):
    version = submitted_for(claim, editor)
    assert reviewer_client.post(f"/verdicts/{version.pk}/approve/").status_code == 302
    response = reviewer_client.post(f"/verdicts/{version.pk}/approve/", follow=True)
    assert "only a version awaiting review can be approved" in response.content.decode()
    version.refresh_from_db()
    assert version.state == VerdictState.APPROVED
    assert version.reviews.count() == 1


def test_request_changes_needs_comments(reviewer_client, claim, editor):
    version = submitted_for(claim, editor)
    response = reviewer_client.post(f"/verdicts/{version.pk}/request-changes/", {"comments": ""}, follow=True)
    assert "Say what needs to change" in response.content.decode()
    version.refresh_from_db()
    assert version.state == VerdictState.SUBMITTED


def test_reviews_page_lists_what_awaits_me_and_my_notifications(reviewer_client, reviewer, claim, editor, django_assert_max_num_queries):
    submitted_for(claim, editor)
    with django_assert_max_num_queries(12):
        response = reviewer_client.get("/reviews/")
    html = response.content.decode()
    assert "Awaiting my review" in html
    assert claim.text in html
    assert "awaits your review" in html  # the notification


def test_the_author_does_not_see_their_own_version_as_awaiting(claim, admin_user, reviewer):
    submitted_for(claim, admin_user)
    html = _client_for(admin_user).get("/reviews/").content.decode()
    assert "Nothing awaits your review" in html
    assert not Notification.objects.filter(recipient=admin_user).exists()
    assert Notification.objects.filter(recipient=reviewer).exists()


def test_marking_a_notification_read_works_with_htmx_and_plain_post(reviewer_client, reviewer, editor, claim, client):
    submitted_for(claim, editor)
    notification = Notification.objects.get(recipient=reviewer)
    response = reviewer_client.post(
        f"/notifications/{notification.pk}/read/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="notification-{notification.pk}"' in response.content.decode()
    assert "Mark read" not in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None
    # Someone else's notification is not found.
    other = _client_for(editor)
    assert other.post(f"/notifications/{notification.pk}/read/").status_code == 404
    response = reviewer_client.post("/notifications/read-all/")
    assert response.status_code == 302
