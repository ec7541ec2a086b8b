from django.db import migrations


def load(apps, schema_editor):
    from minsheng.health.reference import sync_diseases

    sync_diseases(apps.get_model("health", "Disease"))


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
