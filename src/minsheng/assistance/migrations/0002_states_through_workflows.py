"""Records with states move through casework.workflow: their `status` becomes `state`, and
verification findings and payment lines get a version (optimistic concurrency) and
timestamps, as every workflow record has."""

import django.utils.timezone
from django.db import migrations, models


def _timestamps(model):
    return [
        migrations.AddField(model_name=model, name="version",
                            field=models.PositiveIntegerField(default=1, editable=False)),
        migrations.AddField(model_name=model, name="created_at",
                            field=models.DateTimeField(auto_now_add=True,
                                                       default=django.utils.timezone.now),
                            preserve_default=False),
        migrations.AddField(model_name=model, name="updated_at",
                            field=models.DateTimeField(auto_now=True)),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("assistance", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="dibaobenefit",
                                    name="assistance_one_benefit_per_household"),
        migrations.RemoveConstraint(model_name="tekunperson", name="assistance_one_active_tekun"),
        migrations.RenameField(model_name="dibaobenefit", old_name="status", new_name="state"),
        migrations.RenameField(model_name="tekunperson", old_name="status", new_name="state"),
        migrations.RenameField(model_name="discrepancy", old_name="status", new_name="state"),
        migrations.RenameField(model_name="paymentline", old_name="status", new_name="state"),
        *_timestamps("discrepancy"),
        *_timestamps("paymentline"),
        migrations.AddConstraint(
            model_name="dibaobenefit",
            constraint=models.UniqueConstraint(condition=models.Q(("state", "exited"),
                                                                  _negated=True),
                                               fields=("household",),
                                               name="assistance_one_benefit_per_household")),
        migrations.AddConstraint(
            model_name="tekunperson",
            constraint=models.UniqueConstraint(condition=models.Q(("state", "active")),
                                               fields=("person",),
                                               name="assistance_one_active_tekun")),
    ]
