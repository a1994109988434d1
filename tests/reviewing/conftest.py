"""Fixtures for verdict tests: a claim under research with a supporting source and a denial."""

from __future__ import annotations

import pytest

from tests.factories import SourceFactory, make_claim, walk_claim_to


@pytest.fixture(autouse=True)
def _rating_scale(request):
    """Transactional tests flush the ratings migration 0005 seeded; put them back."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")  # honours the marker's transaction=True
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()


@pytest.fixture
def claim(editor):
    from claims import services

    claim = make_claim(
        editor,
        text="Russia asked China for military assistance.",
        claimant="U.S. officials",
        claimant_kind="organization",
        said_url="https://www.state.gov/briefing-2022-03-13",
        said_on="2022-03-13",
        said_where="Briefing in Washington",
    )
    claim = walk_claim_to(claim, "researching", actor=editor)
    services.evidence_add(
        actor=editor, claim_id=claim.pk, source=SourceFactory(url="https://news.example/us-claim"),
        stance="supports", speaker="U.S. officials", quote="Russia requested military equipment",
    )
    services.evidence_add(
        actor=editor, claim_id=claim.pk, source=SourceFactory(url="https://news.example/denial"),
        stance="denies", speaker="Chinese government", speaker_is_party=True,
        quote="These claims are disinformation",
    )
    claim.refresh_from_db()
    return claim


@pytest.fixture
def rating(db):
    from claims.models import Rating

    return Rating.objects.get(label="Unproven")


def draft_for(claim, author, *, rating=None, based_on_id=None, **overrides):
    from claims.models import Rating
    from claims.reviewing import services

    fields = {
        "rating": rating or Rating.objects.get(label="Unproven"),
        "headline": "No public evidence for the request",
        "summary_md": "U.S. officials have **not** shown evidence.",
        "reasoning": "We asked for documents.",
        "cited_evidence_ids": [e.pk for e in claim.evidence.all()],
    }
    fields.update(overrides)
    return services.verdict_save_draft(
        actor=author, claim_id=claim.pk, based_on_id=based_on_id, **fields
    )


def submitted_for(claim, author, **overrides):
    from claims.reviewing import services

    version = draft_for(claim, author, **overrides)
    return services.verdict_submit(actor=author, version_id=version.pk)


def published(claim, author, reviewer, **overrides):
    from claims.reviewing import services

    version = submitted_for(claim, author, **overrides)
    services.verdict_approve(actor=reviewer, version_id=version.pk)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def published_claim(claim, editor, reviewer):
    return published(claim, editor, reviewer)
