"""Refreshing the planner's statistics after a large write (chumchon.core.statistics)."""

from __future__ import annotations

import pytest
from django.db import connection
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
