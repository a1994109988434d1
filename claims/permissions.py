"""Who may do what. Services call these; templates only mirror them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

EDITOR_GROUP = "Editor"
REVIEWER_GROUP = "Reviewer"
ADMIN_GROUP = "Admin"


def can_edit_claims(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("claims.change_claim"))


def can_review_claims(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("claims.review_claim"))


def can_act_on_coverage(user) -> bool:
    return can_edit_claims(user) and user.has_perm("claims.change_coveragesuggestion")


def require_editor(user) -> None:
    if not can_edit_claims(user):
        raise PermissionDenied("Only editors can change claims.")


def require_reviewer(user) -> None:
    if not can_review_claims(user):
        raise PermissionDenied("Only reviewers can do this.")
