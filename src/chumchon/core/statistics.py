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
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

SHARE = 0.1  # autovacuum_analyze_scale_factor's default
MINIMUM = 1000  # below this many rows written, never (autovacuum's threshold is 50)


def tables_analyse_after_write(tables: Sequence[str], rows_written: int) -> list[str]:
    """Refresh the statistics of those of ``tables`` that ``rows_written`` new rows make
    stale (see the module). Returns the tables analysed. Call it after the write's
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
            cursor.execute(f"ANALYZE {qn(table)}")
    return stale
