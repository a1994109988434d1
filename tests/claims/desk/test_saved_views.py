"""Saved views: the queue's current filter saved under a name, private or shared, pinned in
the navigation with a capped count read through the queue's own filter."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import selectors, services
from claims.models import SavedView
from tests.factories import make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


def test_it_saves_the_current_filter_without_the_page(editor_client, editor):
    response = editor_client.post(reverse("claims:saved_view_save"), {
        "name": "  My   research ", "query": "assignee=me&status=researching&page=3", "pinned": "on"})
    view = SavedView.objects.get()
    assert (view.name, view.query, view.pinned, view.shared) == (
        "My research", "assignee=me&status=researching", True, False)
    assert response["Location"] == "/?assignee=me&status=researching"
    html = editor_client.get("/").content.decode()
    assert "My research" in html and "private · pinned" in html


def test_names_are_unique_per_owner(editor, editor2):
    services.saved_view_create(actor=editor, name="Urgent", query="priority=4")
    with pytest.raises(ValidationError):
        services.saved_view_create(actor=editor, name="urgent", query="")
    services.saved_view_create(actor=editor2, name="Urgent", query="")  # someone else's


def test_private_views_are_private_and_only_the_owner_changes_a_view(client, editor, editor2):
    private = services.saved_view_create(actor=editor, name="Mine", query="assignee=me")
    shared = services.saved_view_create(actor=editor, name="Desk urgent", query="priority=4", shared=True)
    client.force_login(editor2)
    html = client.get("/").content.decode()
    assert "Desk urgent" in html and "shared by erin" in html and ">Mine<" not in html
    assert client.post(reverse("claims:saved_view_delete", args=[private.pk])).status_code == 404
    assert client.post(reverse("claims:saved_view_delete", args=[shared.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.saved_view_update(actor=editor2, view_id=shared.pk, name="Mine now", shared=True, pinned=True)
    assert SavedView.objects.count() == 2


def test_the_owner_renames_shares_and_deletes(editor_client, editor):
    view = services.saved_view_create(actor=editor, name="Old name", query="status=new")
    editor_client.post(reverse("claims:saved_view_edit", args=[view.pk]), {"name": "New name", "shared": "on"})
    view.refresh_from_db()
    assert (view.name, view.shared, view.pinned) == ("New name", True, False)
    editor_client.post(reverse("claims:saved_view_delete", args=[view.pk]))
    assert not SavedView.objects.exists()


def test_the_navigation_counts_each_pinned_view_through_the_queue_filter(editor_client, editor, editor2,
                                                                         monkeypatch):
    for i in range(3):
        claim = walk_claim_to(make_claim(editor, text=f"Claim {i} about tariffs"), "researching", actor=editor)
        services.claim_assign(actor=editor, claim_id=claim.pk, assignee=editor if i else editor2)
    services.saved_view_create(actor=editor, name="Mine researching", query="assignee=me&status=researching",
                               pinned=True)
    services.saved_view_create(actor=editor, name="Not pinned", query="")
    services.saved_view_create(actor=editor2, name="Eddie pinned", query="", pinned=True, shared=True)
    html = editor_client.get(reverse("claims:saved_views_nav"), headers={"HX-Request": "true"}).content.decode()
    assert "Mine researching" in html and '<span class="count-badge">2</span>' in html
    assert "Not pinned" not in html and "Eddie pinned" not in html
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 1)
    html = editor_client.get(reverse("claims:saved_views_nav")).content.decode()
    assert "more than 1" in html
    page = editor_client.get("/").content.decode()
    assert f'hx-get="{reverse("claims:saved_views_nav")}"' in page


@pytest.mark.parametrize("persona", ["outsider", None])
def test_saved_views_are_for_the_desk(client, persona, request):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("claims:saved_view_save"), {"name": "Sneaky", "query": ""})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert reverse("login") in response["Location"]
    assert not SavedView.objects.exists()
