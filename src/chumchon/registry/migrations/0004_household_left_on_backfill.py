"""Give every household that has left the day it left: the day of the latest history entry
that set its current status (a verification found it gone, or its erasure), else the
day it was last verified, else the day its record last changed. Batched and
re-runnable (only households still without a day are touched)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

BATCH = 2000
THAI = ZoneInfo("Asia/Bangkok")


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(THAI).date() if moment.tzinfo else moment.date()


def backfill(apps, schema_editor):
    Household = apps.get_model("registry", "Household")
    HouseholdChange = apps.get_model("registry", "HouseholdChange")
    while True:
        batch = list(
            Household.objects.exclude(status="active")
            .filter(left_on__isnull=True)
            .order_by("pk")
            .values_list("pk", "status", "verified_at", "updated_at")[:BATCH]
        )
        if not batch:
            return
        status = {pk: s for pk, s, _v, _u in batch}
        set_by: dict[int, dt.datetime] = {}
        for household_id, at, kind, after in (
            HouseholdChange.objects.filter(household_id__in=list(status), kind__in=["verify", "erase"])
            .order_by("-at", "-id")
            .values_list("household_id", "at", "kind", "after")
        ):
            if kind == "erase" or (isinstance(after, dict) and after.get("status") == status[household_id]):
                set_by.setdefault(household_id, at)  # the latest entry that set it
        for pk, _status, verified_at, updated_at in batch:
            moment = set_by.get(pk) or verified_at or updated_at
            Household.objects.filter(pk=pk).update(left_on=_day(moment))


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_household_left_on")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
