"""Citing another publisher's fact-check (``sources.PriorFactCheck``) as evidence on a claim.

A fact-check that rates the claim false, mostly false or misleading is a refutation; any
other rating (true, half true, unproven...) is context. The fact-check's page becomes the
evidence's source and is archived like any cited page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.models import Evidence, Stance
from claims.permissions import require_editor
from claims.services.editing import ClaimFrozen
from claims.services.evidence import EvidenceDetails, evidence_add
from claims.services.workflow import lock_claim


@dataclass(frozen=True)
class PriorCheckCitation:
    evidence: Evidence
    created: bool


def prior_check_stance(check) -> str:
    from claims.corroboration.prior_checks import refutes

    return Stance.DENIES if refutes(check) else Stance.CONTEXT


def _quote(check) -> str:
    # What the page says, in its own words: the claim it reviewed and its rating of it.
    return f"{check.claim_reviewed} — rated “{check.textual_rating or 'no rating given'}”"[:2000]


def _note(check) -> str:
    rating = check.textual_rating or "no rating given"
    ours = f" ({check.normalised_rating} on our scale)" if check.normalised_rating else ""
    when = f", {check.reviewed_at:%d %b %Y}" if check.reviewed_at else ""
    return f"Prior fact-check by {check.publisher}{when}: rated “{rating}”{ours}."[:2000]


@transaction.atomic
def prior_check_cite(*, actor, claim_id: int, prior_check_id: int) -> PriorCheckCitation:
    """Cite a prior fact-check as evidence: stance "denies" when its rating on our scale says
    the claim is wrong, "context" otherwise. Citing one the claim already cites (by its page)
    returns that evidence with ``created`` False. Editors only; a published claim refuses (its
    evidence changes through a reviewed correction)."""
    from sources.models import PriorFactCheck
    from sources.services import source_archive_later, source_for_url

    require_editor(actor)
    claim = lock_claim(claim_id)
    if claim.published_at is not None:
        raise ClaimFrozen(
            "This claim has been published, so it cites new evidence only through a correction "
            "that a second person reviews: propose one on the Verdict tab."
        )
    check = PriorFactCheck.objects.filter(pk=prior_check_id).first()
    if check is None:
        raise ValidationError("That fact-check is no longer on record.")
    source, _ = source_for_url(url=check.url)
    existing = Evidence.objects.active().filter(claim=claim, source=source).order_by("pk").first()
    if existing is not None:
        return PriorCheckCitation(existing, created=False)
    if not source.title:
        source.title = f"{check.publisher}: {check.claim_reviewed}"[:500]
        source.save(update_fields=["title"])
    evidence = evidence_add(
        actor=actor, claim_id=claim.pk, source=source,
        details=EvidenceDetails(stance=prior_check_stance(check), speaker=check.publisher[:300],
                                quote=_quote(check), note=_note(check),
                                stated_on=check.reviewed_at.date() if check.reviewed_at else None),
    )
    if source.fetch_status == source.FetchStatus.PENDING:
        source_archive_later(source_id=source.pk)  # queued on commit
    return PriorCheckCitation(evidence, created=True)
