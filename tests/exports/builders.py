"""A claim with a full record (evidence with snapshots, an approved verdict with its review
trail, activity), built through the services where they exist and the ORM where they don't
yet (verdict services belong to another branch)."""

from __future__ import annotations

import gzip
import hashlib
from datetime import date, timedelta

from django.utils import timezone

from claims import services
from claims.models import Rating, Review, VerdictVersion
from sources.models import Snapshot
from tests.factories import OutletFactory, SourceFactory, make_claim, walk_claim_to


def snapshot_for(source, body: bytes = b"<html>archived page</html>", *, when=None):
    return Snapshot.objects.create(
        source=source,
        requested_url=source.url,
        final_url=source.url,
        http_status=200,
        content_type="text/html",
        raw_gzip=gzip.compress(body),
        raw_size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=when or timezone.now(),
    )


def rating(label="False", value=1, colour="#9b1c1c"):
    return Rating.objects.get_or_create(
        label=label, defaults={"rating_value": value, "colour": colour}
    )[0]


def add_evidence(claim, actor, *, stance, outlet_name, speaker="", quote="", party=False):
    outlet = OutletFactory(name=outlet_name, domain=f"{outlet_name.lower().replace(' ', '')}.example")
    source = SourceFactory(outlet=outlet, title=f"{outlet_name} story")
    return services.evidence_add(
        actor=actor,
        claim_id=claim.pk,
        source=source,
        stance=stance,
        speaker=speaker,
        speaker_is_party=party,
        quote=quote,
    )


def approved_verdict(claim, *, author, reviewer, headline, summary_md="", number=1, **fields):
    now = timezone.now()
    version = VerdictVersion.objects.create(
        claim=claim,
        number=number,
        state=VerdictVersion.State.APPROVED,
        rating=fields.pop("rating", None) or rating(),
        headline=headline,
        summary_md=summary_md or "The claim is **not** supported.",
        author=author,
        submitted_at=now - timedelta(hours=1),
        reviewed_by=reviewer,
        reviewed_at=now,
        **fields,
    )
    Review.objects.create(
        version=version, reviewer=reviewer, decision="approve", comments="Checked every source."
    )
    return version


def claim_with_record(editor, reviewer, *, evidence_count=3):
    """A researched claim with evidence of every stance, one with an archived snapshot,
    and an approved verdict v2 correcting an earlier, changes-requested v1."""
    claim = make_claim(
        editor,
        text="Russia asked China for military assistance.",
        claimant="U.S. officials",
        said_where="Press briefing",
        said_on=date(2022, 3, 13),
        said_url="https://news.example/briefing",
        tags=["ukraine", "china"],
    )
    claim = walk_claim_to(claim, "researching", actor=editor)
    stances = ["supports", "denies", "context"]
    items = []
    for i in range(evidence_count):
        items.append(
            add_evidence(
                claim,
                editor,
                stance=stances[i % 3],
                outlet_name=f"Outlet {chr(65 + i)}",
                speaker=f"Speaker {i}",
                quote=f"Quote number {i}",
                party=stances[i % 3] == "denies",
            )
        )
    snapshot_for(items[0].source)
    first = VerdictVersion.objects.create(
        claim=claim,
        number=1,
        state=VerdictVersion.State.SUPERSEDED,
        rating=rating(),
        headline="Early draft headline",
        summary_md="Draft.",
        author=editor,
        submitted_at=timezone.now() - timedelta(days=1),
        reviewed_by=reviewer,
    )
    Review.objects.create(
        version=first, reviewer=reviewer, decision="request_changes", comments="Cite the denial."
    )
    approved_verdict(
        claim,
        author=editor,
        reviewer=reviewer,
        number=2,
        headline="No evidence Russia asked China for arms",
        correction_note="Added the Chinese denial.",
    )
    return claim


def bulk_claims(actor, count: int, *, text_size: int = 4000, status="new"):
    """Many plain claims at once, straight into the table: for volume tests only."""
    from claims.models import Claim

    filler = "x" * text_size
    Claim.objects.bulk_create(
        [
            Claim(text=f"Claim {i} {filler}", claimant=f"Claimant {i}", created_by=actor,
                  status=status)
            for i in range(count)
        ],
        batch_size=500,
    )
