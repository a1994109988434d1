"""The public side shows published fact-checks and nothing of the desk's work behind them."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

pytestmark = pytest.mark.django_db

INTERNAL = (
    "Desk note",  # notes
    "Desk comment",  # the discussion
    "Internal evidence note",  # evidence notes
    "Internal reasoning",  # verdict reasoning
    "Reviewer comment",  # review comments
    "Draft correction headline",  # a correction still in draft
    "Draft correction note",
    "Pending headline",  # a version waiting for review on another claim
    "Gather error",
    "Feed error",
    "Please revise",
)
PEOPLE = ("erin", "eddie", "rita")  # editor, assignee, reviewer


def public_bodies(client, world) -> dict[str, str]:
    slug = world.published.slug
    urls = {
        "list": reverse("public:list"),
        "feed": reverse("public:feed"),
        "detail": reverse("public:detail", args=[slug]),
        "claimreview": reverse("public:claimreview", args=[slug]),
    }
    bodies = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        bodies[name] = response.content.decode()
    return bodies


@pytest.mark.parametrize("persona", [None, "outsider", "editor"])
def test_it_shows_nothing_internal_on_public_pages(client, world, persona, request):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for name, body in public_bodies(client, world).items():
        assert "Published claim about military aid" in body, name
        for text in INTERNAL:
            assert text not in body, f"{text!r} leaks on the public {name}"
        for status in ("new", "triaged", "researching", "in_review", "rejected"):
            assert f"{status.title()} claim about military aid" not in body, f"{status} claim on {name}"
        # Public pages are the site's own chrome: no desk navigation for a visitor.
        for username in PEOPLE:
            assert f">{username}<" not in body and f'"{username}"' not in body, (username, name)


def test_the_discussion_never_reaches_the_public_api_feeds_or_claimreview(client, world):
    """Comments are the desk's: not in the public API, the RSS feed, the sitemap or the
    ClaimReview (the published claim in the world carries one)."""
    from claims.models import Comment

    assert Comment.objects.filter(claim=world.published).exists()
    slug = world.published.slug
    for url in (reverse("api:fact_check_list"), reverse("api:fact_check_detail", args=[slug]),
                reverse("public:rss"), reverse("sitemap"), reverse("public:claimreview", args=[slug]),
                reverse("public:feed")):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Desk comment" not in body, url
        assert b"comment_posted" not in body, url


def test_it_publishes_only_published_claims_in_the_claimreview_feed(client, world):
    data = json.loads(client.get(reverse("public:feed")).content)
    assert data["count"] == 1
    (review,) = data["results"]
    assert review["claimReviewed"].startswith("Published claim")
    assert review["headline"].startswith("Verdict headline")


def test_it_answers_404_for_guessed_slugs_and_ids(client, world):
    anonymous = Client()
    guesses = [slugify(claim.text) for claim in world.claims.values()]
    guesses += [str(claim.pk) for claim in world.claims.values()]
    guesses += [f"{world.published.slug}-2", world.published.slug.upper(), "admin", "claimreview"]
    for guess in guesses:
        for suffix in ("", "claimreview.json"):
            url = f"/fact-checks/{guess}/{suffix}"
            assert anonymous.get(url).status_code == 404, url


def test_it_never_shows_a_correction_in_progress(client, world, editor):
    """Sent back to review for a correction: the public sees the approved version or nothing,
    never the draft."""
    from claims import services

    slug = world.published.slug
    services.claim_change_status(actor=editor, claim_id=world.published.pk, to_status="in_review")
    for url in (reverse("public:detail", args=[slug]), reverse("public:claimreview", args=[slug]),
                reverse("public:feed"), reverse("public:list")):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        for text in INTERNAL:
            assert text not in response.content.decode(), (text, url)


def test_it_never_caches_desk_pages_publicly(editor_client, world):
    response = editor_client.get(reverse("claims:claim_detail", args=[world.claims["new"].pk]))
    assert "public" not in response.get("Cache-Control", "")


def test_a_claim_cannot_be_published_by_hand_so_nothing_unreviewed_goes_public(
    client, world, reviewer
):
    """Publishing is only ever the result of approving a verdict (the two-person step): a
    bare status change is refused, and nothing reaches the public side."""
    from django.core.exceptions import ValidationError

    from claims import services

    claim = world.claims["in_review"]
    with pytest.raises(ValidationError):
        services.claim_change_status(actor=reviewer, claim_id=claim.pk, to_status="published")
    claim.refresh_from_db()
    assert claim.status == "in_review"
    for url in (reverse("public:list"), reverse("public:feed")):
        assert "In_Review claim" not in client.get(url).content.decode()
    assert client.get(f"/fact-checks/{slugify(claim.text)}/").status_code == 404
