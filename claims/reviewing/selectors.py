"""Shared reads for verdicts, reviews, notifications and the public fact-checks."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Exists, F, Max, Min, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from claims.models import (
    Claim,
    ClaimStatus,
    CorrectionChange,
    Evidence,
    Notification,
    Rating,
    Review,
    VerdictState,
    VerdictVersion,
)
from claims.permissions import require_editor, require_reviewer
from claims.selectors import claim_get_for_user

# --- Ratings --------------------------------------------------------------------------


def ratings_for_new_drafts() -> QuerySet[Rating]:
    return Rating.objects.filter(is_retired=False).order_by("order", "label")


def rating_scale_bounds() -> tuple[int, int]:
    """(worstRating, bestRating) over the whole scale, retired ratings included, because a
    published verdict may still carry a rating that has since been retired."""
    bounds = Rating.objects.aggregate(worst=Min("rating_value"), best=Max("rating_value"))
    return (bounds["worst"] or 1, bounds["best"] or 5)


# --- Fetchers (the access rule: README, "Access: 403 or 404") ------------------------


def verdict_claim_get_for_user(user, claim_id: int) -> Claim:
    """The claim whose Verdict tab this is. Someone outside the desk gets 403 before any
    lookup (an exception to the 404 rule that tests/reviewing/test_views.py pins)."""
    require_editor(user)
    return claim_get_for_user(user, claim_id)


def version_get_for_user(user, version_id: int, *, review: bool = False) -> VerdictVersion:
    """A verdict version for the desk (``review``: for a reviewer). 403 before any lookup for
    anyone else (pinned like the tab), 404 for a missing version."""
    require_reviewer(user) if review else require_editor(user)
    return get_object_or_404(VerdictVersion, pk=version_id)


def notification_get_for_user(user, notification_id: int) -> Notification:
    """One of the user's own notifications; anyone else's is a 404 (never "not yours")."""
    require_editor(user)
    return get_object_or_404(Notification, pk=notification_id, recipient=user)


# --- Verdict versions -----------------------------------------------------------------


def versions_for_claim(claim: Claim) -> QuerySet[VerdictVersion]:
    return (
        VerdictVersion.objects.filter(claim=claim)
        .select_related("rating", "author", "reviewed_by")
        .prefetch_related(
            Prefetch("cited_evidence", queryset=Evidence.objects.select_related("source")),
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
            Prefetch("changes", queryset=CorrectionChange.objects.select_related("evidence__source")),
        )
        .order_by("-number")
    )


def frozen_evidence_for(claim: Claim) -> list[Evidence]:
    """The live evidence the published verdict cites: what a correction may change."""
    return list(
        Evidence.objects.active()
        .filter(claim=claim, cited_by__claim=claim, cited_by__state=VerdictState.APPROVED)
        .select_related("source")
        .distinct()
        .order_by("stance", "added_at", "pk")
    )


@dataclass
class ProposedChanges:
    """A version's CorrectionChange rows, ready to show: the claim's fields, then each item."""

    claim: list
    evidence: list  # [(evidence, [FieldChange])]

    def __bool__(self) -> bool:
        return bool(self.claim or self.evidence)

    def labels(self) -> list[str]:
        """Short words for what changed ("the claimant", "the stance of “MFA briefing”")."""
        words = [f"the {c.label.lower()}" for c in self.claim]
        for evidence, rows in self.evidence:
            words += [f"the {c.label.lower()} of “{str(evidence.source)[:60]}”" for c in rows]
        return words


def proposed_changes(version: VerdictVersion | None) -> ProposedChanges:
    """What ``version`` changes in the published claim and its evidence (uses the prefetch
    of versions_for_claim when there is one)."""
    from claims.activity import describe_changes

    if version is None:
        return ProposedChanges([], [])
    rows = list(version.changes.all())
    claim_rows = describe_changes(
        {c.field: {"old": c.old_value, "new": c.new_value} for c in rows if c.evidence_id is None}
    )
    items: dict[int, tuple] = {}
    for change in rows:
        if change.evidence_id is not None:
            items.setdefault(change.evidence_id, (change.evidence, {}))[1][change.field] = {
                "old": change.old_value, "new": change.new_value,
            }
    evidence = [(item, describe_changes(values)) for item, values in items.values()]
    return ProposedChanges(claim_rows, evidence)


def latest_version(claim: Claim) -> VerdictVersion | None:
    return VerdictVersion.objects.filter(claim=claim).order_by("-number").first()


def approved_version(claim: Claim) -> VerdictVersion | None:
    """The verdict the public sees: the latest approved version."""
    return (
        VerdictVersion.objects.filter(claim=claim, state=VerdictState.APPROVED)
        .select_related("rating")
        .order_by("-number")
        .first()
    )


def awaiting_review_for(user) -> QuerySet[VerdictVersion]:
    """Submitted versions this user may review: everything submitted they did not write."""
    return (
        VerdictVersion.objects.filter(state=VerdictState.SUBMITTED)
        .exclude(author=user)
        .select_related("claim", "rating", "author")
        .order_by("submitted_at")
    )


def _corrections() -> QuerySet[VerdictVersion]:
    return (
        VerdictVersion.objects.filter(state__in=[VerdictState.APPROVED, VerdictState.SUPERSEDED])
        .exclude(correction_note="")
        .filter(published_at__isnull=False)
        .prefetch_related(
            Prefetch("changes", queryset=CorrectionChange.objects.select_related("evidence__source"))
        )
        .order_by("published_at")
    )


def corrections_for(claim: Claim) -> list[VerdictVersion]:
    """Approved versions that corrected an earlier published verdict (or the claim's own
    fields, or its evidence), oldest first; each carries ``changed``: what it changed."""
    prefetched = getattr(claim, "public_corrections", None)
    versions = list(prefetched) if prefetched is not None else list(_corrections().filter(claim=claim))
    for version in versions:
        version.changed = proposed_changes(version)
    return versions


def notifications_for(user) -> QuerySet[Notification]:
    """Unread first, newest first."""
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at"
    )


# --- Diff between versions ------------------------------------------------------------


@dataclass
class FieldDiff:
    field: str
    lines: list[tuple[str, str]]  # (kind: "added" | "removed" | "same", text) — text is escaped by the template

    @property
    def changed(self) -> bool:
        return any(kind != "same" for kind, _ in self.lines)


def _citations_text(version: VerdictVersion) -> str:
    cited = sorted(version.cited_evidence.all(), key=lambda e: e.pk)
    return "\n".join(f"[{e.get_stance_display()}] {e.speaker or '—'}: {e.source}" for e in cited)


def _fields(version: VerdictVersion | None) -> dict[str, str]:
    if version is None:
        return {"Rating": "", "Headline": "", "Summary": "", "Reasoning": "", "Citations": "",
                "Denial waiver": "", "Correction note": ""}
    return {
        "Rating": version.rating.label,
        "Headline": version.headline,
        "Summary": version.summary_md,
        "Reasoning": version.reasoning,
        "Citations": _citations_text(version),
        "Denial waiver": version.denial_waiver_reason,
        "Correction note": version.correction_note,
    }


def verdict_diff(old: VerdictVersion | None, new: VerdictVersion) -> list[FieldDiff]:
    """Line diff (difflib) of each field from ``old`` to ``new``; unchanged fields are omitted."""
    before, after = _fields(old), _fields(new)
    diffs = []
    for field, new_text in after.items():
        lines = []
        for line in difflib.ndiff(before[field].splitlines(), new_text.splitlines()):
            code, text = line[:2], line[2:]
            if code == "+ ":
                lines.append(("added", text))
            elif code == "- ":
                lines.append(("removed", text))
            elif code == "  ":
                lines.append(("same", text))
        diff = FieldDiff(field, lines)
        if diff.changed:
            diffs.append(diff)
    return diffs


# --- Public fact-checks ---------------------------------------------------------------


def published_claims() -> QuerySet[Claim]:
    """Claims the public may see: published, with a slug and an approved verdict."""
    return (
        Claim.objects.filter(status=ClaimStatus.PUBLISHED, slug__isnull=False)
        .filter(
            Exists(
                VerdictVersion.objects.filter(claim=OuterRef("pk"), state=VerdictState.APPROVED)
            )
        )
        .order_by("-published_at", "-pk")
    )


def with_public_verdicts(claims: QuerySet[Claim], *, corrections: bool = False) -> QuerySet[Claim]:
    """Prefetch each claim's approved version (as ``approved_versions``) with its rating and
    cited evidence, and with ``corrections`` its published corrections (as
    ``public_corrections``), so lists and feeds run a fixed number of queries."""
    prefetches = [
        Prefetch(
            "verdict_versions",
            queryset=VerdictVersion.objects.filter(state=VerdictState.APPROVED)
            .select_related("rating")
            .prefetch_related(
                Prefetch(
                    "cited_evidence",
                    queryset=Evidence.objects.select_related("source__outlet").order_by("added_at"),
                )
            )
            .order_by("-number"),
            to_attr="approved_versions",
        )
    ]
    if corrections:
        prefetches.append(
            Prefetch("verdict_versions", queryset=_corrections(), to_attr="public_corrections")
        )
    return claims.prefetch_related(*prefetches)


def cited_snapshots(version: VerdictVersion) -> dict:
    """{source id: Snapshot} for the sources ``version`` cites: the copy archived at or before
    the verdict's publication (what the desk saw), else the first one archived after it.
    Only these are public (see public_views.fact_check_archived_copy); the body stays out."""
    from sources.selectors import snapshots_as_of

    return snapshots_as_of(
        source_ids={e.source_id for e in version.cited_evidence.all()}, moment=version.published_at
    )


def public_claim_by_slug(slug: str) -> Claim | None:
    return with_public_verdicts(published_claims().filter(slug=slug), corrections=True).first()


# --- Rating colours -------------------------------------------------------------------

DARK_INK = "#1c2430"
LIGHT_INK = "#ffffff"
BLACK_INK = "#000000"
AA_TEXT_CONTRAST = 4.5


def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_for(background: str) -> str:
    """White or dark text, whichever contrasts more with the rating's colour. The Admin may
    pick any colour; for mid-tones where neither reaches AA (4.5:1) the text turns pure black,
    which then always does (white and black contrasts multiply to 21)."""
    try:
        light, dark = contrast_ratio(background, LIGHT_INK), contrast_ratio(background, DARK_INK)
    except (ValueError, IndexError):
        return DARK_INK
    if max(light, dark) < AA_TEXT_CONTRAST:
        return BLACK_INK
    return LIGHT_INK if light >= dark else DARK_INK
