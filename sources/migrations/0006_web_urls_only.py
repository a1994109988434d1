"""Every stored URL must be a web address (http or https); an outlet domain a bare host name.
Validators only: existing rows are kept, and templates never make links of a bad one."""

import sources.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0005_linkcheck_permissions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='document',
            name='canonical_url',
            field=models.CharField(max_length=2000, unique=True, validators=[sources.validators.validate_web_url]),
        ),
        migrations.AlterField(
            model_name='feed',
            name='url',
            field=models.CharField(help_text='Feed URL, or the API endpoint for queries', max_length=2000, validators=[sources.validators.validate_web_url]),
        ),
        migrations.AlterField(
            model_name='outlet',
            name='domain',
            field=models.CharField(help_text='Registrable domain, e.g. reuters.com', max_length=253, unique=True, validators=[sources.validators.validate_domain]),
        ),
        migrations.AlterField(
            model_name='snapshot',
            name='final_url',
            field=models.CharField(max_length=2000, validators=[sources.validators.validate_web_url]),
        ),
        migrations.AlterField(
            model_name='snapshot',
            name='requested_url',
            field=models.CharField(max_length=2000, validators=[sources.validators.validate_web_url]),
        ),
        migrations.AlterField(
            model_name='source',
            name='url',
            field=models.CharField(blank=True, help_text='Normalised URL; empty for offline statements', max_length=2000, validators=[sources.validators.validate_web_url]),
        ),
    ]
