from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    """The Admin role holds every claims permission, the resurfacing items' and digests' too."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin = Group.objects.filter(name="Admin").first()
    if admin:
        admin.permissions.add(*Permission.objects.filter(
            content_type__app_label="claims",
            content_type__model__in=["resurfaceditem", "resurfacingdigest"],
        ))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0026_resurfacing_digest"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
