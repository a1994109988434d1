"""Evidence: attaching a source to a claim with a stance (by URL, described by hand, a
denial), correcting an item and removing it (a tombstone, never a deletion).

What an editor says about an item (its stance, who said it, the quote, when and where) is
one value, ``EvidenceDetails``, passed through as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from claims.activity import activity_record, field_changes
from claims.models import ActivityVerb
from claims.models.verdicts import EVIDENCE_CORRECTABLE_FIELDS
from claims.permissions import require_editor
from claims.services.search import claim_refresh_search
from claims.services.workflow import lock_claim


class DuplicateEvidence(ValidationError):
    pass


@dataclass(frozen=True)
class EvidenceDetails:
    """What an editor says about a piece of evidence, whatever its source: its stance, who
    says it (a party to the claim or not), the quote, an internal note, when and where."""

    stance: str
    speaker: str = ""
    speaker_is_party: bool = False
    quote: str = ""
    note: str = ""
    stated_on: date | None = None
    stated_where: str = ""

    @classmethod
    def of(cls, details: EvidenceDetails | None = None, **given) -> EvidenceDetails:
        """``details`` as it is, or one made from keyword fields (callers may pass either;
        an unknown field is a TypeError, as for any function)."""
        if details is not None:
            if given:
                raise TypeError(f"Pass details or fields, not both: {', '.join(sorted(given))}")
            return details
        return cls(**given)

    @classmethod
    def field_names(cls) -> frozenset[str]:
        return frozenset(f.name for f in fields(cls))


@transaction.atomic
def evidence_add(*, actor, claim_id: int, source, details: EvidenceDetails | None = None, **given):
    """Attach a source to a claim with a stance. Refuses an exact duplicate. ``details`` (or
    its fields as keywords) say what the source says."""
    from claims.models import Evidence, Stance

    details = EvidenceDetails.of(details, **given)
    require_editor(actor)
    claim = lock_claim(claim_id)
    if details.stance not in Stance.values:
        raise ValidationError(f"Unknown stance {details.stance!r}.")
    speaker = (details.speaker or "").strip()
    if Evidence.objects.active().filter(claim=claim, source=source, speaker=speaker).exists():
        raise DuplicateEvidence("This source is already attached to the claim for that speaker.")
    evidence = Evidence.objects.create(
        claim=claim,
        source=source,
        stance=details.stance,
        speaker=speaker,
        speaker_is_party=details.speaker_is_party,
        quote=(details.quote or "").strip(),
        note=(details.note or "").strip(),
        stated_on=details.stated_on,
        stated_where=(details.stated_where or "").strip(),
        added_by=actor,
    )
    claim_refresh_search(claim_id=claim.pk)
    denial = evidence.stance == Stance.DENIES and details.speaker_is_party
    activity_record(
        actor=actor,
        verb=ActivityVerb.DENIAL_RECORDED if denial else ActivityVerb.EVIDENCE_ADDED,
        claim=claim,
        evidence_id=evidence.pk,
        stance=details.stance,
        speaker=speaker,
        source=str(source)[:200],
    )
    return evidence


@transaction.atomic
def evidence_attach_url(
    *, actor, claim_id: int, url: str, details: EvidenceDetails | None = None, **given
):
    """Cite a web page: find or create its Source, attach it, and archive it after commit.

    Raises ValidationError for a bad URL and DuplicateEvidence ("Already attached: …") when the
    claim already cites that page for that speaker.
    """
    from claims.models import Evidence
    from sources.services import source_archive_later, source_for_url

    details = EvidenceDetails.of(details, **given)
    require_editor(actor)
    source, _created = source_for_url(url=url)
    if Evidence.objects.active().filter(
        claim_id=claim_id, source=source, speaker=(details.speaker or "").strip()
    ).exists():
        raise DuplicateEvidence(f"Already attached: {source.title or source.url}")
    evidence = evidence_add(actor=actor, claim_id=claim_id, source=source, details=details)
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
    outlet=None,
    outlet_name: str = "",
    description: str = "",
    published_on: date | None = None,
    details: EvidenceDetails | None = None,
    **given,
):
    """Cite a statement that has no URL (press conference, phone call, document)."""
    from sources.services import source_create_manual

    details = EvidenceDetails.of(details, **given)
    require_editor(actor)
    source = source_create_manual(
        kind=kind, title=title, outlet=outlet, outlet_name=outlet_name, description=description,
        published_on=published_on,
    )
    return evidence_add(actor=actor, claim_id=claim_id, source=source, details=details)


@transaction.atomic
def denial_record(
    *,
    actor,
    claim_id: int,
    speaker: str,
    quote: str,
    note: str = "",
    stated_on: date | None = None,
    stated_where: str = "",
    url: str = "",
    kind: str = "",
    title: str = "",
    outlet_name: str = "",
):
    """Record that a party to the claim denies it: by the URL of where they said it, or, with
    none, a source described by hand (an official statement unless ``kind`` says otherwise,
    dated the day they said it)."""
    from claims.models import Stance
    from sources.models import SourceKind

    details = EvidenceDetails(
        stance=Stance.DENIES, speaker=speaker, speaker_is_party=True, quote=quote, note=note,
        stated_on=stated_on, stated_where=stated_where,
    )
    if url:
        return evidence_attach_url(actor=actor, claim_id=claim_id, url=url, details=details)
    return evidence_add_manual(
        actor=actor, claim_id=claim_id, kind=kind or SourceKind.OFFICIAL_STATEMENT, title=title,
        outlet_name=outlet_name or "", published_on=stated_on, details=details,
    )


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
    claim = lock_claim(claim_id)
    evidence = Evidence.objects.select_for_update().select_related("source").get(pk=evidence_id)
    if evidence.claim_id != claim.pk:  # moved to another claim (a duplicate merge) meanwhile
        return _lock_evidence(evidence_id)
    return claim, evidence


def clean_evidence_fields(fields: dict) -> dict:
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


def evidence_label(evidence) -> str:
    return str(evidence.source)[:200]


def write_evidence_changes(*, claim, evidence, wanted: dict, changes: dict) -> None:
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
    wanted = clean_evidence_fields(fields)
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
    write_evidence_changes(claim=claim, evidence=evidence, wanted=wanted, changes=changes)
    activity_record(
        actor=actor, verb=ActivityVerb.EVIDENCE_EDITED, claim=claim, evidence_id=evidence.pk,
        source=evidence_label(evidence), speaker=evidence.speaker, fields=list(changes),
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
        reason=reason, source=evidence_label(evidence), stance=evidence.stance,
        speaker=evidence.speaker, quote=evidence.quote[:500],
        dropped_from_drafts=[d.number for d in drafts],
    )
    return evidence
