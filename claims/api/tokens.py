"""Personal API tokens: made, revoked and looked up here and nowhere else.

A token reads ``fdk_`` followed by 43 URL-safe characters (32 random bytes). Only its SHA-256
is stored; the token is returned once, by ``api_token_create``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import ApiToken, TokenScope

TOKEN_PREFIX = "fdk_"
# How often last_used_at is written for a busy token: once a minute is precise enough and
# keeps every request from being a write.
LAST_USED_PRECISION = timedelta(minutes=1)
MAX_EXPIRY_DAYS = 3650


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the secret itself (shown once, never stored)."""

    token: ApiToken
    secret: str


# The command line (``manage.py api_token``), which runs with the server's own rights.
OPERATOR = object()


def _may_manage(actor, user) -> bool:
    """Users manage their own tokens; superusers anyone's. ``OPERATOR`` is the command line,
    which runs with the server's own rights."""
    if actor is OPERATOR:
        return True
    return bool(
        actor and actor.is_authenticated and actor.is_active
        and (actor.pk == user.pk or actor.is_superuser)
    )



@transaction.atomic
def api_token_create(
    *, actor, user, name: str, scope: str = TokenScope.READ, expires_in_days: int | None = None
) -> NewToken:
    """Make a token for ``user`` (the actor themselves, or anyone for a superuser)."""
    if not _may_manage(actor, user):
        raise PermissionDenied("You can only make tokens for yourself.")
    if not user.is_active:
        raise ValidationError("That account is switched off.")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Say what the token is for."})
    if len(name) > 100:
        raise ValidationError({"name": "Keep the name under 100 characters."})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": "The scope is read or write."})
    expires_at = None
    if expires_in_days is not None:
        if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
            raise ValidationError(
                {"expires_in_days": f"Expiry is between 1 and {MAX_EXPIRY_DAYS} days."}
            )
        expires_at = timezone.now() + timedelta(days=expires_in_days)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, scope=scope, prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=token_hash(secret), expires_at=expires_at,
        created_by=None if actor is OPERATOR or actor.pk == user.pk else actor,
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    """Revoke a token: it stops working at once. Revoking twice keeps the first time."""
    token = ApiToken.objects.select_for_update().select_related("user").filter(pk=token_id).first()
    if token is None or not _may_manage(actor, token.user):
        raise PermissionDenied("No such token of yours.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The usable token this secret is (its user active), or None; records its use."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(token_hash=token_hash(secret)).first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_for_user(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))
