"""The newsroom's roles as data: which model permissions each group holds.

The data migrations created the groups when the schema was built; ``ensure_roles`` re-applies
this spec at run time (seed_demo, tests whose database was flushed), idempotently.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from claims.permissions import ADMIN_GROUP, EDITOR_GROUP, REVIEWER_GROUP

EDITOR_PERMISSIONS = {
    "claims": {
        "claim": ["add", "change", "view"],
        "evidence": ["add", "change", "view"],  # removed evidence stays, as a tombstone
        "note": ["add", "change", "view"],
        "tag": ["add", "change", "view"],
        "activityevent": ["view"],
        "verdictversion": ["add", "change", "view"],
        "correctionchange": ["view"],
        "rating": ["view"],
        "coveragesuggestion": ["change", "view"],
        "gatherrun": ["add", "view"],
        "notification": ["view"],
        "review": ["view"],
    },
    "sources": {
        "source": ["add", "change", "view"],
        "outlet": ["add", "change", "view"],
        "snapshot": ["view"],
        "feed": ["add", "change", "view"],
        "feedpoll": ["view"],
        "document": ["view"],
        "linkcheck": ["view"],
    },
}
REVIEWER_EXTRA = ["claims.review_claim", "claims.add_review"]


def _codenames(spec) -> list[tuple[str, str]]:
    return [
        (app, f"{action}_{model}")
        for app, models in spec.items()
        for model, actions in models.items()
        for action in actions
    ]


def _permissions(pairs) -> list[Permission]:
    found = []
    for app, codename in pairs:
        permission = Permission.objects.filter(
            content_type__app_label=app, codename=codename
        ).first()
        if permission is not None:  # a model added later may not exist in an old schema
            found.append(permission)
    return found


def _ensure_permissions_exist() -> None:
    """Permissions are made by post_migrate; a flushed test database may not have them."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for label in ("claims", "sources"):
        app_config = apps.get_app_config(label)
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)


def ensure_roles() -> None:
    _ensure_permissions_exist()
    editor_pairs = _codenames(EDITOR_PERMISSIONS)
    reviewer_pairs = editor_pairs + [tuple(p.split(".")) for p in REVIEWER_EXTRA]
    editor, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    editor.permissions.add(*_permissions(editor_pairs))
    reviewer, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    reviewer.permissions.add(*_permissions(reviewer_pairs))
    admin, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    admin.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["claims", "sources"])
    )
