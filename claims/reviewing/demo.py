"""Demo verdicts for the seeded newsroom, made through the services like a real desk would.

- The February joint statement's "no limits" claim: the editor drafts and submits, the
  reviewer approves, so /fact-checks/ has a published fact-check. (The U.S. military-aid claim
  stays open: it is the one the demo feed's coverage is matched against.)
- The viral "China has agreed to send military aid" claim: published as False, so the demo
  feed's coverage of the aid reports raises a "spreading again" alert when the worker reads it.
- Lavrov's "world order" claim (seeded in review without a verdict): sent back to research,
  drafted and submitted, so /reviews/ has something awaiting the reviewer.

Idempotent: a claim that already has a verdict version is left alone.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from claims import services as claim_services
from claims.models import Claim, ClaimStatus, Rating, Stance
from claims.reviewing import services
from claims.reviewing.ratings import ensure_default_scale

PUBLISHED_DEMO = {
    "text_contains": "Friendship between China and Russia has no limits",
    "rating": "True",
    "headline": "The February joint statement does say the two countries' friendship has "
    "\u201cno limits\u201d",
    "summary_md": (
        "The joint statement China and Russia issued on 4 February 2022, when Presidents Xi "
        "Jinping and Vladimir Putin met before the Winter Olympics, says that friendship "
        "between the two States **has no limits** and that there are no \u201cforbidden\u201d "
        "areas of cooperation.\n\n"
        "The quotation is accurate. Whether the partnership works that way in practice is a "
        "separate question this check does not rate."
    ),
    "reasoning": (
        "The wording matches the official text published by both foreign ministries; "
        "Newsweek quotes the same line."
    ),
    "waiver": "A quote check of an official joint statement: no party to it disputes the "
    "wording.",
}

PUBLISHED_FALSE_DEMO = {
    "text_contains": "China has agreed to send military aid",
    "rating": "False",
    "headline": "No evidence China agreed to send military aid to Russia",
    "summary_md": (
        "U.S. officials said in March 2022 that Russia had **asked** China for military "
        "equipment; none said China agreed, and Beijing denied any request. No public evidence "
        "shows an agreement to supply."
    ),
    "reasoning": "Beijing's denial is cited; the U.S. statements describe a request, not a deal.",
    "waiver": "",
}

IN_REVIEW_DEMO = {
    "text_contains": "multipolar, just, democratic world order",
    "rating": "True",
    "headline": "Lavrov did say Russia and China would move towards a “multipolar” world order",
    "summary_md": (
        "The Russian Foreign Ministry's video of Lavrov's remarks in Tunxi, translated by AFP, "
        "records him saying Russia and China, with their sympathisers, would *move towards a "
        "multipolar, just, democratic world order*."
    ),
    "reasoning": "The quote matches the ministry's own video; CCTV footage confirms the meeting.",
    "waiver": "The claim is a statement of intent by the speaker himself; nobody disputes that he said it.",
}


def _draft_and_submit(claim: Claim, spec: dict, author) -> int:
    rating = Rating.objects.get(label=spec["rating"])
    evidence = list(claim.evidence.active())
    version = services.verdict_save_draft(
        actor=author,
        claim_id=claim.pk,
        rating=rating,
        headline=spec["headline"],
        summary_md=spec["summary_md"],
        reasoning=spec["reasoning"],
        cited_evidence_ids=[e.pk for e in evidence],
        denial_waiver_reason=""
        if any(e.stance == Stance.DENIES for e in evidence)
        else spec["waiver"],
    )
    services.verdict_submit(actor=author, version_id=version.pk)
    return version.pk


def seed_verdicts(users: dict) -> int:
    """Create the demo verdicts; returns how many claims got one. ``users`` maps the demo
    usernames (editor, reviewer, ...) to users."""
    editor, reviewer = users["editor"], users["reviewer"]
    ensure_default_scale()
    done = 0

    claim = Claim.objects.filter(text__contains=PUBLISHED_DEMO["text_contains"]).first()
    if claim and not claim.verdict_versions.exists() and claim.status == ClaimStatus.RESEARCHING:
        version_id = _draft_and_submit(claim, PUBLISHED_DEMO, editor)
        services.verdict_approve(
            actor=reviewer, version_id=version_id,
            comments="Checked against the sources; the denial is cited.",
        )
        done += 1

    claim = Claim.objects.filter(text__contains=PUBLISHED_FALSE_DEMO["text_contains"]).first()
    if claim and not claim.verdict_versions.exists() and claim.status == ClaimStatus.RESEARCHING:
        # Logged two days ago, as a desk would have: a check done in a second would read as
        # a time to verdict of zero on the dashboard.
        Claim.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(days=2))
        version_id = _draft_and_submit(claim, PUBLISHED_FALSE_DEMO, editor)
        services.verdict_approve(actor=reviewer, version_id=version_id,
                                 comments="The denial is cited; nobody claims a deal on record.")
        done += 1

    claim = Claim.objects.filter(text__contains=IN_REVIEW_DEMO["text_contains"]).first()
    if claim and not claim.verdict_versions.exists() and claim.status in (
        ClaimStatus.IN_REVIEW, ClaimStatus.RESEARCHING,
    ):
        if claim.status == ClaimStatus.IN_REVIEW:  # seeded in review with no verdict to review
            claim_services.claim_return_to(
                actor=editor, claim_id=claim.pk, to_status=ClaimStatus.RESEARCHING,
                reason="Drafting the verdict to review",
            )
            claim.refresh_from_db()
        _draft_and_submit(claim, IN_REVIEW_DEMO, editor)
        done += 1
    return done
