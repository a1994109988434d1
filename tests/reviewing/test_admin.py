import pytest

from claims.models import Rating, VerdictState, VerdictVersion
from tests.reviewing.conftest import submitted_for

pytestmark = pytest.mark.django_db


def test_the_admin_cannot_approve_or_set_the_reviewer(client, claim, editor, admin_user):
    version = submitted_for(claim, editor)
    client.force_login(admin_user)
    url = f"/admin/claims/verdictversion/{version.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200  # viewable, read-only
    assert 'name="reviewed_by"' not in page.content.decode()
    assert 'name="state"' not in page.content.decode()
    response = client.post(url, {"state": "approved", "reviewed_by": editor.pk, "headline": "x"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.state == VerdictState.SUBMITTED and version.reviewed_by is None
    assert client.get("/admin/claims/verdictversion/add/").status_code == 403
    assert client.post(f"/admin/claims/verdictversion/{version.pk}/delete/", {"post": "yes"}).status_code == 403
    assert VerdictVersion.objects.filter(pk=version.pk).exists()


def test_reviews_cannot_be_added_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/claims/review/add/").status_code == 403


def test_a_rating_in_use_cannot_be_deleted_and_the_admin_says_why(client, claim, editor, admin_user):
    submitted_for(claim, editor)
    rating = Rating.objects.get(label="Unproven")
    client.force_login(admin_user)
    response = client.post(f"/admin/claims/rating/{rating.pk}/delete/", {"post": "yes"}, follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert "Retire it instead" in response.content.decode()
    assert Rating.objects.filter(pk=rating.pk).exists()


def test_an_unused_rating_can_be_deleted(client, admin_user):
    rating = Rating.objects.create(label="Satire", rating_value=3, colour="#123456")
    client.force_login(admin_user)
    client.post(f"/admin/claims/rating/{rating.pk}/delete/", {"post": "yes"})
    assert not Rating.objects.filter(pk=rating.pk).exists()


def test_ratings_can_be_retired_in_bulk(client, admin_user):
    client.force_login(admin_user)
    rating = Rating.objects.get(label="Misleading")
    client.post("/admin/claims/rating/", {"action": "retire_selected", "_selected_action": [rating.pk]})
    rating.refresh_from_db()
    assert rating.is_retired
