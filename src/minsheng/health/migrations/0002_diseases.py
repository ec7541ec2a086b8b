from django.db import migrations


def load(apps, schema_editor):
    """The national list of notifiable diseases (data/notifiable_diseases.csv)."""
    from minsheng.health.reference import disease_rows

    Disease = apps.get_model("health", "Disease")  # noqa: N806
    known = set(Disease.objects.values_list("code", flat=True))
    Disease.objects.bulk_create([Disease(**row) for row in disease_rows()
                                 if row["code"] not in known])


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
