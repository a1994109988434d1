"""Roles for corrections: editors and reviewers may view proposed correction changes; nobody
below Admin may delete evidence any more (removing it keeps a tombstone instead)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK_GROUPS = ("Editor", "Reviewer")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="claims", codename="view_correctionchange")
    delete = Permission.objects.get(content_type__app_label="claims", codename="delete_evidence")
    for group in Group.objects.filter(name__in=DESK_GROUPS):
        group.permissions.add(view)
        group.permissions.remove(delete)
    for group in Group.objects.filter(name="Admin"):
        group.permissions.add(*Permission.objects.filter(content_type__app_label__in=["claims", "sources"]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    delete = Permission.objects.filter(content_type__app_label="claims", codename="delete_evidence").first()
    if delete is not None:
        for group in Group.objects.filter(name__in=DESK_GROUPS):
            group.permissions.add(delete)


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_said_url_web_only")]
    operations = [migrations.RunPython(grant, revoke)]
