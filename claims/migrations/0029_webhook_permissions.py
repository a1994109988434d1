from django.contrib.auth.management import create_permissions
from django.db import migrations

WEBHOOK_MODELS = ["webhooksubscription", "webhookevent", "webhookdelivery", "webhookattempt"]


def grant(apps, schema_editor):
    """The Admin role holds every claims permission, the webhooks' included (claims.roles)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin = Group.objects.filter(name="Admin").first()
    if admin:
        admin.permissions.add(*Permission.objects.filter(
            content_type__app_label="claims", content_type__model__in=WEBHOOK_MODELS,
        ))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0028_webhooks"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
