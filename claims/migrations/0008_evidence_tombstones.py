"""Evidence is removed as a tombstone (who, when, why) instead of being deleted, and carries a
revision for stale-edit detection. Only live evidence must be unique per source and speaker."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0007_activity_verbs'),
        ('sources', '0005_linkcheck_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='evidence',
            name='evidence_one_per_claim_source_speaker',
        ),
        migrations.AddField(
            model_name='evidence',
            name='removal_reason',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='evidence',
            name='removed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='evidence',
            name='removed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evidence_removed', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='evidence',
            name='revision',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.UniqueConstraint(condition=models.Q(('removed_at__isnull', True)), fields=('claim', 'source', 'speaker'), name='evidence_one_live_per_claim_source_speaker'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(('removed_at__isnull', True), models.Q(('removed_by__isnull', False), models.Q(('removal_reason', ''), _negated=True)), _connector='OR'), name='evidence_removal_has_who_and_why'),
        ),
    ]
