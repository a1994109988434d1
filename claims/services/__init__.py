"""Writes to claims, by area: ``workflow`` (status moves and bulk actions), ``editing``
(logging and editing claims), ``evidence``, ``comments``, ``corrections``, ``duplicates``, ``notes`` and
``search`` (the claim's full-text document). Each write is one function that locks the row,
checks the move and the actor's role, saves with ``update_fields`` and logs an
ActivityEvent. Callers import them from here.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from claims.services.comments import (
    comment_can_delete,
    comment_can_edit,
    comment_delete,
    comment_edit,
    comment_post,
)
from claims.services.corrections import (
    claim_apply_correction,
    correction_changes_for,
    correction_problems,
)
from claims.services.duplicates import claim_mark_duplicate
from claims.services.editing import (
    DESK_FIELDS,
    EDITABLE_FIELDS,
    PUBLIC_FIELDS,
    ClaimFrozen,
    StaleEdit,
    claim_assign,
    claim_create,
    claim_create_once,
    claim_frozen_reason,
    claim_set_priority,
    claim_update,
    validate_said_url,
)
from claims.services.evidence import (
    EVIDENCE_EDITABLE_FIELDS,
    EVIDENCE_PUBLIC_FIELDS,
    DuplicateEvidence,
    EvidenceDetails,
    EvidenceFrozen,
    StaleEvidenceEdit,
    denial_record,
    evidence_add,
    evidence_add_manual,
    evidence_attach_url,
    evidence_citing_versions,
    evidence_frozen_reason,
    evidence_remove,
    evidence_update,
)
from claims.services.notes import note_add
from claims.services.prior_checks import PriorCheckCitation, prior_check_cite
from claims.services.saved_views import (
    saved_view_create,
    saved_view_delete,
    saved_view_query,
    saved_view_update,
)
from claims.services.search import claim_refresh_search
from claims.services.watching import claim_unwatch, claim_watch, email_preferences_set
from claims.services.workflow import (
    ALLOWED_TRANSITIONS,
    BACKWARD_STEPS,
    REVIEWER_ONLY_TARGETS,
    BulkOutcome,
    TransitionNotAllowed,
    claim_change_status,
    claim_publish,
    claim_reject,
    claim_reopen,
    claim_return_to,
    claim_start_research,
    claim_submit_for_review,
    claim_triage,
    claims_bulk_apply,
)

__all__ = [
    # What the services raise, for callers that catch them (``services.ValidationError``).
    "PermissionDenied", "ValidationError",
    "ALLOWED_TRANSITIONS", "BACKWARD_STEPS", "DESK_FIELDS", "EDITABLE_FIELDS",
    "EVIDENCE_EDITABLE_FIELDS", "EVIDENCE_PUBLIC_FIELDS", "PUBLIC_FIELDS",
    "REVIEWER_ONLY_TARGETS", "BulkOutcome", "ClaimFrozen", "DuplicateEvidence",
    "EvidenceDetails", "EvidenceFrozen", "PriorCheckCitation", "StaleEdit", "StaleEvidenceEdit",
    "TransitionNotAllowed", "claim_apply_correction", "claim_assign", "claim_change_status",
    "claim_create", "claim_create_once", "claim_frozen_reason", "claim_mark_duplicate",
    "claim_publish", "claim_refresh_search", "claim_reject", "claim_reopen",
    "claim_return_to", "claim_set_priority", "claim_start_research",
    "claim_submit_for_review", "claim_triage", "claim_update", "claims_bulk_apply",
    "comment_can_delete", "comment_can_edit", "comment_delete", "comment_edit", "comment_post",
    "claim_unwatch", "claim_watch", "email_preferences_set",
    "saved_view_create", "saved_view_delete", "saved_view_query", "saved_view_update",
    "correction_changes_for", "correction_problems", "denial_record", "evidence_add",
    "evidence_add_manual", "evidence_attach_url", "evidence_citing_versions",
    "evidence_frozen_reason", "evidence_remove", "evidence_update", "note_add",
    "prior_check_cite",
    "validate_said_url",
]
