"""Writes for the village batches of household statements (``StatementBatch``).

Laying out one statement page takes WeasyPrint about 0.5–0.7 s on an office PC, so a
village of 150 reporting households is 1½–2 minutes of work: too long for a request.
A village batch is therefore a background task (``ledgers.tasks``, run by the
in-process worker of ``chumchon.core.worker`` or a ``chumchon db_worker``) with its
progress on the row for the page that polls it, unless it is small
(``statement_pdfs.IN_REQUEST_LIMIT`` households), when the request renders it itself.

The PDF is written to a private directory (``$CHUMCHON_VAR/statements``; see
``statements.batches`` for the reads) and deleted ``BATCH_KEEP`` after it was made: it
holds personal data. The row stays as a record, marked expired.

A batch whose process died (the server restarted while it ran) would stay "running"
for ever: its page notices — the process named in ``runner`` is gone, or it has written
no progress for ``STALE_AFTER`` — and marks it failed (``interrupted``); ``chumchon
serve`` does the same for every such batch when it starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from django.utils import timezone

from chumchon.access.models import Action
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area
from chumchon.core.runner import job_fail_if_interrupted, runner_id
from chumchon.ledgers.models import StatementBatch
from chumchon.ledgers.statement_pdfs import statements_pdf_for
from chumchon.ledgers.statements import Period
from chumchon.ledgers.statements.batches import statement_batch_dir, statement_batch_pdf_path
from chumchon.registry.models import Household
from chumchon.registry.selectors import households_by_id

logger = logging.getLogger(__name__)

BATCH_KEEP = dt.timedelta(hours=24)
# A chunk of pages takes seconds; ten minutes without progress is a dead job.
STALE_AFTER = dt.timedelta(minutes=10)

Status = StatementBatch.Status


def statement_batches_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the PDFs made more than ``BATCH_KEEP`` ago and mark their batches expired;
    returns how many. Anything else in the directory past that age goes too: the
    temporary file of a run that died, the files of batches from before the table."""
    now = now or timezone.now()
    cutoff = now - BATCH_KEEP
    old = StatementBatch.objects.filter(status=Status.DONE, expired_at__isnull=True, finished_at__lt=cutoff)
    expired = 0
    for batch in old:
        path = statement_batch_pdf_path(batch)
        if path is not None:
            path.unlink(missing_ok=True)
        expired += StatementBatch.objects.filter(pk=batch.pk, expired_at__isnull=True).update(
            expired_at=now, pdf_name=""
        )
    for path in statement_batch_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff.timestamp():
                path.unlink()
        except OSError:  # pragma: no cover - raced by another sweep
            pass
    return expired


def statement_batch_start(
    *, actor: Actor, village: Area, period: Period, households: Sequence[Household]
) -> StatementBatch:
    """Queue the PDF of these households' statements (the caller scoped them). With the
    immediate task backend (tests) it is made before this returns."""
    from chumchon.ledgers.tasks import run_statement_batch

    statement_batches_expire()
    batch = StatementBatch.objects.create(
        user=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        village=village,
        period_kind=period.kind,
        period_start=period.start.first_day,
        period_end=period.end.first_day,
        household_ids=[h.pk for h in households],
        total=len(households),
    )
    result = run_statement_batch.enqueue(batch.pk)
    StatementBatch.objects.filter(pk=batch.pk, task_id="").update(task_id=str(result.id)[:64])
    batch.refresh_from_db()
    return batch


def statement_batch_check(batch: StatementBatch, *, now: dt.datetime | None = None) -> StatementBatch:
    """Bring a batch up to date before it is shown: a "running" batch whose process is
    gone (a restarted server) or that has written no progress for ``STALE_AFTER`` is
    failed as ``interrupted``; a done batch past ``BATCH_KEEP`` has its PDF deleted and
    is marked expired. Returns the batch as it now is."""
    now = now or timezone.now()
    if batch.status == Status.RUNNING:
        job_fail_if_interrupted(batch, running=Status.RUNNING, failed=Status.FAILED, stale_after=STALE_AFTER, now=now)
    elif (
        batch.status == Status.DONE
        and batch.expired_at is None
        and batch.finished_at is not None
        and batch.finished_at < now - BATCH_KEEP
    ):
        statement_batches_expire(now=now)
        batch.refresh_from_db()
    return batch


def statement_batches_fail_interrupted() -> int:
    """Check every running batch (when a server starts); returns how many were failed."""
    batches = StatementBatch.objects.filter(status=Status.RUNNING)
    return sum(statement_batch_check(batch).status == Status.FAILED for batch in batches)


def statement_batch_run(batch_id: int) -> StatementBatch | None:
    """Lay out a queued batch, writing its progress after each chunk, then its PDF.

    A batch that fails is marked ``failed`` (the exception's class name only) and the
    exception raised again for the task runner to record.
    """
    now = timezone.now()
    claimed = StatementBatch.objects.filter(pk=batch_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, runner=runner_id()[:160]
    )
    batch = StatementBatch.objects.select_related("village").filter(pk=batch_id).first()
    if batch is None or not claimed:
        return batch  # gone, or already run by another worker
    started = time.monotonic()
    target = statement_batch_dir() / f"{batch.token}.pdf"
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pdf")
    os.close(fd)
    try:
        period = batch.period_obj
        by_id = households_by_id(batch.household_ids)
        households = [by_id[pk] for pk in batch.household_ids if pk in by_id]

        def progress(done: int) -> None:
            StatementBatch.objects.filter(pk=batch_id).update(done=min(done, batch.total), heartbeat_at=timezone.now())

        pdf, pages = statements_pdf_for(
            households, period, title=f"รู้จักตัวเอง {batch.village_id} {period.label}", progress=progress
        )
        Path(tmp).write_bytes(pdf)
        os.replace(tmp, target)
        StatementBatch.objects.filter(pk=batch_id).update(
            status=Status.DONE, done=batch.total, pdf_name=target.name, finished_at=timezone.now()
        )
        logger.info("statement batch %s: %s pages in %.1f s", batch_id, pages, time.monotonic() - started)
    except Exception as exc:
        logger.exception("statement batch %s failed", batch_id)
        StatementBatch.objects.filter(pk=batch_id).update(
            status=Status.FAILED, failure=type(exc).__name__[:200], finished_at=timezone.now()
        )
        raise
    finally:
        Path(tmp).unlink(missing_ok=True)
    batch.refresh_from_db()
    return batch


def statement_batch_record_download(*, actor: Actor, batch: StatementBatch) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="household_statements",
        object_id=batch.village_id,
        area_code=batch.village_id,
        detail={"period": batch.period_obj.params, "households": batch.household_ids, "batch": batch.token},
    )
