# ruff: noqa: S608 - table and column names in this SQL come from the models, values are parameters.
"""Writing checked lines: entries (with their rollups) and lines waiting for a category.

Called inside the import's one transaction, a chunk of lines at a time. Lines whose key
is already stored — an entry, or a line waiting or resolved on the review page — are
counted ``unchanged`` and written again never. On PostgreSQL the entries go in with
``COPY`` (from a CSV polars writes for the whole chunk); on SQLite with one prepared
``INSERT`` run by ``executemany``. Rollups are applied per chunk from facts summed by
household, month and category by polars (``rollups_apply_frame``).
"""

from __future__ import annotations

import io
import time
from collections import defaultdict
from decimal import Decimal

import polars as pl
from django.db import connection
from django.utils import timezone

from chumchon.access.services import Actor
from chumchon.ledgers.imports.sheet import Context
from chumchon.ledgers.models import EntrySource, LedgerEntry, PendingLine
from chumchon.ledgers.rollups import rollups_apply_frame
from chumchon.ledgers.selectors import item_history_for_households
from chumchon.ledgers.suggest import suggest_category

ENTRY = LedgerEntry._meta.db_table
PENDING = PendingLine._meta.db_table
ENTRY_COLUMNS = (
    "household_id", "date", "category_id", "item", "amount", "province_code", "district_code",
    "tambon_code", "village_id", "reason", "source", "import_key", "created_by_id", "created_at",
)  # fmt: skip
LOOKUP_BATCH = 5000  # keys per IN (…) on SQLite


def _amount(satang: pl.Expr) -> pl.Expr:
    """``1250.50`` from 125050 satang (amounts are positive)."""
    return pl.concat_str([(satang // 100).cast(pl.String), pl.lit("."), (satang % 100).cast(pl.String).str.zfill(2)])


def existing_keys(table: str, keys: list[str]) -> set[str]:
    """The keys among ``keys`` already stored in ``table``'s ``import_key``."""
    if not keys:
        return set()
    qn = connection.ops.quote_name
    found: set[str] = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT import_key FROM {qn(table)} WHERE import_key = ANY(%s)", [keys])
            found.update(key for (key,) in cursor.fetchall())
            return found
        for start in range(0, len(keys), LOOKUP_BATCH):
            chunk = keys[start : start + LOOKUP_BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT import_key FROM {qn(table)} WHERE import_key IN ({marks})", chunk)
            found.update(key for (key,) in cursor.fetchall())
    return found


class Writer:
    """Writes chunks of checked lines (``fast.LINE_SCHEMA`` plus ``key``), counting them."""

    def __init__(self, *, ctx: Context, actor: Actor, filename: str) -> None:
        self.ctx = ctx
        self.tambon = ctx.tambon.code
        self.user_id = actor.user.pk if actor.user is not None else None
        self.filename = filename[-255:]
        self.now = timezone.now()
        self.created = self.unchanged = self.pending = 0
        # Keys are namespaced by tambon, so when no entry of the tambon carries a key, none
        # of this file's can be stored yet and the per-chunk look-ups are skipped (a first
        # import of a large file). A concurrent import of the same lines then fails on the
        # unique key, and the whole import with it: nothing is written twice.
        self.keyed_entries = LedgerEntry.objects.filter(tambon_code=self.tambon, import_key__isnull=False).exists()
        self.keyed_pending = PendingLine.objects.filter(tambon_code=self.tambon).exists()
        self.seconds: dict[str, float] = defaultdict(float)  # where the time went, for the log

    def write(self, lines: pl.DataFrame) -> None:
        entries = lines.filter(pl.col("category").is_not_null())
        waiting = lines.filter(pl.col("category").is_null())
        if entries.height:
            self._entries(entries)
        if waiting.height:
            self._waiting(waiting)

    # --- entries ---------------------------------------------------------------------

    def _entries(self, lines: pl.DataFrame) -> None:
        started = time.perf_counter()
        stored = existing_keys(ENTRY, lines["key"].to_list()) if self.keyed_entries else set()
        self.seconds["lookup"] += time.perf_counter() - started
        if stored:
            lines = lines.filter(~pl.col("key").is_in(list(stored)))
            self.unchanged += len(stored)
        if not lines.height:
            return
        rows = lines.select(
            pl.col("household_id"),
            pl.col("date"),
            pl.col("category").alias("category_id"),
            pl.col("item"),
            _amount(pl.col("satang")).alias("amount"),
            pl.col("province").alias("province_code"),
            pl.col("district").alias("district_code"),
            pl.lit(self.tambon).alias("tambon_code"),
            pl.col("village").alias("village_id"),
            pl.lit("").alias("reason"),
            pl.lit(EntrySource.IMPORT.value).alias("source"),
            pl.col("key").alias("import_key"),
            pl.lit(self.user_id, dtype=pl.Int64).alias("created_by_id"),
        )
        qn = connection.ops.quote_name
        columns = ", ".join(qn(name) for name in ENTRY_COLUMNS)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buffer = io.BytesIO()
                rows.with_columns(created_at=pl.lit(self.now.isoformat())).write_csv(
                    buffer, include_header=False, date_format="%Y-%m-%d"
                )
                sql = f"COPY {qn(ENTRY)} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (item, reason))"
                with cursor.cursor.copy(sql) as copy:
                    copy.write(buffer.getbuffer())
            else:
                stamp = connection.ops.adapt_datetimefield_value(self.now)
                marks = ", ".join(["%s"] * len(ENTRY_COLUMNS))
                cursor.executemany(
                    f"INSERT INTO {qn(ENTRY)} ({columns}) VALUES ({marks})",
                    [(*row, stamp) for row in rows.with_columns(pl.col("date").dt.strftime("%Y-%m-%d")).iter_rows()],
                )
        self.seconds["insert"] += time.perf_counter() - started
        started = time.perf_counter()
        rollups_apply_frame(
            lines.select(
                "household_id",
                pl.col("date").dt.truncate("1mo").alias("month"),
                pl.col("category").alias("category_id"),
                "satang",
                pl.lit(1, dtype=pl.Int64).alias("count"),
                pl.col("province").alias("province_code"),
                pl.col("district").alias("district_code"),
                pl.lit(self.tambon).alias("tambon_code"),
                pl.col("village").alias("village_code"),
            )
        )
        self.seconds["rollups"] += time.perf_counter() - started
        self.created += lines.height

    # --- lines waiting for a category --------------------------------------------------

    def _waiting(self, lines: pl.DataFrame) -> None:
        keys = lines["key"].to_list()
        stored = (existing_keys(ENTRY, keys) if self.keyed_entries else set()) | (
            existing_keys(PENDING, keys) if self.keyed_pending else set()
        )
        if stored:
            lines = lines.filter(~pl.col("key").is_in(list(stored)))
            self.unchanged += len(stored)
        categories = self.ctx.categories
        # Ranked as every picker ranks them: by the money column and by what each
        # household wrote before (one query for the chunk's households).
        history = item_history_for_households(lines["household_id"].unique().to_list())
        pending = []
        for row, household, village, day, item, satang, kind, key in lines.select(
            "row", "household_id", "village", "date", "item", "satang", "kind", "key"
        ).iter_rows():
            suggested = suggest_category(item, kind=kind or None, history=history.get(household))
            pending.append(
                PendingLine(
                    household_id=household,
                    tambon_code=self.tambon,
                    village_id=village,
                    date=day,
                    item=item,
                    amount=Decimal(satang).scaleb(-2),
                    kind=kind,
                    suggested_category_id=suggested if suggested in categories else None,
                    import_key=key,
                    filename=self.filename,
                    row=row,
                    created_by_id=self.user_id,
                )
            )
        PendingLine.objects.bulk_create(pending, batch_size=1000)
        self.pending += len(pending)
