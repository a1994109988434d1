from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    ("claims", "claim", ["add", "change", "view"]),
    ("claims", "evidence", ["add", "change", "delete", "view"]),
    ("claims", "note", ["add", "change", "view"]),
    ("claims", "tag", ["add", "change", "view"]),
    ("claims", "activityevent", ["view"]),
    ("sources", "source", ["add", "change", "view"]),
    ("sources", "outlet", ["add", "change", "view"]),
    ("sources", "snapshot", ["view"]),
]
REVIEWER_EXTRA = [("claims", "claim", ["review"])]


def _codename(action, model):
    return "review_claim" if action == "review" else f"{action}_{model}"


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so groups can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(spec):
        found = []
        for app_label, model, actions in spec:
            for action in actions:
                found.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=_codename(action, model)
                    )
                )
        return found

    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(perms(EDITOR_PERMISSIONS))
    reviewer, _ = Group.objects.get_or_create(name="Reviewer")
    reviewer.permissions.set(perms(EDITOR_PERMISSIONS + REVIEWER_EXTRA))
    admin, _ = Group.objects.get_or_create(name="Admin")
    admin.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["claims", "sources", "auth"])
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Reviewer", "Admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
