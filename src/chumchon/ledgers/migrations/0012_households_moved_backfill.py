"""Mark the households whose lines stand under a village they are no longer registered
in (``registry.Household.moved``): those the registry moved before it kept the mark.
Here, in the ledgers, because it is the ledgers' rollups that say where lines stand."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    Household = apps.get_model("registry", "Household")
    HouseholdMonth = apps.get_model("ledgers", "HouseholdMonth")
    elsewhere = HouseholdMonth.objects.exclude(village_code=F("household__village_id")).values("household_id")
    Household.objects.filter(pk__in=elsewhere).update(moved=True)


class Migration(migrations.Migration):
    dependencies = [
        ("ledgers", "0011_enterprise_kind"),
        ("registry", "0008_household_moved"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
