"""Refreshing the planner's statistics after a large write (chumchon.core.statistics)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from chumchon.core.statistics import MINIMUM, tables_analyse_after_write
from chumchon.ledgers.models import LedgerEntry

pytestmark = pytest.mark.django_db
TABLE = LedgerEntry._meta.db_table


def _reltuples() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [TABLE])
        return cursor.fetchone()[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_large_write_analyses_a_table_whose_statistics_it_makes_stale():
    assert tables_analyse_after_write([TABLE], MINIMUM - 1) == []  # a small write: never
    assert tables_analyse_after_write([TABLE], MINIMUM) == [TABLE]  # the test table: never analysed, or tiny
    assert _reltuples() >= 0  # analysed now (-1: never)
    with connection.cursor() as cursor:  # as if it held a million rows at its last analysis
        cursor.execute("UPDATE pg_class SET reltuples = 1000000 WHERE relname = %s", [TABLE])
    assert tables_analyse_after_write([TABLE], 50_000) == []  # 5%: autovacuum would wait too
    assert tables_analyse_after_write([TABLE], 100_001) == [TABLE]
    assert _reltuples() < 1000000  # the statistics now say what the table holds
    assert tables_analyse_after_write(["no_such_table"], 10**6) == []


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_asks_its_own_optimiser_after_a_large_write_only():
    with CaptureQueriesContext(connection) as small:
        assert tables_analyse_after_write([TABLE], MINIMUM - 1) == []
    with CaptureQueriesContext(connection) as large:
        assert tables_analyse_after_write([TABLE], MINIMUM) == []  # it decides what to analyse
    assert small.captured_queries == []
    assert [q["sql"] for q in large.captured_queries] == ["PRAGMA optimize"]


def _maintenance(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("VACUUM", "ANALYZE"))]


PROBE = "statistics_probe"  # a table of the test's own: no data of the project's needed


def _relallvisible() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = %s", [PROBE])
        return cursor.fetchone()[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_tables_read_by_index_only_scans_are_vacuumed_too():
    with connection.cursor() as cursor:  # enough rows for whole pages of the table
        cursor.execute(f"CREATE TABLE {PROBE} (n integer PRIMARY KEY)")
        cursor.execute(f"INSERT INTO {PROBE} SELECT generate_series(1, 5000)")
    try:
        assert _relallvisible() == 0  # never vacuumed: an index-only scan would read every page
        with CaptureQueriesContext(connection) as queries:
            assert tables_analyse_after_write([PROBE], 5000, vacuumed={PROBE}) == [PROBE]
        assert _maintenance(queries) == [f'VACUUM (ANALYZE) "{PROBE}"']
        assert _relallvisible() > 0
        with CaptureQueriesContext(connection) as queries, transaction.atomic():  # VACUUM cannot run in one
            tables_analyse_after_write([PROBE], 10**6, vacuumed={PROBE})
        assert _maintenance(queries) == [f'ANALYZE "{PROBE}"']
        with CaptureQueriesContext(connection) as queries:  # another table's name: analysed only
            tables_analyse_after_write([PROBE], 10**6, vacuumed={"other"})
        assert _maintenance(queries) == [f'ANALYZE "{PROBE}"']
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {PROBE}")
