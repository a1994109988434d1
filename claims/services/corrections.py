"""Corrections: the only way a published claim's public fields, and the evidence its
verdict cites, change (applied when a second person approves the correction)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from claims.activity import activity_record, field_changes, json_value
from claims.models import ActivityVerb, Claim, ClaimantKind
from claims.permissions import require_editor
from claims.services.editing import PUBLIC_FIELDS, validate_said_url
from claims.services.evidence import (
    EVIDENCE_PUBLIC_FIELDS,
    clean_evidence_fields,
    evidence_label,
    write_evidence_changes,
)
from claims.services.search import claim_refresh_search
from claims.services.workflow import lock_claim


def _clean_claim_values(values: dict) -> dict:
    cleaned = {}
    for name, value in values.items():
        if name not in PUBLIC_FIELDS:
            raise ValidationError(f"A correction cannot change {name!r}.")
        if isinstance(value, str):
            value = value.strip()
        cleaned[name] = value
    if "text" in cleaned and not cleaned["text"]:
        raise ValidationError("The corrected claim needs its text.")
    if "claimant_kind" in cleaned and cleaned["claimant_kind"] not in ClaimantKind.values:
        raise ValidationError(f"Unknown kind of claimant {cleaned['claimant_kind']!r}.")
    if "said_url" in cleaned:
        cleaned["said_url"] = validate_said_url(cleaned["said_url"])
    return cleaned


def correction_changes_for(*, claim: Claim, claim_values: dict, evidence_values: dict) -> list:
    """The CorrectionChange rows (unsaved, without a version) that take the published claim
    and its evidence to the wanted values: one per field that differs from what is published.

    ``claim_values``: {field: value} over PUBLIC_FIELDS. ``evidence_values``: {evidence id:
    {field: value}} over EVIDENCE_PUBLIC_FIELDS, for live evidence of this claim. Raises
    ValidationError for anything else.
    """
    from claims.models import CorrectionChange, Evidence

    wanted = _clean_claim_values(claim_values)
    rows = [
        CorrectionChange(field=name, old_value=change["old"], new_value=change["new"])
        for name, change in field_changes(
            {name: getattr(claim, name) for name in wanted}, wanted
        ).items()
    ]
    items = {
        e.pk: e for e in Evidence.objects.active().filter(claim=claim, pk__in=[int(k) for k in evidence_values])
    }
    for key, values in evidence_values.items():
        evidence = items.get(int(key))
        if evidence is None:
            raise ValidationError("Some evidence in this correction is no longer attached to the claim.")
        cleaned = clean_evidence_fields(values)
        if set(cleaned) - set(EVIDENCE_PUBLIC_FIELDS):
            raise ValidationError("A correction changes only what the public page shows of evidence.")
        for name, change in field_changes({n: getattr(evidence, n) for n in cleaned}, cleaned).items():
            rows.append(CorrectionChange(evidence=evidence, field=name, old_value=change["old"],
                                         new_value=change["new"]))
    return rows


def correction_problems(*, claim: Claim, changes) -> list[str]:
    """Why these proposed changes can no longer be applied as they stand (a value moved since
    they were proposed, or the evidence was removed); empty when they apply cleanly."""
    from claims.models import Evidence

    problems = []
    evidence = {
        e.pk: e
        for e in Evidence.objects.filter(pk__in={c.evidence_id for c in changes if c.evidence_id})
    }
    for change in changes:
        target = claim if change.evidence_id is None else evidence.get(change.evidence_id)
        label = change.field.replace("_", " ")
        if target is None or getattr(target, "is_removed", False) or (
            change.evidence_id and target.claim_id != claim.pk
        ):
            problems.append("Evidence this correction changes is no longer attached to the claim.")
        elif json_value(getattr(target, change.field)) != change.old_value:
            where = "the claim" if change.evidence_id is None else f"evidence “{str(target.source)[:60]}”"
            problems.append(
                f"The {label} of {where} changed since this correction was proposed; "
                "it must be proposed again from the current values."
            )
    return problems


@transaction.atomic
def claim_apply_correction(*, actor, claim_id: int, version_id: int) -> Claim:
    """Apply an approved correction's changes to the published claim and its evidence.

    Called by claims.reviewing's verdict_approve, inside its transaction, once the reviewer
    (never the version's author) has approved it: this is the only write that changes a
    published claim's public fields or its cited evidence. Everything is applied or nothing
    is: a value that moved since the correction was proposed refuses the whole approval.
    The activity log gets the old and new values, with the version and its correction note.
    """
    from claims.models import Evidence, VerdictState, VerdictVersion

    require_editor(actor)
    claim = lock_claim(claim_id)
    version = VerdictVersion.objects.filter(pk=version_id, claim_id=claim.pk).first()
    if version is None or version.state != VerdictState.SUBMITTED:
        raise ValidationError("Only a correction awaiting review can be applied, by approving it.")
    if version.author_id == getattr(actor, "pk", None):
        raise PermissionDenied("You proposed this correction, so another reviewer must approve it.")
    changes = list(version.changes.order_by("pk"))
    if not changes:
        return claim
    problems = correction_problems(claim=claim, changes=changes)
    if problems:
        raise ValidationError(problems + ["Request changes so its author can propose it again."])
    common = {"version": version.number, "correction_note": version.correction_note[:2000]}

    claim_changes = {c.field: {"old": c.old_value, "new": c.new_value} for c in changes if c.evidence_id is None}
    if claim_changes:
        for name, change in claim_changes.items():
            setattr(claim, name, change["new"])
        claim.revision = F("revision") + 1
        claim.save(update_fields=[*claim_changes, "revision", "updated_at"])
        claim.refresh_from_db()
        if {"text", "claimant"} & set(claim_changes):
            claim_refresh_search(claim_id=claim.pk)
        activity_record(actor=actor, verb=ActivityVerb.CLAIM_CORRECTED, claim=claim,
                        fields=list(claim_changes), changes=claim_changes, **common)

    by_evidence: dict[int, dict] = {}
    for change in changes:
        if change.evidence_id is not None:
            by_evidence.setdefault(change.evidence_id, {})[change.field] = {
                "old": change.old_value, "new": change.new_value,
            }
    locked = Evidence.objects.select_for_update().select_related("source").in_bulk(list(by_evidence))
    for evidence_id, evidence_changes in sorted(by_evidence.items()):
        evidence = locked[evidence_id]
        wanted = {name: change["new"] for name, change in evidence_changes.items()}
        write_evidence_changes(claim=claim, evidence=evidence, wanted=wanted, changes=evidence_changes)
        activity_record(
            actor=actor, verb=ActivityVerb.EVIDENCE_CORRECTED, claim=claim, evidence_id=evidence_id,
            source=evidence_label(evidence), fields=list(evidence_changes), changes=evidence_changes,
            **common,
        )
    return claim
