"""The index behind searching stored coverage newest first (sources.search).

Built CONCURRENTLY: the article store is the largest table, and a plain CREATE INDEX would
block feed polls from storing documents while it builds.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.models.functions import Coalesce


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sources", "0010_prior_factcheck_permissions"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="document",
            index=models.Index(
                models.OrderBy(Coalesce("published_at", "created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="document_newest",
            ),
        ),
    ]
