"""The claims desk: the triage queue, intake and the claim page.

Thin views: permission check, form, one service call, then a redirect (or, for htmx requests,
a fragment of the same template). Every form works without JavaScript. By area: ``queue``
(the queue and intake), ``claim_page`` and ``evidence``; ``common`` holds what they share.
"""

from claims.views.checked_elsewhere import claim_checked_elsewhere, prior_check_cite
from claims.views.claim_page import (
    claim_assign,
    claim_detail,
    claim_duplicate,
    claim_edit,
    claim_evidence,
    claim_move,
    note_create,
)
from claims.views.evidence import (
    denial_record,
    evidence_attach,
    evidence_edit,
    evidence_manual,
    evidence_remove,
)
from claims.views.queue import claim_bulk, claim_list, claim_new, claim_similar

__all__ = [
    "claim_assign", "claim_bulk", "claim_checked_elsewhere", "claim_detail", "claim_duplicate", "claim_edit",
    "claim_evidence", "claim_list", "claim_move", "claim_new", "claim_similar",
    "denial_record", "evidence_attach", "evidence_edit", "evidence_manual", "evidence_remove",
    "note_create", "prior_check_cite",
]
