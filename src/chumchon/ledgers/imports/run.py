"""``ledger_import``: the two passes over a file.

1. **Check** (no transaction, so a web job's progress shows): stream the rows — through
   polars batches for a CSV file, the toolkit row by row otherwise and for every row
   polars leaves — check each, count and report the bad ones, and key the good ones in
   file order. The good lines go to a scratch directory as Arrow IPC files, a chunk at a
   time; memory holds a chunk or two and 8 bytes of occurrence marker per line.
2. **Write** (one transaction): the chunks are read back and written (``write.py``),
   with their rollups, then one audit event — committed only when the file may be
   written: every row good, or ``skip_invalid`` and some good. A bad row therefore
   means nothing at all was written: no entry, rollup, line waiting for a category, or
   audit event.

On PostgreSQL, when the caller holds no transaction, the write runs beside the check on
a thread with its own connection, a chunk behind it, and commits once the check ends
well (rolls back otherwise); else the write begins when the check ends."""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area, Level
from chumchon.core import spreadsheet as ss
from chumchon.core.spreadsheet.files import _sniff_delimiter  # the toolkit's own choice of delimiter
from chumchon.core.statistics import tables_analyse_after_write
from chumchon.ledgers.imports.fast import BATCH_BYTES, LINE_SCHEMA, FastReader, scan_text, utf8_copy
from chumchon.ledgers.imports.keys import Keys
from chumchon.ledgers.imports.sheet import Context, Line, ledger_spec
from chumchon.ledgers.imports.write import Writer
from chumchon.ledgers.rollups import AMC, ENTRY, HM, HMC
from chumchon.ledgers.services import LedgerError

logger = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
BATCH_ROWS = 20_000  # rows per chunk on the row path (the polars path goes by BATCH_BYTES)
MAX_ERRORS = 20_000  # errors kept for the report (the counts stay exact)
SQLITE_CACHE_KIB = 128 * 1024
_ZIP_OR_OLE = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
# What an import writes, whose statistics a large one refreshes (core.statistics).
ANALYSED_TABLES = [ENTRY, HM, HMC, AMC]
VACUUMED_TABLES = {HM, HMC, AMC}  # read by index-only scans (core.statistics); AMC also upserted


@dataclass
class LedgerImportResult:
    """What an import did. ``completed`` is False when the input was refused and nothing
    was written. Accepted rows are ``created`` (new entries), ``pending`` (new lines
    waiting for a category) or ``unchanged`` (already imported)."""

    report: ss.ImportReport = field(default_factory=lambda: ss.ImportReport(max_errors=MAX_ERRORS))
    created: int = 0
    unchanged: int = 0
    pending: int = 0
    completed: bool = False
    total_rows: int = 0
    fast_rows: int = 0  # accepted rows read by the polars path (the rest by the row path)
    analysed: list[str] = field(default_factory=list)  # tables whose statistics it refreshed

    @property
    def accepted(self) -> int:
        return self.report.accepted

    @property
    def rejected_rows(self) -> int:
        return self.report.rejected

    @property
    def errors(self) -> list[ss.RowError]:
        return self.report.errors

    @property
    def rejected(self) -> bool:
        """Input refused and nothing written (the command's exit 3)."""
        return not self.completed

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        body = self.report.to_json(lang)
        return {
            "accepted": body.pop("accepted"),
            "rejected": body.pop("rejected"),
            "created": self.created,
            "unchanged": self.unchanged,
            "pending": self.pending,
            **body,
        }


def ledger_import(
    *,
    actor: Actor,
    tambon: Area,
    path: str | os.PathLike[str],
    filename: str | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    fast: bool = True,
    batch_rows: int = BATCH_ROWS,
    batch_bytes: int = BATCH_BYTES,
) -> LedgerImportResult:
    """Import the account lines of ``path`` into ``tambon``'s households.

    ``fast=False`` reads every row through the toolkit (the tests compare both paths).
    """
    if tambon.level != Level.TAMBON:
        raise ValueError(f"{tambon.code} is not a tambon")
    if actor.user is not None and not can(actor.user, Write.IMPORT, tambon.code):
        raise LedgerError("ไม่มีสิทธิ์นำเข้าบัญชีครัวเรือนในพื้นที่นี้")
    result = LedgerImportResult()
    report = result.report
    path = Path(path)
    name = filename or path.name
    ctx = Context(tambon, today=timezone.localdate())
    started = time.perf_counter()
    passes = _Passes(result, ctx, actor, name, skip_invalid, progress, fast, batch_rows, batch_bytes)
    with tempfile.TemporaryDirectory(prefix="chumchon-ledgers-") as scratch:
        try:
            writer = passes.alongside(path, scratch) if _write_alongside() else passes.one_then_other(path, scratch)
        except (IntegrityError, connection.Database.IntegrityError):  # type: ignore[attr-defined]  # psycopg COPY
            # Another import wrote some of these lines between the check and the write:
            # nothing of this one was saved, and running it again adds only what is new.
            report.fail(
                ss.SpreadsheetError(
                    ss.Text(
                        "มีการนำเข้าบัญชีชุดเดียวกันพร้อมกัน จึงยังไม่ได้บันทึกข้อมูล — กรุณานำเข้าไฟล์นี้อีกครั้ง",
                        "the same accounts were being imported at the same time, so nothing was saved; "
                        "please import the file again",
                    )
                )
            )
            return result
    if writer is None:
        return result  # refused: nothing was written
    result.created, result.unchanged, result.pending = writer.created, writer.unchanged, writer.pending
    result.completed = True
    # A large import leaves the planner's statistics stale (core.statistics): refreshed
    # here, so that the first page after a load is planned for the tables as they are.
    result.analysed = tables_analyse_after_write(
        ANALYSED_TABLES, writer.created + writer.pending, vacuumed=VACUUMED_TABLES
    )
    logger.info(
        "ledger import %s into %s: %d rows (%d by polars) checked in %.1f s, written by %.1f s %s",
        name, tambon.code, report.accepted + report.rejected, result.fast_rows, passes.checked - started,
        time.perf_counter() - started, {key: round(value, 1) for key, value in writer.seconds.items()},
    )  # fmt: skip
    return result


def _write_alongside() -> bool:
    """Whether the write may run beside the check, on a connection of its own: on
    PostgreSQL, when the caller holds no transaction (a caller's transaction — a test's,
    say — must hold the write too, and SQLite has one writer at a time)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class _Abandoned(Exception):
    """The check refused the file: what the write had done is rolled back."""


_END, _ABANDON = object(), object()


class _Feed:
    """The checked chunks, handed from the check to the write as each is ready."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()

    def put(self, chunk: str) -> None:
        self._queue.put(chunk)

    def end(self) -> None:
        self._queue.put(_END)

    def abandon(self) -> None:
        self._queue.put(_ABANDON)

    def __iter__(self) -> Iterator[str]:
        while (item := self._queue.get()) is not _END:
            if item is _ABANDON:
                raise _Abandoned
            yield str(item)


class _Passes:
    """The two passes over one file (module docstring), one after the other or side by side."""

    def __init__(
        self,
        result: LedgerImportResult,
        ctx: Context,
        actor: Actor,
        name: str,
        skip_invalid: bool,
        progress: Progress | None,
        fast: bool,
        batch_rows: int,
        batch_bytes: int,
    ) -> None:
        self.result, self.ctx, self.actor, self.name = result, ctx, actor, name
        self.skip_invalid, self.progress, self.fast = skip_invalid, progress, fast
        self.batch_rows, self.batch_bytes = batch_rows, batch_bytes
        self.checked = 0.0  # when the check ended (perf_counter), for the log

    def _check(self, path: Path, scratch: str, sink: Callable[[str], None]) -> bool:
        """Pass 1 (``_read``); whether the file may be written: every row good, or
        ``skip_invalid`` and some good. A file refused as a whole is reported."""
        report = self.result.report
        try:
            self._read(path, scratch, sink)
        except ss.SpreadsheetError as exc:
            report.fail(exc)
            return False
        finally:
            self.checked = time.perf_counter()
        return report.ok or (self.skip_invalid and report.accepted > 0)

    def _read(self, path: Path, scratch: str, sink: Callable[[str], None]) -> None:
        """Read and check every row; the accepted lines, keyed, go to IPC files in
        ``scratch``, each handed to ``sink`` once written."""
        result, ctx, progress = self.result, self.ctx, self.progress
        report = result.report
        keys = Keys(ctx.namespace)
        count = 0
        with ss.open_workbook(path, filename=self.name) as book:
            sheet = book.sheet()
            reader = sheet.read(ledger_spec(ctx.choices))
            report.warn(reader.warnings)
            fast_reader = _fast_reader(path, ctx, reader, scratch, self.batch_bytes) if self.fast else None
            if progress is not None:
                if fast_reader is not None or not book.named:
                    lines, _ = scan_text(path)
                    result.total_rows = max(lines - reader.header_row, 0)
                else:
                    result.total_rows = sheet.data_rows_count()
                progress(0, result.total_rows)
            rows = _RowPath(sheet, reader, ctx, report)
            source = (
                rows.all(self.batch_rows) if fast_reader is None else _mixed(fast_reader, rows, result, self.batch_rows)
            )
            for chunk, last_row in source:
                if chunk.height and (self.skip_invalid or report.ok):
                    chunk = chunk.with_columns(keys(chunk["body"]))
                    target = os.path.join(scratch, f"{count:06d}.arrow")
                    chunk.drop("body").write_ipc(target, compression="lz4")
                    count += 1
                    sink(target)
                if progress is not None:
                    done = max(last_row - reader.header_row, 0)
                    result.total_rows = max(result.total_rows, done)
                    progress(done, result.total_rows)
        if progress is not None:
            progress(result.total_rows, result.total_rows)  # every row checked: "saving" from here

    def write(self, chunks: Iterable[str]) -> Writer:
        """Pass 2: the chunks and the audit event in one transaction."""
        report = self.result.report
        writer = Writer(ctx=self.ctx, actor=self.actor, filename=self.name)
        with transaction.atomic(), _sqlite_cache():
            for chunk in chunks:
                writer.write(pl.read_ipc(chunk))
            if writer.created or writer.pending:
                audit_record(
                    actor=self.actor,
                    action=Action.IMPORT,
                    object_type="ledger_entries",
                    area_code=self.ctx.tambon.code,
                    detail={
                        "file": self.name[-200:],
                        "created": writer.created,
                        "pending": writer.pending,
                        "unchanged": writer.unchanged,
                        "rejected": report.rejected,
                    },
                )
        return writer

    def one_then_other(self, path: Path, scratch: str) -> Writer | None:
        """Check the whole file, then write it (``None``: refused, nothing written)."""
        chunks: list[str] = []
        if not self._check(path, scratch, chunks.append):
            return None
        return self.write(chunks)

    def alongside(self, path: Path, scratch: str) -> Writer | None:
        """Write each chunk while the next is checked: the write on a thread with its own
        connection and transaction, the check here (its progress stays visible to a
        polling page). The write ends, committing, only once the whole file is checked;
        if the check refuses the file, the write rolls back. On 2 cores this takes the
        check (a tenth of an import) off the import's time."""
        feed = _Feed()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger-write") as pool:
            written = pool.submit(self._write_on_thread, feed)
            try:
                writable = self._check(path, scratch, feed.put)
            except BaseException:
                feed.abandon()
                raise
            if writable:
                feed.end()
            else:
                feed.abandon()
            return written.result()

    def _write_on_thread(self, feed: _Feed) -> Writer | None:
        try:
            return self.write(feed)
        except _Abandoned:
            return None
        finally:
            connection.close()  # this thread's own connection


def ledger_import_file(
    path: str | os.PathLike[str],
    *,
    tambon: Area,
    actor: Actor,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> LedgerImportResult:
    """``chumchon import ledgers`` as a function (the benchmark calls this)."""
    return ledger_import(actor=actor, tambon=tambon, path=path, skip_invalid=skip_invalid, progress=progress)


@contextlib.contextmanager
def _sqlite_cache() -> Iterator[None]:
    """A larger SQLite page cache while writing: the ledger table has nine indexes, and
    with the default 2 MB their pages are read again from the OS for every few rows."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


# --- pass 1: the readers ------------------------------------------------------------------


def _fast_reader(path: Path, ctx: Context, reader: ss.SheetReader, scratch: str, batch_bytes: int) -> FastReader | None:
    """The polars reader for a CSV file it can read exactly as the toolkit does, else ``None``."""
    if reader.header_row != 1:
        return None
    with path.open("rb") as fh:
        if fh.read(8).startswith(_ZIP_OR_OLE):
            return None  # an Excel workbook, whatever its name
    encoding = ss.detect_encoding(path)
    if encoding == "utf-16":
        return None
    _, lone_cr = scan_text(path)
    if lone_cr:
        return None  # old Mac line ends: polars would read one long line
    delimiter = _sniff_delimiter(path, encoding)
    source = path
    if encoding == "cp874":  # TIS-620: polars reads UTF-8 only, so it reads a converted copy
        copy = utf8_copy(path, encoding, scratch)
        if copy is None:
            return None
        source = copy
    return FastReader(
        source,
        ctx=ctx,
        headers=reader.headers,
        columns=reader.columns,
        delimiter=delimiter,
        batch_bytes=batch_bytes,
    )


def _mixed(
    fast: FastReader, rows: _RowPath, result: LedgerImportResult, batch_rows: int
) -> Iterator[tuple[pl.DataFrame, int]]:
    """Polars batches, with the rows polars left read by the row path and merged in order.
    If polars gives up part-way, the row path reads the rest of the file."""
    batches = fast.batches()
    last = rows.reader.header_row
    while True:
        try:
            batch = next(batches, None)
        except pl.exceptions.PolarsError:
            break
        if batch is None:
            return
        good, odd, last_row = batch
        result.report.accept(good.height)
        result.fast_rows += good.height
        if odd:
            good = pl.concat([good, lines_frame(rows.only(odd))]).sort("row")
        last = last_row
        yield good, last_row
    yield from rows.after(last, batch_rows)


# --- the row path --------------------------------------------------------------------------


class _RowPath:
    """Rows read and checked one by one through the toolkit."""

    def __init__(self, sheet: ss.Sheet, reader: ss.SheetReader, ctx: Context, report: ss.ImportReport) -> None:
        self.sheet = sheet
        self.reader = reader
        self.ctx = ctx
        self.report = report
        self._raw: Iterator[ss.RawRow] | None = None

    def _line(self, result: ss.RowResult) -> Line | None:
        line, errors = self.ctx.check(result)
        if line is None:
            self.report.reject(result, *errors)
        else:
            self.report.accept()
        return line

    def all(self, batch_rows: int) -> Iterator[tuple[pl.DataFrame, int]]:
        """Every row of the sheet, through the reader."""
        lines: list[Line] = []
        last = self.reader.header_row
        for result in self.reader:
            last = result.row
            line = self._line(result)
            if line is not None:
                lines.append(line)
                if len(lines) >= batch_rows:
                    yield lines_frame(lines), last
                    lines = []
        yield lines_frame(lines), last

    def _rows_after(self, row: int) -> Iterator[ss.RawRow]:
        if self._raw is None:
            self._raw = self.sheet.rows()
        for raw in self._raw:
            if raw.number > row and any(not ss.is_blank(cell) for cell in raw.cells):
                yield raw

    def only(self, numbers: list[int]) -> list[Line]:
        """The rows numbered ``numbers`` (ascending; blank ones are skipped)."""
        wanted = set(numbers)
        last = numbers[-1]
        lines: list[Line] = []
        if self._raw is None:
            self._raw = self.sheet.rows()
        for raw in self._raw:
            if raw.number in wanted and any(not ss.is_blank(cell) for cell in raw.cells):
                line = self._line(self.reader.parse_row(raw))
                if line is not None:
                    lines.append(line)
            if raw.number >= last:
                break
        return lines

    def after(self, row: int, batch_rows: int) -> Iterator[tuple[pl.DataFrame, int]]:
        """Every row below ``row`` (the rest of a file polars gave up on)."""
        lines: list[Line] = []
        last = row
        for raw in self._rows_after(row):
            last = raw.number
            line = self._line(self.reader.parse_row(raw))
            if line is not None:
                lines.append(line)
                if len(lines) >= batch_rows:
                    yield lines_frame(lines), last
                    lines = []
        if lines:
            yield lines_frame(lines), last


def lines_frame(lines: list[Line]) -> pl.DataFrame:
    """Lines of the row path in the polars path's columns."""
    return pl.DataFrame(
        {
            "row": [line.row for line in lines],
            "household_id": [line.household.pk for line in lines],
            "village": [line.household.village for line in lines],
            "province": [line.household.province for line in lines],
            "district": [line.household.district for line in lines],
            "date": [line.date for line in lines],
            "category": [line.category for line in lines],
            "item": [line.item for line in lines],
            "satang": [line.satang for line in lines],
            "kind": [line.kind for line in lines],
            "body": [line.body() for line in lines],
        },
        schema=LINE_SCHEMA,
    )
