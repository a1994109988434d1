"""A few months of desk history for the demo newsroom, so the dashboard's charts have shape.

Claims are logged, triaged, researched, sent to review, sent back, approved or rejected
through the desk's own services, as editors and reviewers would; then their timestamps are
moved into the past weeks (logged up to ``WEEKS`` weeks ago, each step hours or days after
the one before). They carry the tag ``desk-history``; seeding is skipped once they exist.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from claims import services
from claims.models import ActivityEvent, Claim, Rating, Review, VerdictVersion
from sources.models import SourceKind

TAG = "desk-history"
WEEKS = 12
CLAIMS = 42
SPEAKERS = ("The Kremlin", "Beijing's foreign ministry", "A U.S. senator", "An EU commissioner",
            "A regional governor", "A viral post", "A state broadcaster", "An opposition leader")
SUBJECTS = ("grain exports doubled", "the border crossing was closed", "sanctions were lifted",
            "the pipeline was sabotaged", "the aid convoy was turned back", "fuel prices halved",
            "the embassy was evacuated", "the ceasefire was signed", "drone deliveries began",
            "the election was postponed")


@transaction.atomic
def seed_desk_history(users: dict, *, now: datetime | None = None) -> int:
    """Create the history once; returns how many claims it logged (0 when already there)."""
    from claims.reviewing import services as reviewing
    from claims.reviewing.ratings import ensure_default_scale

    if Claim.objects.filter(tags__name=TAG).exists():
        return 0
    ensure_default_scale()
    now = now or timezone.now()
    rng = random.Random(2022)
    editors = [users["editor"], users.get("editor2") or users["editor"]]
    reviewer = users["reviewer"]
    ratings = list(Rating.objects.filter(is_retired=False).order_by("order"))
    for n in range(CLAIMS):
        author = editors[n % len(editors)]
        logged = now - timedelta(days=rng.uniform(1, WEEKS * 7 - 1))
        claim = services.claim_create(
            actor=author, text=f"{rng.choice(SPEAKERS)} said {rng.choice(SUBJECTS)} (desk history {n + 1}).",
            claimant=rng.choice(SPEAKERS), claimant_kind="organization", tags=[TAG],
        )
        steps = [logged]
        later = _Clock(steps, latest=now - timedelta(minutes=CLAIMS - n))

        fate = rng.random()
        if fate < 0.12:
            services.claim_reject(actor=author, claim_id=claim.pk, reason="Not check-worthy: opinion.")
            later(rng.uniform(2, 30))
        elif fate < 0.3:  # still open, somewhere in the workflow
            for step in (services.claim_triage, services.claim_start_research)[: rng.randint(0, 2)]:
                step(actor=author, claim_id=claim.pk)
                later(rng.uniform(4, 48))
        else:
            services.claim_triage(actor=author, claim_id=claim.pk)
            later(rng.uniform(1, 24))
            services.claim_start_research(actor=author, claim_id=claim.pk)
            evidence = services.evidence_add_manual(
                actor=author, claim_id=claim.pk, kind=SourceKind.DOCUMENT,
                title="Desk call log: press offices contacted",
                description="Calls and emails to the parties, kept by the desk.",
                stance="context", note="Asked the press office.",
            )
            later(rng.uniform(2, 24))
            sent_back = rng.random() < 0.3
            version = None
            for attempt in range(2 if sent_back else 1):
                version = reviewing.verdict_save_draft(
                    actor=author, claim_id=claim.pk, based_on_id=version.pk if version else None,
                    rating=rng.choice(ratings),
                    headline="What the record shows", summary_md="The record does not bear it out.",
                    reasoning="Checked against the primary sources.", cited_evidence_ids=[evidence.pk],
                    denial_waiver_reason="No party to the claim has answered our questions.",
                )
                reviewing.verdict_submit(actor=author, version_id=version.pk)
                submitted = later(rng.uniform(6, 24 * 6))
                if sent_back and attempt == 0:
                    reviewing.verdict_request_changes(actor=reviewer, version_id=version.pk,
                                                      comments="Cite the ministry's own statement.")
                else:
                    reviewing.verdict_approve(actor=reviewer, version_id=version.pk)
                reviewed = later(rng.uniform(1, 36))
                _backdate_version(version.pk, submitted=submitted, reviewed=reviewed)
        _backdate_claim(claim.pk, steps)
    return CLAIMS


class _Clock:
    """Each call moves the claim's story ``hours`` on (never past ``latest``) and says when."""

    def __init__(self, steps: list[datetime], *, latest: datetime):
        self.steps, self.latest = steps, latest

    def __call__(self, hours: float) -> datetime:
        moment = min(self.latest, self.steps[-1] + timedelta(hours=hours))
        self.steps.append(moment)
        return moment


def _backdate_version(version_id: int, *, submitted: datetime, reviewed: datetime) -> None:
    version = VerdictVersion.objects.get(pk=version_id)
    VerdictVersion.objects.filter(pk=version_id).update(
        created_at=submitted - timedelta(hours=2), submitted_at=submitted,
        reviewed_at=reviewed if version.reviewed_at else None,
        published_at=reviewed if version.published_at else None,
    )
    Review.objects.filter(version_id=version_id).update(at=reviewed)


def _backdate_claim(claim_id: int, steps: list[datetime]) -> None:
    """The claim's log, in order, spread over its steps; publication at the last one."""
    claim = Claim.objects.get(pk=claim_id)
    Claim.objects.filter(pk=claim_id).update(
        created_at=steps[0], published_at=steps[-1] if claim.published_at else None,
    )
    events = list(ActivityEvent.objects.filter(claim_id=claim_id).order_by("at", "pk").values_list("pk", flat=True))
    for i, pk in enumerate(events):
        moment = steps[min(len(steps) - 1, round(i * (len(steps) - 1) / max(1, len(events) - 1)))]
        ActivityEvent.objects.filter(pk=pk).update(at=moment)
