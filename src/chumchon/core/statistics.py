"""The planner's statistics after a large write.

PostgreSQL plans every query from the statistics ``ANALYZE`` keeps of each table. After
a large import the tables hold far more rows than those statistics say, and until they
are refreshed the planner chooses plans made for a small table (a nested loop over
what are now millions of rows): the first page after a load can take seconds. The
autovacuum daemon refreshes them in time — where it runs; it may be off, or behind a
bulk load. So a large write refreshes them itself, by autovacuum's own rule: when what
it wrote exceeds a tenth of what the table held at its last analysis (or the table was
never analysed). ``ANALYZE`` reads a fixed sample (30,000 rows by default), well
under a second a table at any size. SQLite: ``PRAGMA optimize``, which analyses only the
tables whose statistics it judges out of date.

Tables read by index-only scans (the rollups: a page's sums come from an index that
holds the columns it needs) are vacuumed as well as analysed, ``VACUUM (ANALYZE)``,
when the caller holds no transaction (``VACUUM`` cannot run inside one). Without it,
with autovacuum off or behind, their visibility map stays empty and every "index-only"
read visits the table as well: the tambon page's debt flows read the heap 15,000 times
at 100,000 households, 0.37 s of a 0.52 s page. A vacuum scans only the pages not yet
marked all-visible, so each one costs about what the write added.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.db import connection

SHARE = 0.1  # autovacuum_analyze_scale_factor's default
MINIMUM = 1000  # below this many rows written, never (autovacuum's threshold is 50)


def tables_analyse_after_write(
    tables: Sequence[str], rows_written: int, *, vacuumed: Collection[str] = ()
) -> list[str]:
    """Refresh the statistics of those of ``tables`` that ``rows_written`` new rows make
    stale (see the module), and vacuum those of them in ``vacuumed`` where no
    transaction is open. Returns the tables analysed. Call it after the write's
    transaction commits (it may run inside one)."""
    if rows_written < MINIMUM or not tables:
        return []
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("PRAGMA optimize")
            return []
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(tables)])
        known = dict(cursor.fetchall())
        stale = [t for t in tables if t in known and (known[t] < 0 or rows_written > SHARE * known[t])]
        for table in stale:
            vacuum = table in vacuumed and not connection.in_atomic_block
            cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {qn(table)}")
    return stale
