# ruff: noqa: S608 - every table and column name in this SQL is one of this module's constants.
"""Fill the two new rollup columns from the ledger lines: each household × month ×
category row is split by the village of its lines, and every area × month × category
row gets its count of households. Re-runnable: both are recomputed, not added to.
Plain SQL, no app code (the rule is the one in ``chumchon.ledgers.rollups``)."""

from django.db import migrations

HMC = "ledgers_householdmonthcategory"
AMC = "ledgers_areamonthcategory"
ENTRY = "ledgers_ledgerentry"
AREA_COLUMNS = ("village_id", "tambon_code", "district_code", "province_code")


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        cents, month = "(e.amount * 100)::bigint", "date_trunc('month', e.date)::date"
    else:
        cents, month = "CAST(ROUND(e.amount * 100) AS INTEGER)", "date(e.date, 'start of month')"
    lines = "SUM(CASE WHEN e.reverses_id IS NULL THEN 1 ELSE -1 END)"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HMC}")
        cursor.execute(
            f"INSERT INTO {HMC} (household_id, month, category_id, village_code, amount, entries) "
            f"SELECT e.household_id, {month}, e.category_id, e.village_id, SUM({cents}), {lines} "
            f"FROM {ENTRY} e GROUP BY e.household_id, {month}, e.category_id, e.village_id"
        )
        cursor.execute(f"UPDATE {AMC} SET households = 0")
        for column in AREA_COLUMNS:
            cursor.execute(
                f"UPDATE {AMC} SET households = x.n FROM ("
                f"SELECT area_code, month, category_id, COUNT(*) AS n FROM ("
                f"SELECT e.household_id, e.{column} AS area_code, {month} AS month, e.category_id, {lines} AS net "
                f"FROM {ENTRY} e GROUP BY e.household_id, e.{column}, {month}, e.category_id) h "
                f"WHERE net > 0 GROUP BY area_code, month, category_id) x "
                f"WHERE {AMC}.area_code = x.area_code AND {AMC}.month = x.month AND {AMC}.category_id = x.category_id"
            )


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0007_rollup_household_counts")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
