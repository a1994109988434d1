"""@mentions: who a comment names, and who can be named (the desk's active users)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

# "@" then a Django username (letters, digits and @ . + - _), not inside a word or an email
# address ("ana@example.org" mentions no one). A trailing "." or "-" ends a sentence.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")
SUGGESTIONS = 8


def mentioned_usernames(text: str) -> list[str]:
    """The usernames written as @mentions in ``text``, in order, each once."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        name = match.group(1).rstrip(".-")
        if name:
            seen.setdefault(name, None)
    return list(seen)


def desk_users() -> QuerySet:
    """Active users who work the desk (may see and edit claims): by group, directly, or as
    superusers."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="change_claim", groups__permissions__content_type__app_label="claims")
            | Q(user_permissions__codename="change_claim",
                user_permissions__content_type__app_label="claims")
        )
        .distinct()
    )


def mentioned_users(text: str) -> list:
    """The desk users ``text`` mentions (names that are no one, or outside the desk, are
    left as plain text). Usernames match case-insensitively, as people type them."""
    names = mentioned_usernames(text)
    if not names:
        return []
    lowered = {name.lower() for name in names}
    return [user for user in desk_users().order_by("username")
            if user.get_username().lower() in lowered]


def mention_suggestions(prefix: str) -> list:
    """Up to SUGGESTIONS desk users whose username (or first or last name) starts with
    ``prefix``, usernames first."""
    prefix = (prefix or "").lstrip("@").strip()
    users = desk_users()
    if prefix:
        users = users.filter(
            Q(username__istartswith=prefix) | Q(first_name__istartswith=prefix)
            | Q(last_name__istartswith=prefix)
        )
    return list(users.order_by("username")[:SUGGESTIONS])
