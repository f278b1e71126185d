"""On PostgreSQL, outside a caller's transaction, an import writes each checked chunk on a
thread of its own while the next is checked: the same rows as checking first and writing
after, nothing at all when the check refuses the file, the check's progress visible
meanwhile, and the thread's connection closed afterwards. (Transactional tests: the
write's connection must see what the test wrote. On SQLite the write follows the check.)"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from chumchon.access.models import AuditEvent
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.areas.services import areas_load_thailand
from chumchon.imports.tests.sheets import write_csv
from chumchon.ledgers.imports import ledger_import, write
from chumchon.ledgers.models import Category, HouseholdMonth, LedgerEntry, PendingLine
from chumchon.ledgers.rollups import rollups_verify
from chumchon.ledgers.services import categories_load_standard
from chumchon.ledgers.tests.test_imports import TH, snapshot
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
TAMBON = "370101"
ALONGSIDE = connection.vendor == "postgresql"
SMALL = {"batch_bytes": 300, "batch_rows": 4}  # a chunk every few rows


@pytest.fixture
def place():
    if not Area.objects.filter(code=TAMBON).exists():  # another transactional test emptied the database
        areas_load_thailand()
    if not Category.objects.exists():
        categories_load_standard()
    v1, v2 = factories.village(TAMBON, 1), factories.village(TAMBON, 2)
    for code, village in (("H1", v1), ("H2", v1), ("H3", v2)):
        factories.household(village, code=code, members=0)
    return Area.objects.get(code=TAMBON)


@pytest.fixture
def threads(monkeypatch):
    """The names of the threads each chunk was written on, in order."""
    names: list[str] = []
    original = write.Writer.write

    def recorded(self, lines):
        original(self, lines)
        names.append(threading.current_thread().name)

    monkeypatch.setattr(write.Writer, "write", recorded)
    return names


def rows(days: int) -> list[list[str]]:
    """Lines of three households over ``days`` days of March 2024: expenses, incomes and
    lines without a category (they wait on the review page)."""
    lines = [TH]
    for day in range(1, days + 1):
        date = f"{day:02d}/03/2567"
        lines += [
            ["H1", date, "C02", "ไข่ไก่", "", str(10 + day)],
            ["H2", date, "C01", "ข้าวสาร", "", "250.50"],
            ["H3", date, "", "ขายผัก", str(100 * day), ""],
        ]
    return lines


def run(path, **options):
    return ledger_import(
        actor=Actor.system("test"), tambon=Area.objects.get(code=TAMBON), path=path, **SMALL, **options
    )


def test_written_beside_the_check_as_after_it(place, tmp_path, threads):
    path = write_csv(tmp_path / "a.csv", rows(20))
    with transaction.atomic():  # the caller's transaction: the write follows the check, here
        after = run(path).to_json("en"), snapshot()
        transaction.set_rollback(True)
    assert set(threads) == {threading.current_thread().name}
    threads.clear()

    beside = run(path)
    assert (beside.to_json("en"), snapshot()) == after
    assert (beside.created, beside.pending, beside.completed) == (40, 20, True)
    assert len(threads) > 5
    if ALONGSIDE:
        assert all(name.startswith("ledger-write") for name in threads)
    else:
        assert set(threads) == {threading.current_thread().name}
    # An independent count of what the file holds.
    assert LedgerEntry.objects.filter(household__code="H2").count() == 20
    assert sum(e.amount for e in LedgerEntry.objects.filter(household__code="H1")) == sum(10 + d for d in range(1, 21))
    assert PendingLine.objects.filter(household__code="H3").count() == 20
    assert HouseholdMonth.objects.get(household__code="H1").expense == 100 * sum(10 + d for d in range(1, 21))
    assert AuditEvent.objects.filter(object_type="ledger_entries").count() == 1
    assert rollups_verify() == []


def test_a_bad_row_late_in_the_file_rolls_back_what_was_written_beside_the_check(place, tmp_path, threads):
    lines = rows(20)
    lines.append(["H9", "15/03/2567", "C02", "ไข่", "", "10"])  # no such household
    result = run(write_csv(tmp_path / "bad.csv", lines))
    assert not result.completed
    assert [(e["row"], e["column"]) for e in result.to_json("en")["errors"]] == [(62, "รหัสครัวเรือน")]
    if ALONGSIDE:
        assert len(threads) > 5  # the earlier chunks were written, then rolled back
    assert (LedgerEntry.objects.count(), PendingLine.objects.count(), HouseholdMonth.objects.count()) == (0, 0, 0)
    assert not AuditEvent.objects.filter(object_type="ledger_entries").exists()

    kept = run(write_csv(tmp_path / "bad.csv", lines), skip_invalid=True)  # the good rows, the bad one reported
    assert (kept.completed, kept.created, kept.pending, kept.rejected_rows) == (True, 40, 20, 1)
    assert rollups_verify() == []


def test_the_check_reports_its_progress_while_the_chunks_are_written(place, tmp_path, threads):
    """Progress is written outside any transaction, so the job's page sees it; and the
    chunks already checked are being written meanwhile."""
    seen: list[tuple[int, int, bool, int]] = []

    def progress(done, total):
        if ALONGSIDE and 0 < done < total and not seen[1:]:
            for _ in range(200):  # the first chunk reaches the write thread (10 s at most)
                if threads:
                    break
                time.sleep(0.05)
        seen.append((done, total, connection.in_atomic_block, len(threads)))

    result = run(write_csv(tmp_path / "a.csv", rows(20)), progress=progress)
    assert result.completed
    assert seen[0][:2] == (0, 60) and seen[-1][:2] == (60, 60)
    assert not any(in_atomic for _, _, in_atomic, _ in seen)
    if ALONGSIDE:
        assert any(written and done < total for done, total, _, written in seen)


def test_lines_stored_meanwhile_stop_the_write_on_its_thread_with_nothing_saved(place, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "a.csv", [TH, ["H1", "15/03/2567", "C02", "ไข่", "", "10"]])
    assert run(path).created == 1
    monkeypatch.setattr(write, "existing_keys", lambda table, keys: set())  # as if stored after the look-up
    second = run(write_csv(tmp_path / "b.csv", [*rows(5), ["H1", "15/03/2567", "C02", "ไข่", "", "10"]]))
    assert not second.completed
    assert [e["message"] for e in second.to_json("en")["errors"]] == [
        "the same accounts were being imported at the same time, so nothing was saved; please import the file again"
    ]
    assert LedgerEntry.objects.count() == 1
    assert rollups_verify() == []


@pytest.mark.skipif(not ALONGSIDE, reason="PostgreSQL's own list of connections")
def test_the_write_threads_connection_is_closed_after_the_import(place, tmp_path):
    def connections() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            return cursor.fetchone()[0]

    before = connections()
    for n in range(3):
        assert run(write_csv(tmp_path / f"{n}.csv", rows(3 + n))).completed
    # A closed connection's server process leaves the list a moment after the close.
    for _ in range(100):
        if connections() == before:
            break
        time.sleep(0.05)
    assert connections() == before
