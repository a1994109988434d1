"""A correction version can propose changes to the published claim and to what its cited
evidence shows publicly; they are applied when a second person approves the version."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0008_evidence_tombstones'),
    ]

    operations = [
        migrations.CreateModel(
            name='CorrectionChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=40)),
                ('old_value', models.JSONField(blank=True, null=True)),
                ('new_value', models.JSONField(blank=True, null=True)),
                ('evidence', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='correction_changes', to='claims.evidence')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='claims.verdictversion')),
            ],
            options={
                'ordering': ['version', 'evidence_id', 'pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('evidence__isnull', True)), fields=('version', 'field'), name='correction_one_change_per_claim_field'), models.UniqueConstraint(condition=models.Q(('evidence__isnull', False)), fields=('version', 'evidence', 'field'), name='correction_one_change_per_evidence_field'), models.CheckConstraint(condition=models.Q(models.Q(('evidence__isnull', True), ('field__in', ('text', 'claimant', 'claimant_kind', 'said_url', 'said_where', 'said_on'))), models.Q(('evidence__isnull', False), ('field__in', ('stance', 'speaker', 'speaker_is_party', 'quote', 'stated_on', 'stated_where'))), _connector='OR'), name='correction_field_is_public')],
            },
        ),
    ]
