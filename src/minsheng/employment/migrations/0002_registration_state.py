"""Unemployment registrations get a workflow state (open / closed), set from closed_on."""

from django.db import migrations, models


def closed_from_date(apps, schema_editor):
    registration = apps.get_model("employment", "UnemploymentRegistration")
    registration.objects.filter(closed_on__isnull=False).update(state="closed")


class Migration(migrations.Migration):

    dependencies = [
        ("employment", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="unemploymentregistration",
            name="state",
            field=models.CharField(choices=[("open", "Registered as unemployed"),
                                            ("closed", "Registration closed")],
                                   db_index=True, default="open", max_length=10,
                                   verbose_name="state"),
        ),
        migrations.RunPython(closed_from_date, migrations.RunPython.noop),
    ]
