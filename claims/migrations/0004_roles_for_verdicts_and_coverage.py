from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    ("claims", "verdictversion", ["add", "change", "view"]),
    ("claims", "rating", ["view"]),
    ("claims", "coveragesuggestion", ["change", "view"]),
    ("claims", "gatherrun", ["add", "view"]),
    ("claims", "notification", ["view"]),
    ("claims", "review", ["view"]),
    ("sources", "feed", ["add", "change", "view"]),
    ("sources", "feedpoll", ["view"]),
    ("sources", "document", ["view"]),
]
REVIEWER = [("claims", "review", ["add"])]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(spec):
        return [
            Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
            for app, model, actions in spec
            for action in actions
        ]

    Group.objects.get(name="Editor").permissions.add(*perms(EDITOR))
    Group.objects.get(name="Reviewer").permissions.add(*perms(EDITOR + REVIEWER))
    Group.objects.get(name="Admin").permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["claims", "sources"])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_verdicts_and_coverage"),
        ("sources", "0003_feeds_and_documents"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
