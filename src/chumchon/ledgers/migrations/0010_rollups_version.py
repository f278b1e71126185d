from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("ledgers", "RollupsVersion").objects.get_or_create(pk=1, defaults={"version": 1})


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0009_household_debt_flows_index")]

    operations = [
        migrations.CreateModel(
            name="RollupsVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
