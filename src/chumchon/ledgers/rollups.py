# ruff: noqa: S608 - every table and column name in this SQL is one of this module's constants.
"""Rollups: household × month × category and area × month × category totals.

Every write of ledger entries calls :func:`rollups_apply` with the entries it wrote,
inside the same transaction. The deltas are summed in memory for the batch and added
to the stored totals with ``INSERT … ON CONFLICT DO UPDATE`` (SQLite ≥ 3.24 and
PostgreSQL alike) — never by rescanning the entries. :func:`rollups_verify` recomputes
everything from the raw rows and reports any difference; :func:`rollups_rebuild`
replaces the stored totals with the recomputation.

Amounts are whole satang. ``entries`` counts lines net of reversals.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import polars as pl
from django.db import connection, transaction

from chumchon.ledgers.models import AreaMonthCategory, Category, HouseholdMonth, HouseholdMonthCategory, LedgerEntry
from chumchon.ledgers.selectors import CategoryKinds, category_kinds

HM = HouseholdMonth._meta.db_table
HMC = HouseholdMonthCategory._meta.db_table
AMC = AreaMonthCategory._meta.db_table
ENTRY = LedgerEntry._meta.db_table
CATEGORY = Category._meta.db_table


@dataclass(frozen=True)
class Fact:
    """What one ledger line adds to the totals."""

    household_id: int
    month: dt.date
    category_id: str
    satang: int
    count: int  # +1 for a line, -1 for a reversal
    province_code: str
    district_code: str
    tambon_code: str
    village_code: str


def satang(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def fact_of(entry: LedgerEntry) -> Fact:
    return Fact(
        household_id=entry.household_id,
        month=entry.date.replace(day=1),
        category_id=entry.category_id,
        satang=satang(Decimal(entry.amount)),
        count=-1 if entry.reverses_id else 1,
        province_code=entry.province_code,
        district_code=entry.district_code,
        tambon_code=entry.tambon_code,
        village_code=entry.village_id,
    )


@lru_cache(maxsize=1)
def _category_kinds() -> CategoryKinds:
    """How each category counts (income, expense), kept for the process: the categories
    change only when one is added (``category_kinds_reset``)."""
    return category_kinds()


def category_kinds_reset() -> None:
    """Forget the cached category kinds (after a category is added)."""
    _category_kinds.cache_clear()


FACT_SCHEMA: dict[str, type[pl.DataType]] = {
    "household_id": pl.Int64,
    "month": pl.Date,
    "category_id": pl.String,
    "satang": pl.Int64,
    "count": pl.Int64,
    "province_code": pl.String,
    "district_code": pl.String,
    "tambon_code": pl.String,
    "village_code": pl.String,
}


def rollups_apply(facts: Iterable[Fact]) -> int:
    """Add the facts to the stored totals. Returns the number of facts applied."""
    rows = [
        (f.household_id, f.month, f.category_id, f.satang, f.count, f.province_code, f.district_code,
         f.tambon_code, f.village_code)
        for f in facts
    ]  # fmt: skip
    if not rows:
        return 0
    return rollups_apply_frame(pl.DataFrame(rows, schema=FACT_SCHEMA, orient="row"))


def _kinds_frame(categories: Iterable[str]) -> pl.DataFrame:
    kinds = _category_kinds()
    if not set(categories) <= kinds.by_code.keys():  # a category added since the cache was filled
        category_kinds_reset()
        kinds = _category_kinds()
    return pl.DataFrame(
        {
            "category_id": list(kinds.by_code),
            "is_income": [k.is_income for k in kinds.by_code.values()],
            "is_expense": [k.is_expense for k in kinds.by_code.values()],
        },
        schema={"category_id": pl.String, "is_income": pl.Boolean, "is_expense": pl.Boolean},
    )


def rollups_apply_frame(facts: pl.DataFrame, *, households: bool = True) -> int:
    """Add a frame of facts (columns of :data:`FACT_SCHEMA`, one row a line or a sum of
    lines) to the stored totals, summed by polars and upserted set-wise. With
    ``households=False`` only the area totals change (the households' own rows are
    being deleted). Returns the number of facts applied."""
    if not facts.height:
        return 0
    satang, count = pl.col("satang"), pl.col("count")
    if households:
        kinds = _kinds_frame(facts["category_id"].unique().to_list())
        with_kinds = facts.join(kinds, on="category_id", how="left")
        hm = with_kinds.group_by("household_id", "month").agg(
            pl.col("province_code").first(),
            pl.col("district_code").first(),
            pl.col("tambon_code").first(),
            pl.col("village_code").first(),
            count.sum().alias("entries"),
            pl.when(pl.col("is_income")).then(satang).otherwise(0).sum().alias("income"),
            pl.when(pl.col("is_expense")).then(satang).otherwise(0).sum().alias("expense"),
        )
        _upsert(HM, hm, ["household_id", "month"], ["entries", "income", "expense"])
        hmc = facts.group_by("household_id", "month", "category_id").agg(
            satang.sum().alias("amount"), count.sum().alias("entries")
        )
        _upsert(HMC, hmc, ["household_id", "month", "category_id"], ["amount", "entries"])
    by_area = pl.concat(
        [
            facts.select(pl.col(column).alias("area_code"), "month", "category_id", "satang", "count")
            for column in ("village_code", "tambon_code", "district_code", "province_code")
        ]
    )
    amc = by_area.group_by("area_code", "month", "category_id").agg(
        satang.sum().alias("amount"), count.sum().alias("entries")
    )
    _upsert(AMC, amc, ["area_code", "month", "category_id"], ["amount", "entries"])
    return facts.height


def _upsert(table: str, frame: pl.DataFrame, keys: Sequence[str], add: Sequence[str]) -> None:
    """Insert the frame's rows, or add their ``add`` columns to the stored row with the same keys."""
    if not frame.height:
        return
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in frame.columns)
    conflict = ", ".join(qn(k) for k in keys)
    updates = ", ".join(f"{qn(c)} = {qn(table)}.{qn(c)} + excluded.{qn(c)}" for c in add)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY the deltas into a scratch table, then one set-based upsert.
            scratch = f"_delta_{table}"
            # Only the columns written (no id, no constraints); emptied at every commit.
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {qn(scratch)} ON COMMIT DELETE ROWS "
                f"AS SELECT {cols} FROM {qn(table)} WITH NO DATA"
            )
            cursor.execute(f"TRUNCATE {qn(scratch)}")
            buffer = io.BytesIO()
            frame.write_csv(buffer, include_header=False, date_format="%Y-%m-%d")
            with cursor.cursor.copy(f"COPY {qn(scratch)} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(buffer.getbuffer())
            cursor.execute(
                f"INSERT INTO {qn(table)} ({cols}) SELECT {cols} FROM {qn(scratch)} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
            )
        else:
            placeholders = ", ".join(["%s"] * len(frame.columns))
            cursor.executemany(
                f"INSERT INTO {qn(table)} ({cols}) VALUES ({placeholders}) "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
                list(frame.iter_rows()),
            )


# --- verification ------------------------------------------------------------------------


def _cents_sql() -> str:
    # Exact on both engines: NUMERIC × 100 cast to an integer (SQLite rounds the REAL first).
    if connection.vendor == "postgresql":
        return "(e.amount * 100)::bigint"
    return "CAST(ROUND(e.amount * 100) AS INTEGER)"


def _month_sql() -> str:
    if connection.vendor == "postgresql":
        return "date_trunc('month', e.date)::date"
    return "date(e.date, 'start of month')"


def _codes_in(column: str, codes: Sequence[str]) -> tuple[str, list[str]]:
    """``column IN (…)`` over these category codes, as SQL and its parameters."""
    if not codes:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(codes))})", list(codes)


def _computed_queries() -> dict[str, tuple[str, list[str]]]:
    """Each table's recomputation from the raw entries: SQL and its parameters (the
    categories counted as income and as expense, by ``category_kinds``)."""
    cents, month = _cents_sql(), _month_sql()
    count = "SUM(CASE WHEN e.reverses_id IS NULL THEN 1 ELSE -1 END)"
    kinds = category_kinds()
    is_income, income_codes = _codes_in("c.code", kinds.income)
    is_expense, expense_codes = _codes_in("c.code", kinds.expense)
    hm = (
        f"SELECT e.household_id, {month} AS month, MIN(e.province_code) AS province_code, "
        f"MIN(e.district_code) AS district_code, MIN(e.tambon_code) AS tambon_code, MIN(e.village_id) AS village_code, "
        f"{count} AS entries, "
        f"SUM(CASE WHEN {is_income} THEN {cents} ELSE 0 END) AS income, "
        f"SUM(CASE WHEN {is_expense} THEN {cents} ELSE 0 END) AS expense "
        f"FROM {ENTRY} e JOIN {CATEGORY} c ON c.code = e.category_id "
        f"GROUP BY e.household_id, {month}"
    )
    hmc = (
        f"SELECT e.household_id, {month} AS month, e.category_id, SUM({cents}) AS amount, {count} AS entries "
        f"FROM {ENTRY} e GROUP BY e.household_id, {month}, e.category_id"
    )
    amc = " UNION ALL ".join(
        f"SELECT e.{col} AS area_code, {month} AS month, e.category_id, SUM({cents}) AS amount, {count} AS entries "
        f"FROM {ENTRY} e GROUP BY e.{col}, {month}, e.category_id"
        for col in ("village_id", "tambon_code", "district_code", "province_code")
    )
    return {HM: (hm, income_codes + expense_codes), HMC: (hmc, []), AMC: (amc, [])}


_STORED = {
    HM: ("household_id, month, entries, income, expense", "NOT (entries = 0 AND income = 0 AND expense = 0)"),
    HMC: ("household_id, month, category_id, amount, entries", "NOT (amount = 0 AND entries = 0)"),
    AMC: ("area_code, month, category_id, amount, entries", "NOT (amount = 0 AND entries = 0)"),
}


@dataclass(frozen=True)
class Difference:
    table: str
    missing_or_wrong: int  # rows the recomputation has that the store lacks or holds differently
    extra: int  # rows the store has that the recomputation does not


def rollups_verify() -> list[Difference]:
    """Recompute every total from the raw entries; an empty list means they agree."""
    differences = []
    with connection.cursor() as cursor:
        for table, (computed, params) in _computed_queries().items():
            columns, nonzero = _STORED[table]
            computed_rows = f"SELECT {columns} FROM ({computed}) r WHERE {nonzero}"
            stored_rows = f"SELECT {columns} FROM {table} WHERE {nonzero}"
            cursor.execute(f"SELECT COUNT(*) FROM ({computed_rows} EXCEPT {stored_rows}) d", params)
            missing = cursor.fetchone()[0]
            cursor.execute(f"SELECT COUNT(*) FROM ({stored_rows} EXCEPT {computed_rows}) d", params)
            extra = cursor.fetchone()[0]
            if missing or extra:
                differences.append(Difference(table=table, missing_or_wrong=missing, extra=extra))
    return differences


def rollups_rebuild() -> None:
    """Replace the stored totals with a recomputation from the raw entries."""
    with transaction.atomic(), connection.cursor() as cursor:
        queries = _computed_queries()
        cursor.execute(f"DELETE FROM {HM}")
        cursor.execute(
            f"INSERT INTO {HM} (household_id, month, province_code, district_code, tambon_code, village_code, "
            f"entries, income, expense) SELECT household_id, month, province_code, district_code, tambon_code, "
            f"village_code, entries, income, expense FROM ({queries[HM][0]}) r",
            queries[HM][1],
        )
        cursor.execute(f"DELETE FROM {HMC}")
        cursor.execute(f"INSERT INTO {HMC} (household_id, month, category_id, amount, entries) {queries[HMC][0]}")
        cursor.execute(f"DELETE FROM {AMC}")
        cursor.execute(f"INSERT INTO {AMC} (area_code, month, category_id, amount, entries) {queries[AMC][0]}")


def rollups_forget_households(household_ids: Sequence[int]) -> None:
    """Take these households' lines out of the totals, before the lines are deleted.

    Their own rows go; the area rows are reduced by what they had added.
    """
    if not household_ids:
        return
    cents, month = _cents_sql(), _month_sql()
    count = "SUM(CASE WHEN e.reverses_id IS NULL THEN 1 ELSE -1 END)"
    facts: list[tuple[object, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(household_ids), 500):
            chunk = list(household_ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT e.village_id, e.tambon_code, e.district_code, e.province_code, {month}, e.category_id, "
                f"SUM({cents}), {count} FROM {ENTRY} e WHERE e.household_id IN ({marks}) "
                f"GROUP BY e.village_id, e.tambon_code, e.district_code, e.province_code, {month}, e.category_id",
                chunk,
            )
            for village, tambon, district, province, m, category, satang, n in cursor.fetchall():
                first = m if isinstance(m, dt.date) else dt.date.fromisoformat(str(m))
                facts.append((0, first, category, -int(satang), -int(n), province, district, tambon, village))
            cursor.execute(f"DELETE FROM {HM} WHERE household_id IN ({marks})", chunk)
            cursor.execute(f"DELETE FROM {HMC} WHERE household_id IN ({marks})", chunk)
    if facts:
        rollups_apply_frame(pl.DataFrame(facts, schema=FACT_SCHEMA, orient="row"), households=False)
