"""Every stored URL must be a web address (http or https); an outlet domain a bare host name.
Validators only: existing rows are kept, and templates never make links of a bad one."""

import sources.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0009_correction_changes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='claim',
            name='said_url',
            field=models.URLField(blank=True, help_text='Where it was said', max_length=2000, validators=[sources.validators.validate_web_url]),
        ),
    ]
