"""Who may call what. The desk's own rules (roles, moves, the two-person rule) are enforced by
the services the views call; these only gate the API's doors."""

from __future__ import annotations

from rest_framework import permissions

from claims.models import ApiToken, TokenScope
from claims.permissions import can_edit_claims


class DeskMember(permissions.BasePermission):
    """Editors and reviewers (the desk). Anonymous callers get 401, others 403."""

    message = "The claims desk is for editors and reviewers."

    def has_permission(self, request, view) -> bool:
        return can_edit_claims(request.user)


class TokenScopeAllows(permissions.BasePermission):
    """A read-scoped token may only read; a write token and a session may also write."""

    message = "This token is read-only: make a write token to change anything."

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.scope == TokenScope.WRITE


DESK = [DeskMember, TokenScopeAllows]
