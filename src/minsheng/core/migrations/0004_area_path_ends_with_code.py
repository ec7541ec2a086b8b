"""The constraint in its own migration: on PostgreSQL the path repair of 0003 must commit
before the table is altered."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_area_path_disability_certificates'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='area',
            constraint=models.CheckConstraint(condition=models.Q(('path__endswith', models.F('code'))), name='area_path_ends_with_code'),
        ),
    ]
