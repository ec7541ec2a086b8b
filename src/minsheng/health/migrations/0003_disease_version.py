from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("health", "0002_diseases")]
    operations = [
        migrations.AddField(
            model_name="disease", name="version",
            field=models.PositiveIntegerField(default=1, editable=False)),
    ]
