from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="sources", codename="view_linkcheck")
    for name in ("Editor", "Reviewer"):
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(view)
    admin = Group.objects.filter(name="Admin").first()
    if admin:
        admin.permissions.add(
            *Permission.objects.filter(content_type__app_label="sources", codename__endswith="_linkcheck")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0004_archive_link_checks"),
        ("claims", "0004_roles_for_verdicts_and_coverage"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
