from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_household_registry_sdck")]

    operations = [
        migrations.AddField(
            model_name="household",
            name="left_on",
            field=models.DateField(blank=True, db_index=True, null=True, verbose_name="left on"),
        ),
    ]
