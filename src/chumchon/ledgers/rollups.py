# ruff: noqa: S608 - every table and column name in this SQL is one of this module's constants.
"""Rollups: household × month × category and area × month × category totals.

Every write of ledger entries calls :func:`rollups_apply` with the entries it wrote,
inside the same transaction. The deltas are summed in memory for the batch and added
to the stored totals with ``INSERT … ON CONFLICT DO UPDATE`` (SQLite ≥ 3.24 and
PostgreSQL alike) — never by rescanning the entries; in a large batch (an import's
chunk) the household-months not stored yet are written straight in instead.
:func:`rollups_verify` recomputes everything from the raw rows and reports any difference; :func:`rollups_rebuild`
replaces the stored totals with the recomputation. Each of them bumps
:class:`RollupsVersion` in the same transaction (:func:`rollups_version`), the key of
what is cached from the totals (``chumchon.insights.cache``).

Amounts are whole satang. ``entries`` counts lines net of reversals.

``AreaMonthCategory.households`` counts the households with lines (net of reversals)
in the area, month and category. It is kept exact by the same writes: a household's
row of :data:`HMC` is per village of its lines (a household that moved mid-month has
one row per village), so the net lines a household had in any area before a batch
are known, and the batch adds one household where they go from none to some and takes
one away where they go back to none. The figures use it so that an aggregate-only
reader never sees a category total behind fewer than five households.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import polars as pl
from django.db import connection, transaction

from chumchon.ledgers.models import (
    AreaMonthCategory,
    Category,
    HouseholdMonth,
    HouseholdMonthCategory,
    LedgerEntry,
    RollupsVersion,
)
from chumchon.ledgers.selectors import CategoryKinds, category_kinds
from chumchon.ledgers.signals import rollups_changed

HM = HouseholdMonth._meta.db_table
HMC = HouseholdMonthCategory._meta.db_table
AMC = AreaMonthCategory._meta.db_table
ENTRY = LedgerEntry._meta.db_table
CATEGORY = Category._meta.db_table
VERSION = RollupsVersion._meta.db_table


def _bump_version() -> None:
    """Called inside the transaction of a write of the rollups, after it."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {VERSION} SET version = version + 1 WHERE id = 1")
        if not cursor.rowcount:
            RollupsVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    rollups_changed.send(sender=RollupsVersion)


def rollups_version_bump() -> None:
    """For a write that changes what is computed from the totals without changing them:
    a month closed or reopened changes the default month of the pages cached under the
    version (``ledgers.selectors.area_default_month``). Inside the write's transaction."""
    _bump_version()


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


def rollups_apply_frame(facts: pl.DataFrame) -> int:
    """Add a frame of facts (columns of :data:`FACT_SCHEMA`, one row a line or a sum of
    lines) to the stored totals, summed by polars and upserted set-wise. Returns the
    number of facts applied."""
    if not facts.height:
        return 0
    satang, count = pl.col("satang"), pl.col("count")
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
    hmc = facts.group_by(*HMC_KEYS).agg(satang.sum().alias("amount"), count.sum().alias("entries"))
    with transaction.atomic():
        _apply(facts, hm, hmc)
        _bump_version()
    return facts.height


# A batch this large (an import's chunk) first reads which of its household-months are
# stored already. The rows of the others — in a first import of the months, all of them —
# are written straight in (COPY on PostgreSQL): nothing to read back before counting
# households, no scratch table, no upsert (a tambon file's rollups 4.4–4.9 → 3.4–3.9 s).
# A concurrent write of the same household-months then fails on the unique keys, and
# its transaction with it: nothing is counted twice. Smaller batches upsert everything.
FRESH_MIN_FACTS = 1000
HM_KEYS = ["household_id", "month"]


def _stored_household_months(hm: pl.DataFrame) -> pl.DataFrame:
    """The household × month pairs of ``hm`` that have a stored row."""
    households = hm["household_id"].unique().sort().to_list()
    first, last = _date(hm["month"].min()), _date(hm["month"].max())
    rows: list[tuple[int, dt.date]] = []
    with connection.cursor() as cursor:
        step = len(households) if connection.vendor == "postgresql" else 500
        for start in range(0, len(households), step):
            chunk = households[start : start + step]
            if connection.vendor == "postgresql":
                where, params = "household_id = ANY(%s)", [chunk]
            else:
                where, params = f"household_id IN ({', '.join(['%s'] * len(chunk))})", list(chunk)
            cursor.execute(
                f"SELECT household_id, month FROM {HM} WHERE {where} AND month BETWEEN %s AND %s",
                [*params, first, last],
            )
            rows.extend((household, _date(month)) for household, month in cursor.fetchall())
    stored = pl.DataFrame(rows, schema={"household_id": pl.Int64, "month": pl.Date}, orient="row")
    return hm.select(HM_KEYS).join(stored, on=HM_KEYS, how="semi")


def _apply(facts: pl.DataFrame, hm: pl.DataFrame, hmc: pl.DataFrame) -> None:
    satang, count = pl.col("satang"), pl.col("count")
    if facts.height >= FRESH_MIN_FACTS:
        stored = _stored_household_months(hm)
        hm_new, hm_old = hm.join(stored, on=HM_KEYS, how="anti"), hm.join(stored, on=HM_KEYS, how="semi")
        hmc_new, hmc_old = hmc.join(stored, on=HM_KEYS, how="anti"), hmc.join(stored, on=HM_KEYS, how="semi")
        _insert(HM, hm_new)
        _insert(HMC, hmc_new)
    else:
        hm_old, hmc_old = hm, hmc
    # Only the stored household-months have rows to read back before counting (read
    # before the upserts change them).
    before = _household_rows(hmc_old.select(COUNT_KEYS).unique()) if hmc_old.height else NOTHING_STORED
    counted = _households_counted(hmc, before)
    _upsert(HM, hm_old, HM_KEYS, ["entries", "income", "expense"])
    _upsert(HMC, hmc_old, HMC_KEYS, ["amount", "entries"])
    by_area = pl.concat(
        [
            facts.select(pl.col(column).alias("area_code"), "month", "category_id", "satang", "count")
            for column in ("village_code", "tambon_code", "district_code", "province_code")
        ]
    )
    amc = (
        by_area.group_by(*AMC_KEYS)
        .agg(satang.sum().alias("amount"), count.sum().alias("entries"))
        .join(counted, on=AMC_KEYS, how="left")
        .with_columns(pl.col("households").fill_null(0))
    )
    _upsert(AMC, amc, AMC_KEYS, ["amount", "entries", "households"])


HMC_KEYS = ["household_id", "month", "category_id", "village_code"]
AMC_KEYS = ["area_code", "month", "category_id"]
COUNT_KEYS = ["household_id", "month", "category_id"]  # a household counted in a category and month
# Area codes nest: a village's code starts with its tambon's, district's and province's.
LEVEL_WIDTHS = (8, 6, 4, 2)


def _households_counted(hmc: pl.DataFrame, before: pl.DataFrame) -> pl.DataFrame:
    """How the batch ``hmc`` (household × month × category × village deltas) changes the
    number of households with lines in each area, month and category: +1 where a
    household's net lines there go from none to some, -1 where they go back to none.
    ``before``: the stored :data:`HMC` rows of the batch's household × month × category keys."""
    keys = COUNT_KEYS
    counted = []
    for width in LEVEL_WIDTHS:
        area = pl.col("village_code").str.slice(0, width).alias("area_code")
        delta = hmc.group_by(*keys, area).agg(pl.col("entries").sum().alias("delta"))
        old = before.group_by(*keys, area).agg(pl.col("entries").sum().alias("old"))
        both = delta.join(old, on=[*keys, "area_code"], how="left").with_columns(pl.col("old").fill_null(0))
        new = pl.col("old") + pl.col("delta")
        counted.append(
            both.select(
                *AMC_KEYS,
                pl.when((pl.col("old") <= 0) & (new > 0))
                .then(1)
                .when((pl.col("old") > 0) & (new <= 0))
                .then(-1)
                .otherwise(0)
                .cast(pl.Int64)
                .alias("households"),
            )
        )
    return pl.concat(counted).group_by(*AMC_KEYS).agg(pl.col("households").sum())


HOUSEHOLD_ROW_SCHEMA: dict[str, type[pl.DataType]] = {
    "household_id": pl.Int64,
    "month": pl.Date,
    "category_id": pl.String,
    "village_code": pl.String,
    "entries": pl.Int64,
}
NOTHING_STORED = pl.DataFrame(schema=HOUSEHOLD_ROW_SCHEMA)


def _household_rows(keys: pl.DataFrame) -> pl.DataFrame:
    """The stored :data:`HMC` rows (every village) of these household × month × category
    keys: the keys go into a scratch table and one join reads the rows back."""
    qn = connection.ops.quote_name
    scratch = qn("_keys_hmc")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_to_scratch(cursor, scratch, HMC, keys)
        else:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {scratch} (household_id integer, month date, category_id text)"
            )
            cursor.execute(f"DELETE FROM {scratch}")
            cursor.executemany(
                f"INSERT INTO {scratch} VALUES (%s, %s, %s)",
                list(keys.with_columns(pl.col("month").dt.strftime("%Y-%m-%d")).iter_rows()),
            )
        cursor.execute(
            f"SELECT h.household_id, h.month, h.category_id, h.village_code, h.entries FROM {qn(HMC)} h "
            f"JOIN {scratch} k ON k.household_id = h.household_id AND k.month = h.month "
            f"AND k.category_id = h.category_id"
        )
        rows = [
            (household, _date(m), category, village, entries)
            for household, m, category, village, entries in cursor.fetchall()
        ]
    return pl.DataFrame(rows, schema=HOUSEHOLD_ROW_SCHEMA, orient="row")


def _copy_to_scratch(cursor: Any, scratch: str, table: str, frame: pl.DataFrame) -> None:
    """PostgreSQL: COPY the frame into the temporary table ``scratch`` (quoted), made
    once per connection with ``table``'s columns of the frame's names only (no id, no
    constraints) and emptied at every commit."""
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in frame.columns)
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {scratch} ON COMMIT DELETE ROWS "
        f"AS SELECT {cols} FROM {qn(table)} WITH NO DATA"
    )
    cursor.execute(f"TRUNCATE {scratch}")
    _copy_frame(cursor, scratch, frame)


def _copy_frame(cursor: Any, table: str, frame: pl.DataFrame) -> None:
    """PostgreSQL: COPY the frame's rows into ``table`` (quoted), into its columns of the frame's names."""
    cols = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, date_format="%Y-%m-%d")
    with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
        copy.write(buffer.getbuffer())


def _date(value: object) -> dt.date:
    """A date column read by raw SQL (SQLite may give it as text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _insert(table: str, frame: pl.DataFrame) -> None:
    """Insert the frame's rows, none of which is stored yet (COPY on PostgreSQL)."""
    if not frame.height:
        return
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_frame(cursor, qn(table), frame)
        else:
            placeholders = ", ".join(["%s"] * len(frame.columns))
            cursor.executemany(f"INSERT INTO {qn(table)} ({cols}) VALUES ({placeholders})", list(frame.iter_rows()))


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
            scratch = qn(f"_delta_{table}")
            _copy_to_scratch(cursor, scratch, table, frame)
            cursor.execute(
                f"INSERT INTO {qn(table)} ({cols}) SELECT {cols} FROM {scratch} "
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
        f"SELECT e.household_id, {month} AS month, e.category_id, e.village_id AS village_code, "
        f"SUM({cents}) AS amount, {count} AS entries "
        f"FROM {ENTRY} e GROUP BY e.household_id, {month}, e.category_id, e.village_id"
    )
    columns = ("village_id", "tambon_code", "district_code", "province_code")
    amounts = " UNION ALL ".join(
        f"SELECT e.{col} AS area_code, {month} AS month, e.category_id, SUM({cents}) AS amount, {count} AS entries "
        f"FROM {ENTRY} e GROUP BY e.{col}, {month}, e.category_id"
        for col in columns
    )
    # A household counts in an area, month and category where its lines there, net of
    # reversals, are more than none.
    households = " UNION ALL ".join(
        f"SELECT area_code, month, category_id, COUNT(*) AS households FROM ("
        f"SELECT e.household_id, e.{col} AS area_code, {month} AS month, e.category_id, {count} AS lines "
        f"FROM {ENTRY} e GROUP BY e.household_id, e.{col}, {month}, e.category_id) x "
        f"WHERE lines > 0 GROUP BY area_code, month, category_id"
        for col in columns
    )
    amc = (
        f"SELECT a.area_code, a.month, a.category_id, a.amount, a.entries, COALESCE(h.households, 0) AS households "
        f"FROM ({amounts}) a LEFT JOIN ({households}) h "
        f"ON h.area_code = a.area_code AND h.month = a.month AND h.category_id = a.category_id"
    )
    return {HM: (hm, income_codes + expense_codes), HMC: (hmc, []), AMC: (amc, [])}


_STORED = {
    HM: ("household_id, month, entries, income, expense", "NOT (entries = 0 AND income = 0 AND expense = 0)"),
    HMC: ("household_id, month, category_id, village_code, amount, entries", "NOT (amount = 0 AND entries = 0)"),
    AMC: ("area_code, month, category_id, amount, entries, households", "NOT (amount = 0 AND entries = 0)"),
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
        cursor.execute(
            f"INSERT INTO {HMC} (household_id, month, category_id, village_code, amount, entries) {queries[HMC][0]}"
        )
        cursor.execute(f"DELETE FROM {AMC}")
        cursor.execute(
            f"INSERT INTO {AMC} (area_code, month, category_id, amount, entries, households) {queries[AMC][0]}"
        )
        _bump_version()


def rollups_forget_households(household_ids: Sequence[int]) -> None:
    """Take these households' lines out of the totals, before the lines are deleted.

    Their lines are applied once more with the opposite sign (so the area rows lose
    what they had added, households counted included), then their own rows go.
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
                f"SELECT e.household_id, e.village_id, e.tambon_code, e.district_code, e.province_code, {month}, "
                f"e.category_id, SUM({cents}), {count} FROM {ENTRY} e WHERE e.household_id IN ({marks}) "
                f"GROUP BY e.household_id, e.village_id, e.tambon_code, e.district_code, e.province_code, {month}, "
                f"e.category_id",
                chunk,
            )
            for household, village, tambon, district, province, m, category, satang, n in cursor.fetchall():
                facts.append(
                    (household, _date(m), category, -int(satang), -int(n), province, district, tambon, village)
                )
    if facts:
        rollups_apply_frame(pl.DataFrame(facts, schema=FACT_SCHEMA, orient="row"))
    with connection.cursor() as cursor:
        for start in range(0, len(household_ids), 500):
            chunk = list(household_ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {HM} WHERE household_id IN ({marks})", chunk)
            cursor.execute(f"DELETE FROM {HMC} WHERE household_id IN ({marks})", chunk)
    _bump_version()
