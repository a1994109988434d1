"""Writes to claims. Each transition is one function that locks the row, checks the
move and the actor's role, saves with ``update_fields`` and logs an ActivityEvent.

Nothing outside this module assigns ``Claim.status``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, TextField, Value

from claims.activity import activity_record, field_changes, json_value
from claims.corroboration.embedding import claim_embed_later
from claims.models import (
    ActivityVerb,
    Claim,
    ClaimantKind,
    ClaimStatus,
    Priority,
    Tag,
)
from claims.models.verdicts import CLAIM_CORRECTABLE_FIELDS, EVIDENCE_CORRECTABLE_FIELDS
from claims.permissions import can_review_claims, require_editor

# The workflow: which moves exist, and who may make them.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ClaimStatus.NEW: {ClaimStatus.TRIAGED, ClaimStatus.REJECTED, ClaimStatus.DUPLICATE},
    ClaimStatus.TRIAGED: {
        ClaimStatus.RESEARCHING,
        ClaimStatus.NEW,
        ClaimStatus.REJECTED,
        ClaimStatus.DUPLICATE,
    },
    ClaimStatus.RESEARCHING: {
        ClaimStatus.IN_REVIEW,
        ClaimStatus.TRIAGED,
        ClaimStatus.REJECTED,
        ClaimStatus.DUPLICATE,
    },
    ClaimStatus.IN_REVIEW: {
        ClaimStatus.PUBLISHED,
        ClaimStatus.RESEARCHING,
        ClaimStatus.REJECTED,
        ClaimStatus.DUPLICATE,
    },
    # A published claim is corrected through a new reviewed verdict version.
    ClaimStatus.PUBLISHED: {ClaimStatus.IN_REVIEW},
    ClaimStatus.REJECTED: {ClaimStatus.NEW},
    ClaimStatus.DUPLICATE: set(),
}
REVIEWER_ONLY_TARGETS = {ClaimStatus.PUBLISHED}


class TransitionNotAllowed(ValidationError):
    pass


class StaleEdit(ValidationError):
    """Someone else saved the claim since this form was loaded."""

    def __init__(self, claim: Claim):
        self.current = claim
        super().__init__(
            "Someone else changed this claim while you were editing it. "
            "Review the current values below and save again."
        )


def _check_transition(*, actor, claim: Claim, to_status: str) -> None:
    require_editor(actor)
    if to_status in REVIEWER_ONLY_TARGETS and not can_review_claims(actor):
        raise PermissionDenied("Only reviewers can publish a claim.")
    if to_status not in ALLOWED_TRANSITIONS.get(claim.status, set()):
        raise TransitionNotAllowed(
            f"A claim that is {claim.get_status_display().lower()} cannot move to "
            f"{ClaimStatus(to_status).label.lower()}."
        )


def _lock(claim_id: int) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim_id)


def _move(*, actor, claim_id: int, to_status: str, verb: str, extra_fields=(), **details) -> Claim:
    """Shared body of the named transitions below. Call inside transaction.atomic."""
    claim = _lock(claim_id)
    _check_transition(actor=actor, claim=claim, to_status=to_status)
    from_status = claim.status
    claim.status = to_status
    claim.revision = F("revision") + 1
    claim.save(update_fields=["status", "revision", "updated_at", *extra_fields])
    claim.refresh_from_db()
    activity_record(
        actor=actor, verb=verb, claim=claim, from_status=from_status, to_status=to_status, **details
    )
    return claim


@transaction.atomic
def claim_triage(*, actor, claim_id: int) -> Claim:
    return _move(actor=actor, claim_id=claim_id, to_status=ClaimStatus.TRIAGED, verb=ActivityVerb.TRIAGED)


@transaction.atomic
def claim_start_research(*, actor, claim_id: int) -> Claim:
    return _move(
        actor=actor, claim_id=claim_id, to_status=ClaimStatus.RESEARCHING, verb=ActivityVerb.STARTED_RESEARCH
    )


# The steps back a claim can take (claim_return_to). Publishing is never one of them.
BACKWARD_STEPS: dict[str, set[str]] = {
    ClaimStatus.TRIAGED: {ClaimStatus.NEW},
    ClaimStatus.RESEARCHING: {ClaimStatus.TRIAGED},
    ClaimStatus.IN_REVIEW: {ClaimStatus.RESEARCHING},
}


@transaction.atomic
def claim_return_to(*, actor, claim_id: int, to_status: str, reason: str = "") -> Claim:
    """Step back in the workflow (e.g. triaged → new, in review → researching)."""
    claim = _lock(claim_id)
    if to_status not in BACKWARD_STEPS.get(claim.status, set()):
        _check_transition(actor=actor, claim=claim, to_status=to_status)  # explains most moves
        raise TransitionNotAllowed(
            f"Moving a claim that is {claim.get_status_display().lower()} to "
            f"{ClaimStatus(to_status).label.lower()} is not a step back."
        )
    return _move(actor=actor, claim_id=claim_id, to_status=to_status, verb=ActivityVerb.MOVED_BACK, reason=reason)


@transaction.atomic
def claim_submit_for_review(*, actor, claim_id: int) -> Claim:
    return _move(
        actor=actor, claim_id=claim_id, to_status=ClaimStatus.IN_REVIEW, verb=ActivityVerb.SUBMITTED_FOR_REVIEW
    )


@transaction.atomic
def claim_publish(*, actor, claim_id: int, version_id: int) -> Claim:
    """Publish a claim as part of approving its verdict (claims.reviewing's verdict_approve).

    The two-person rule holds here too, not only in the verdict service: there must be a
    submitted verdict version for this claim, written by someone other than the publisher.
    """
    from claims.models import VerdictState, VerdictVersion

    version = (
        VerdictVersion.objects.filter(pk=version_id, claim_id=claim_id)
        .only("state", "author_id")
        .first()
    )
    if version is None or version.state != VerdictState.SUBMITTED:
        raise ValidationError(
            "A claim is published by approving its submitted verdict on the Verdict tab."
        )
    if version.author_id == getattr(actor, "pk", None):
        raise PermissionDenied("You wrote this verdict, so another reviewer must approve it.")
    return _move(
        actor=actor,
        claim_id=claim_id,
        to_status=ClaimStatus.PUBLISHED,
        verb=ActivityVerb.PUBLISHED,
        version=version_id,
    )


@transaction.atomic
def claim_reject(*, actor, claim_id: int, reason: str) -> Claim:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the claim is not check-worthy.")
    claim = _lock(claim_id)
    _check_transition(actor=actor, claim=claim, to_status=ClaimStatus.REJECTED)
    claim.rejection_reason = reason
    claim.save(update_fields=["rejection_reason"])
    return _move(
        actor=actor,
        claim_id=claim_id,
        to_status=ClaimStatus.REJECTED,
        verb=ActivityVerb.REJECTED,
        reason=reason,
    )


@transaction.atomic
def claim_reopen(*, actor, claim_id: int) -> Claim:
    return _move(actor=actor, claim_id=claim_id, to_status=ClaimStatus.NEW, verb=ActivityVerb.REOPENED)


def claim_refresh_search(*, claim_id: int) -> None:
    """Rebuild the claim's full-text document from its text, claimant, notes and quotes.

    Weights: the claim and claimant rank above evidence quotes, which rank above notes.
    """
    from claims.models import Evidence, Note
    from sources.language import ts_config

    quotes = " ".join(
        Evidence.objects.active().filter(claim_id=claim_id).values_list("quote", flat=True)
    )
    notes = " ".join(Note.objects.filter(claim_id=claim_id).values_list("body", flat=True))
    # In the claim's own language once the embedding worker has detected it (English before).
    language = Claim.objects.filter(pk=claim_id).values_list("language", flat=True).first()
    config = ts_config(language or "en")
    Claim.objects.filter(pk=claim_id).update(
        search_vector=SearchVector("text", weight="A", config=config)
        + SearchVector("claimant", weight="A", config=config)
        + SearchVector(Value(quotes, output_field=TextField()), weight="B", config=config)
        + SearchVector(Value(notes, output_field=TextField()), weight="C", config=config)
    )


def _tags_from_names(names: Iterable[str]) -> list[Tag]:
    cleaned = sorted({n.strip().lower()[:60] for n in names if n and n.strip()})
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


@transaction.atomic
def claim_create(
    *,
    actor,
    text: str,
    claimant: str,
    claimant_kind: str = ClaimantKind.PERSON,
    said_url: str = "",
    said_where: str = "",
    said_on: date | None = None,
    priority: int = Priority.NORMAL,
    tags: Iterable[str] = (),
) -> Claim:
    require_editor(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError("A claim needs its text.")
    said_url = validate_said_url(said_url)
    claim = Claim.objects.create(
        text=text,
        claimant=(claimant or "").strip(),
        claimant_kind=claimant_kind,
        said_url=said_url,
        said_where=said_where,
        said_on=said_on,
        priority=priority,
        created_by=actor,
    )
    tag_objects = _tags_from_names(tags)
    if tag_objects:
        claim.tags.set(tag_objects)
    claim_refresh_search(claim_id=claim.pk)
    claim_embed_later(claim_id=claim.pk)
    activity_record(actor=actor, verb=ActivityVerb.LOGGED, claim=claim, text=text[:200])
    return claim


@transaction.atomic
def claim_assign(*, actor, claim_id: int, assignee) -> Claim:
    require_editor(actor)
    claim = _lock(claim_id)
    if assignee is not None and not assignee.has_perm("claims.change_claim"):
        raise ValidationError(f"{assignee.get_username()} is not an editor and cannot be assigned.")
    previous = claim.assignee.get_username() if claim.assignee else None
    claim.assignee = assignee
    claim.revision = F("revision") + 1
    claim.save(update_fields=["assignee", "revision", "updated_at"])
    claim.refresh_from_db()
    activity_record(
        actor=actor,
        verb=ActivityVerb.ASSIGNED if assignee else ActivityVerb.UNASSIGNED,
        claim=claim,
        assignee=assignee.get_username() if assignee else None,
        previous=previous,
    )
    return claim



class DuplicateEvidence(ValidationError):
    pass


@transaction.atomic
def evidence_add(
    *,
    actor,
    claim_id: int,
    source,
    stance: str,
    speaker: str = "",
    speaker_is_party: bool = False,
    quote: str = "",
    note: str = "",
    stated_on: date | None = None,
    stated_where: str = "",
):
    """Attach a source to a claim with a stance. Refuses an exact duplicate."""
    from claims.models import Evidence, Stance

    require_editor(actor)
    claim = _lock(claim_id)
    if stance not in Stance.values:
        raise ValidationError(f"Unknown stance {stance!r}.")
    speaker = (speaker or "").strip()
    if Evidence.objects.active().filter(claim=claim, source=source, speaker=speaker).exists():
        raise DuplicateEvidence("This source is already attached to the claim for that speaker.")
    evidence = Evidence.objects.create(
        claim=claim,
        source=source,
        stance=stance,
        speaker=speaker,
        speaker_is_party=speaker_is_party,
        quote=(quote or "").strip(),
        note=(note or "").strip(),
        stated_on=stated_on,
        stated_where=(stated_where or "").strip(),
        added_by=actor,
    )
    claim_refresh_search(claim_id=claim.pk)
    verb = ActivityVerb.DENIAL_RECORDED if evidence.stance == Stance.DENIES and speaker_is_party else ActivityVerb.EVIDENCE_ADDED
    activity_record(
        actor=actor,
        verb=verb,
        claim=claim,
        evidence_id=evidence.pk,
        stance=stance,
        speaker=speaker,
        source=str(source)[:200],
    )
    return evidence


# --- Correcting evidence on the desk -------------------------------------------------------

# What the public page and the ClaimReview markup show of a cited item. The note is the desk's.
EVIDENCE_PUBLIC_FIELDS = EVIDENCE_CORRECTABLE_FIELDS
EVIDENCE_EDITABLE_FIELDS = {*EVIDENCE_PUBLIC_FIELDS, "note"}


class EvidenceFrozen(ValidationError):
    """A change to evidence cited by a published verdict (or one under review)."""


class StaleEvidenceEdit(ValidationError):
    """Someone else changed the evidence since this form was loaded."""

    def __init__(self, evidence):
        self.current = evidence
        super().__init__(
            "Someone else changed this evidence while you were editing it. Review the current "
            "values and save again."
        )


def evidence_citing_versions(evidence_id: int) -> list:
    """The verdict versions that make this evidence frozen: the published one (approved) and
    one awaiting review (submitted), newest first."""
    from claims.models import VerdictState, VerdictVersion

    return list(
        VerdictVersion.objects.filter(
            cited_evidence=evidence_id, state__in=[VerdictState.APPROVED, VerdictState.SUBMITTED]
        ).order_by("-number")
    )


def evidence_frozen_reason(evidence, *, citing=None) -> str:
    """Why the item's stance, speaker, quote and dates cannot be edited directly, or ""."""
    from claims.models import VerdictState

    citing = evidence_citing_versions(evidence.pk) if citing is None else citing
    approved = next((v for v in citing if v.state == VerdictState.APPROVED), None)
    if approved is not None:
        return (
            f"This evidence is cited by the published verdict (v{approved.number}), so its stance, "
            "speaker, quote and dates are frozen. They change only through a correction that a "
            "second person reviews: propose one on the Verdict tab. The internal note stays editable."
        )
    if citing:
        return (
            f"This evidence is cited by verdict v{citing[0].number}, which is awaiting review, so "
            "its stance, speaker, quote and dates are locked until the reviewer decides. The "
            "internal note stays editable."
        )
    return ""


def _lock_evidence(evidence_id: int):
    """Lock the claim, then the evidence (the order every claim write uses)."""
    from claims.models import Evidence

    claim_id = Evidence.objects.values_list("claim_id", flat=True).filter(pk=evidence_id).first()
    if claim_id is None:
        raise ValidationError("That evidence no longer exists.")
    claim = _lock(claim_id)
    evidence = Evidence.objects.select_for_update().select_related("source").get(pk=evidence_id)
    if evidence.claim_id != claim.pk:  # moved to another claim (a duplicate merge) meanwhile
        return _lock_evidence(evidence_id)
    return claim, evidence


def _clean_evidence_fields(fields: dict) -> dict:
    from claims.models import Stance

    unknown = set(fields) - EVIDENCE_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    cleaned = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "speaker_is_party":
            value = bool(value)
        cleaned[name] = value
    if "stance" in cleaned and cleaned["stance"] not in Stance.values:
        raise ValidationError(f"Unknown stance {cleaned['stance']!r}.")
    return cleaned


def _evidence_label(evidence) -> str:
    return str(evidence.source)[:200]


def _write_evidence_changes(*, claim, evidence, wanted: dict, changes: dict) -> None:
    """Save ``changes`` on a locked, live evidence row (refusing a duplicate speaker)."""
    from claims.models import Evidence

    if "speaker" in changes and Evidence.objects.active().filter(
        claim_id=claim.pk, source_id=evidence.source_id, speaker=wanted["speaker"]
    ).exclude(pk=evidence.pk).exists():
        raise DuplicateEvidence(
            "This source is already attached to the claim for that speaker; edit that item instead."
        )
    for name in changes:
        setattr(evidence, name, wanted[name])
    evidence.revision = F("revision") + 1
    evidence.save(update_fields=[*changes, "revision"])
    evidence.refresh_from_db()
    if "quote" in changes:
        claim_refresh_search(claim_id=claim.pk)


@transaction.atomic
def evidence_update(*, actor, evidence_id: int, expected_revision: int, **fields):
    """Correct an evidence item: stance, speaker, party, quote, note, when and where said.

    Refuses with StaleEvidenceEdit when it changed since the form was loaded, and with
    EvidenceFrozen when the item is cited by the published verdict (or one under review) and
    anything but the internal note would change. The activity row records old and new values.
    """
    require_editor(actor)
    wanted = _clean_evidence_fields(fields)
    claim, evidence = _lock_evidence(evidence_id)
    if evidence.is_removed:
        raise ValidationError("This evidence was removed; it can no longer be edited.")
    if evidence.revision != expected_revision:
        raise StaleEvidenceEdit(evidence)
    changes = field_changes({name: getattr(evidence, name) for name in wanted}, wanted)
    if not changes:
        return evidence
    if set(changes) & set(EVIDENCE_PUBLIC_FIELDS):
        reason = evidence_frozen_reason(evidence)
        if reason:
            raise EvidenceFrozen(reason)
    _write_evidence_changes(claim=claim, evidence=evidence, wanted=wanted, changes=changes)
    activity_record(
        actor=actor, verb=ActivityVerb.EVIDENCE_EDITED, claim=claim, evidence_id=evidence.pk,
        source=_evidence_label(evidence), speaker=evidence.speaker, fields=list(changes),
        changes=changes,
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence_id: int, reason: str):
    """Remove an evidence item from the claim, keeping it as a tombstone with who, when and
    why. Evidence cited by the published verdict (or one under review) is refused: withdraw it
    through a correction that no longer cites it. A draft verdict citing it stops citing it.
    Removing twice (a double click) returns the tombstone."""
    from django.utils import timezone

    from claims.models import VerdictState, VerdictVersion

    require_editor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why this evidence is being removed; the reason stays in the history.")
    claim, evidence = _lock_evidence(evidence_id)
    if evidence.is_removed:
        return evidence
    citing = evidence_citing_versions(evidence.pk)
    if citing:
        version = next((v for v in citing if v.state == VerdictState.APPROVED), citing[0])
        where = (
            f"the published verdict (v{version.number})" if version.state == VerdictState.APPROVED
            else f"verdict v{version.number}, which is awaiting review"
        )
        raise EvidenceFrozen(
            f"This evidence is cited by {where}, so it cannot be removed. To withdraw it, "
            "propose a correction whose verdict no longer cites it; once that is approved it can go."
        )
    drafts = list(
        VerdictVersion.objects.filter(cited_evidence=evidence, state=VerdictState.DRAFT)
        .select_for_update()
    )
    for draft in drafts:
        draft.cited_evidence.remove(evidence)
    evidence.removed_at = timezone.now()
    evidence.removed_by = actor
    evidence.removal_reason = reason
    evidence.revision = F("revision") + 1
    evidence.save(update_fields=["removed_at", "removed_by", "removal_reason", "revision"])
    evidence.refresh_from_db()
    claim_refresh_search(claim_id=claim.pk)
    activity_record(
        actor=actor, verb=ActivityVerb.EVIDENCE_REMOVED, claim=claim, evidence_id=evidence.pk,
        reason=reason, source=_evidence_label(evidence), stance=evidence.stance,
        speaker=evidence.speaker, quote=evidence.quote[:500],
        dropped_from_drafts=[d.number for d in drafts],
    )
    return evidence


# --- Corrections: the only way a published claim's public fields change -----------------


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
        cleaned = _clean_evidence_fields(values)
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
    claim = _lock(claim_id)
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
        _write_evidence_changes(claim=claim, evidence=evidence, wanted=wanted, changes=evidence_changes)
        activity_record(
            actor=actor, verb=ActivityVerb.EVIDENCE_CORRECTED, claim=claim, evidence_id=evidence_id,
            source=_evidence_label(evidence), fields=list(evidence_changes), changes=evidence_changes,
            **common,
        )
    return claim


# --- The desk: editing, bulk moves, duplicates, sources and notes ------------------------

# What reaches the public page and the ClaimReview markup. Once a claim is published these
# change only through a reviewed correction (claims.reviewing: a correction version).
PUBLIC_FIELDS = CLAIM_CORRECTABLE_FIELDS
# Desk-only details, editable at any time (tags are never shown publicly).
DESK_FIELDS = ("priority",)
# Fields an editor may change through the "Edit claim" form (status moves have their own functions).
EDITABLE_FIELDS = {*PUBLIC_FIELDS, *DESK_FIELDS}


class ClaimFrozen(ValidationError):
    """A change to a published claim's public fields outside a reviewed correction."""


def claim_frozen_reason(claim: Claim) -> str:
    """Why the claim's public fields cannot be edited directly, or "" when they can."""
    if claim.published_at is not None:
        return (
            "This claim has been published, so its wording, claimant and where and when it was "
            "said are frozen. They change only through a correction that a second person "
            "reviews: propose one on the Verdict tab."
        )
    if claim.status == ClaimStatus.IN_REVIEW:
        return (
            "This claim's verdict is awaiting review, and the reviewer is checking it against "
            "these words, so they are locked. Move the claim back to researching to change them."
        )
    return ""


def validate_said_url(value: str) -> str:
    """Where a claim was said must be a web address (http or https) when given."""
    from sources.validators import validate_web_url

    value = (value or "").strip()
    if value:
        validate_web_url(value)
    return value


@transaction.atomic
def claim_create_once(*, actor, **fields) -> tuple[Claim, bool]:
    """claim_create, guarded against double submission.

    Guard: an identical claim (same text and claimant) logged by the same user within the last
    minute is returned instead of creating a second one. A transaction-scoped advisory lock keyed
    on the user serialises two near-simultaneous submissions (a double click), so the second one
    sees the first. Chosen over a one-time form token because it also catches a resubmission
    from a second tab or after the back button.
    """
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    require_editor(actor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7301, actor.pk])
    recent = (
        Claim.objects.filter(
            created_by=actor,
            text=(fields.get("text") or "").strip(),
            claimant=(fields.get("claimant") or "").strip(),
            created_at__gte=timezone.now() - timedelta(minutes=1),
        )
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        return recent, False
    return claim_create(actor=actor, **fields), True


@transaction.atomic
def claim_update(*, actor, claim_id: int, expected_revision: int, **fields) -> Claim:
    """Edit a claim's details. Refuses with StaleEdit when someone saved it since the editor
    loaded the form (``expected_revision`` is the revision the form was rendered with), and
    with ClaimFrozen when a published (or in-review) claim's public fields would change:
    nothing is saved then, not even the other fields.

    ``fields`` may hold any of EDITABLE_FIELDS plus ``tags`` (an iterable of names). The
    activity row records the old and new value of every changed field.
    """
    require_editor(actor)
    unknown = set(fields) - EDITABLE_FIELDS - {"tags"}
    if unknown:
        raise ValidationError(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    claim = _lock(claim_id)
    if claim.revision != expected_revision:
        raise StaleEdit(claim)
    if "text" in fields:
        fields["text"] = (fields["text"] or "").strip()
        if not fields["text"]:
            raise ValidationError("A claim needs its text.")
    if "said_url" in fields:
        fields["said_url"] = validate_said_url(fields["said_url"])
    wanted = {}
    for name, value in fields.items():
        if name == "tags":
            continue
        if isinstance(value, str) and name != "text":
            value = value.strip()
        wanted[name] = value
    before = {name: getattr(claim, name) for name in wanted}
    new_tags = None
    if "tags" in fields:
        new_tags = _tags_from_names(fields["tags"])
        before["tags"] = sorted(claim.tags.values_list("name", flat=True))
        wanted["tags"] = sorted(t.name for t in new_tags)
    changes = field_changes(before, wanted)
    if not changes:
        return claim
    frozen = sorted(set(changes) & set(PUBLIC_FIELDS))
    reason = claim_frozen_reason(claim)
    if frozen and reason:
        raise ClaimFrozen(reason)
    for name in changes:
        if name != "tags":
            setattr(claim, name, wanted[name])
    if "tags" in changes:
        claim.tags.set(new_tags)
    claim.revision = F("revision") + 1
    claim.save(update_fields=[*[c for c in changes if c != "tags"], "revision", "updated_at"])
    claim.refresh_from_db()
    if "text" in changes:
        # The old vector and language describe the old text: the embedding queue redoes both.
        Claim.objects.filter(pk=claim.pk).update(embedding=None, language="")
        claim_embed_later(claim_id=claim.pk)
    if {"text", "claimant"} & set(changes):
        claim_refresh_search(claim_id=claim.pk)
    activity_record(actor=actor, verb=ActivityVerb.EDITED, claim=claim, fields=list(changes), changes=changes)
    return claim


@transaction.atomic
def claim_set_priority(*, actor, claim_id: int, priority: int) -> Claim:
    require_editor(actor)
    if priority not in Priority.values:
        raise ValidationError(f"Unknown priority {priority!r}.")
    claim = _lock(claim_id)
    if claim.priority == priority:
        return claim
    previous = claim.priority
    claim.priority = priority
    claim.revision = F("revision") + 1
    claim.save(update_fields=["priority", "revision", "updated_at"])
    claim.refresh_from_db()
    activity_record(
        actor=actor, verb=ActivityVerb.PRIORITY_CHANGED, claim=claim, priority=priority, previous=previous,
        changes=field_changes({"priority": previous}, {"priority": priority}),
    )
    return claim


@transaction.atomic
def claim_change_status(*, actor, claim_id: int, to_status: str, reason: str = "") -> Claim:
    """Move a claim to ``to_status`` through the named transition for that move.

    The single entry point for the claim page's buttons and the queue's bulk action. The
    current status is read under the row lock, so the move is chosen from the status the
    claim really has: a claim taken down by someone else a moment ago is not "moved back"
    onto the public pages. Duplicate is not reachable here: it needs the original (see
    claim_mark_duplicate).
    """
    current = _lock(claim_id).status
    forward = {
        (ClaimStatus.NEW, ClaimStatus.TRIAGED): claim_triage,
        (ClaimStatus.TRIAGED, ClaimStatus.RESEARCHING): claim_start_research,
        (ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW): claim_submit_for_review,
        (ClaimStatus.PUBLISHED, ClaimStatus.IN_REVIEW): claim_submit_for_review,
        (ClaimStatus.REJECTED, ClaimStatus.NEW): claim_reopen,
    }
    if to_status == ClaimStatus.DUPLICATE:
        raise ValidationError("Mark a duplicate from the claim page: it needs the original claim.")
    if to_status == ClaimStatus.PUBLISHED:
        if not can_review_claims(actor):
            raise PermissionDenied("Only reviewers can publish a claim.")
        raise ValidationError(
            "Publish by approving the verdict on the Verdict tab: a second person must review it."
        )
    if to_status == ClaimStatus.REJECTED:
        return claim_reject(actor=actor, claim_id=claim_id, reason=reason)
    move = forward.get((current, to_status))
    if move is not None:
        return move(actor=actor, claim_id=claim_id)
    # Anything else is a step back (or not allowed, which claim_return_to explains).
    return claim_return_to(actor=actor, claim_id=claim_id, to_status=to_status, reason=reason)


@transaction.atomic
def claim_mark_duplicate(*, actor, claim_id: int, original_id: int) -> Claim:
    """Fold a claim into the one it repeats: evidence and activity move to the original, the
    claim becomes a duplicate pointing at it. Evidence the original already has (same source and
    speaker) stays with the duplicate rather than breaking the unique constraint."""
    from claims.models import ActivityEvent, Evidence, Note

    require_editor(actor)
    if int(claim_id) == int(original_id):
        raise ValidationError("A claim cannot be a duplicate of itself.")
    # Lock both rows in id order so two opposite merges cannot deadlock.
    locked = {
        c.pk: c
        for c in Claim.objects.select_for_update().filter(pk__in=[claim_id, original_id]).order_by("pk")
    }
    claim, original = locked.get(int(claim_id)), locked.get(int(original_id))
    if original is None:
        raise ValidationError(f"There is no claim #{original_id}.")
    if original.status == ClaimStatus.DUPLICATE:
        raise ValidationError(
            f"Claim #{original.pk} is itself a duplicate (of #{original.duplicate_of_id}); "
            "choose the original claim."
        )
    _check_transition(actor=actor, claim=claim, to_status=ClaimStatus.DUPLICATE)
    if claim.published_at is not None:
        raise ValidationError(
            "This claim has been published: its fact-check and the evidence it cites stay "
            "where they are, so it cannot be folded into another claim."
        )
    # Tombstones move with the history; a live item the original already has stays behind.
    taken = set(Evidence.objects.active().filter(claim=original).values_list("source_id", "speaker"))
    movable = [
        e.pk
        for e in Evidence.objects.filter(claim=claim).only("pk", "source_id", "speaker", "removed_at")
        if e.removed_at is not None or (e.source_id, e.speaker) not in taken
    ]
    moved_evidence = Evidence.objects.filter(pk__in=movable).update(claim=original)
    moved_activity = ActivityEvent.objects.filter(claim=claim).update(claim=original)
    Note.objects.filter(claim=claim).update(claim=original)
    from_status = claim.status
    claim.status = ClaimStatus.DUPLICATE
    claim.duplicate_of = original
    claim.revision = F("revision") + 1
    claim.save(update_fields=["status", "duplicate_of", "revision", "updated_at"])
    claim.refresh_from_db()
    original.revision = F("revision") + 1
    original.save(update_fields=["revision", "updated_at"])
    claim_refresh_search(claim_id=original.pk)
    claim_refresh_search(claim_id=claim.pk)
    activity_record(
        actor=actor, verb=ActivityVerb.MARKED_DUPLICATE, claim=claim, from_status=from_status,
        to_status=ClaimStatus.DUPLICATE, original_id=original.pk,
    )
    activity_record(
        actor=actor, verb=ActivityVerb.MERGED_DUPLICATE, claim=original, duplicate_id=claim.pk,
        moved_evidence=moved_evidence, moved_activity=moved_activity,
        kept_on_duplicate=Evidence.objects.active().filter(claim=claim).count(),
    )
    return claim


@transaction.atomic
def evidence_attach_url(
    *,
    actor,
    claim_id: int,
    url: str,
    stance: str,
    speaker: str = "",
    speaker_is_party: bool = False,
    quote: str = "",
    note: str = "",
    stated_on: date | None = None,
    stated_where: str = "",
):
    """Cite a web page: find or create its Source, attach it, and archive it after commit.

    Raises ValidationError for a bad URL and DuplicateEvidence ("Already attached: …") when the
    claim already cites that page for that speaker.
    """
    from claims.models import Evidence
    from sources.services import source_archive_later, source_for_url

    require_editor(actor)
    source, _created = source_for_url(url=url)
    if Evidence.objects.active().filter(
        claim_id=claim_id, source=source, speaker=(speaker or "").strip()
    ).exists():
        raise DuplicateEvidence(f"Already attached: {source.title or source.url}")
    evidence = evidence_add(
        actor=actor, claim_id=claim_id, source=source, stance=stance, speaker=speaker,
        speaker_is_party=speaker_is_party, quote=quote, note=note, stated_on=stated_on,
        stated_where=stated_where,
    )
    if source.fetch_status == source.FetchStatus.PENDING:
        source_archive_later(source_id=source.pk)  # recorded now, queued on commit
    return evidence


@transaction.atomic
def evidence_add_manual(
    *,
    actor,
    claim_id: int,
    kind: str,
    title: str,
    stance: str,
    outlet=None,
    outlet_name: str = "",
    description: str = "",
    published_on: date | None = None,
    speaker: str = "",
    speaker_is_party: bool = False,
    quote: str = "",
    note: str = "",
    stated_on: date | None = None,
    stated_where: str = "",
):
    """Cite a statement that has no URL (press conference, phone call, document)."""
    from sources.services import source_create_manual

    require_editor(actor)
    source = source_create_manual(
        kind=kind, title=title, outlet=outlet, outlet_name=outlet_name, description=description,
        published_on=published_on,
    )
    return evidence_add(
        actor=actor, claim_id=claim_id, source=source, stance=stance, speaker=speaker,
        speaker_is_party=speaker_is_party, quote=quote, note=note, stated_on=stated_on,
        stated_where=stated_where,
    )


@transaction.atomic
def note_add(*, actor, claim_id: int, body: str):
    from claims.models import Note

    require_editor(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError("A note cannot be empty.")
    claim = _lock(claim_id)
    note = Note.objects.create(claim=claim, author=actor, body=body)
    claim_refresh_search(claim_id=claim.pk)
    activity_record(actor=actor, verb=ActivityVerb.NOTE_ADDED, claim=claim, note_id=note.pk)
    return note
