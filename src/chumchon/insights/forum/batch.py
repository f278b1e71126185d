"""Forum packs of every village of a tambon, made in the background into one zip.

A village pack takes WeasyPrint one to three seconds, so a tambon of 20 villages is a
minute of work: a background task (django-tasks, run by the in-process worker of
``chumchon.core.worker`` or a ``chumchon db_worker``), its progress kept on the
:class:`~chumchon.insights.models.ForumBatch` row for the page that polls it.

The zip holds, for the tambon and each of its villages with registered households, the
pack as PDF and as spreadsheet. It is written to a private directory
(``$CHUMCHON_VAR/forum``, never served as static or media) under the batch's token,
and kept for ``BATCH_KEEP``. Only the person who asked may see or download a batch,
and only while the tambon is still in their scope; the packs are made with that
person's scope (an aggregate-only reader gets packs without cells under 5 households).

A batch whose process died (the server restarted while it ran) would stay "running"
for ever; the page notices — the process named in ``runner`` is gone, or it has not
written progress for ``STALE_AFTER`` — and marks it failed (``interrupted``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from chumchon.access.models import Action
from chumchon.access.selectors import area_get_for_user
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import area_children
from chumchon.core.pdf import new_font_config
from chumchon.core.runner import job_fail_if_interrupted, runner_id
from chumchon.core.thai import Month
from chumchon.insights.forum.pack import forum_pack_build
from chumchon.insights.forum.pdf import forum_pack_pdf
from chumchon.insights.forum.xlsx import forum_pack_xlsx
from chumchon.insights.models import ForumBatch
from chumchon.registry.selectors import household_counts_by_child

logger = logging.getLogger(__name__)

BATCH_KEEP = dt.timedelta(days=7)
STALE_AFTER = dt.timedelta(minutes=10)  # a pack takes seconds; ten minutes without progress is a dead job


class BatchRefused(ValueError):
    """A batch that cannot be made (not a tambon, no villages, out of scope)."""


def batch_dir() -> Path:
    path = Path(settings.VAR_DIR) / "forum"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def forum_batch_zip_path(batch: ForumBatch) -> Path:
    return batch_dir() / f"{batch.token}.zip"


def forum_batch_filename(batch: ForumBatch) -> str:
    return f"forum-{batch.tambon_id}-{Month.of(batch.month).iso()}.zip"


def batch_villages(tambon: Area, month: Month) -> list[Area]:
    """The villages of a tambon that have households in the month (``households_in_period``),
    in village order."""
    counts = household_counts_by_child(tambon.code, "village", month, month)
    return [v for v in area_children(tambon) if counts.get(v.code)]


# --- reads ---------------------------------------------------------------------------------


def forum_batch_get_for_user(user: object, token: str) -> ForumBatch:
    """A batch the user asked for, its tambon still in their scope; ``DoesNotExist``
    otherwise (the same answer)."""
    batch = ForumBatch.objects.select_related("tambon").filter(token=token).first()
    if batch is None or batch.user_id is None or batch.user_id != getattr(user, "pk", None):
        raise ForumBatch.DoesNotExist(token)
    try:
        area_get_for_user(user, batch.tambon_id)
    except Area.DoesNotExist:
        raise ForumBatch.DoesNotExist(token) from None
    return batch


def forum_batches_recent_for_user(user: object, tambon: Area, *, limit: int = 5) -> list[ForumBatch]:
    """The user's own latest batches of a tambon (the caller has scoped it)."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return []
    return list(ForumBatch.objects.filter(user_id=user_id, tambon=tambon).order_by("-created_at", "-id")[:limit])


def forum_batch_zip_available(batch: ForumBatch) -> bool:
    return batch.status == ForumBatch.Status.DONE and forum_batch_zip_path(batch).is_file()


# --- writes --------------------------------------------------------------------------------


def _sweep(now: dt.datetime) -> None:
    """Delete zip files older than BATCH_KEEP (the rows stay, as a record)."""
    cutoff = (now - BATCH_KEEP).timestamp()
    for path in batch_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:  # pragma: no cover - raced by another sweep
            pass


def forum_batch_start(*, actor: Actor, tambon: Area, month: Month, lang: str = "th") -> ForumBatch:
    """Queue the packs of the tambon and its villages (the caller has scoped ``tambon``
    for ``actor.user``). With the immediate task backend (tests) they are made before
    this returns."""
    from chumchon.insights.tasks import run_forum_batch

    if tambon.level != Level.TAMBON:
        raise BatchRefused(tambon.code)
    villages = batch_villages(tambon, month)
    if not villages:
        raise BatchRefused(tambon.code)
    _sweep(timezone.now())
    batch = ForumBatch.objects.create(
        user=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        tambon=tambon,
        month=month.first_day,
        lang="en" if lang == "en" else "th",
        total=len(villages) + 1,
    )
    result = run_forum_batch.enqueue(batch.pk)
    ForumBatch.objects.filter(pk=batch.pk, task_id="").update(task_id=str(result.id)[:64])
    batch.refresh_from_db()
    return batch


def forum_batch_check_interrupted(batch: ForumBatch, *, now: dt.datetime | None = None) -> ForumBatch:
    """Mark a "running" batch failed when its process is gone (a restarted server) or it
    has written no progress for STALE_AFTER; returns the batch as it now is."""
    job_fail_if_interrupted(
        batch, running=ForumBatch.Status.RUNNING, failed=ForumBatch.Status.FAILED, stale_after=STALE_AFTER, now=now
    )
    return batch


def forum_batches_fail_interrupted() -> int:
    """Check every running batch (e.g. when a server starts); returns how many failed."""
    failed = 0
    for batch in ForumBatch.objects.filter(status=ForumBatch.Status.RUNNING):
        if forum_batch_check_interrupted(batch).status == ForumBatch.Status.FAILED:
            failed += 1
    return failed


def forum_batch_run(batch_id: int) -> ForumBatch | None:
    """Make a queued batch's packs into its zip, writing progress after each pack.

    A batch that fails is marked ``failed`` (the exception's class name only) and the
    exception raised again for the task runner to record.
    """
    now = timezone.now()
    claimed = ForumBatch.objects.filter(pk=batch_id, status=ForumBatch.Status.QUEUED).update(
        status=ForumBatch.Status.RUNNING, started_at=now, heartbeat_at=now, runner=runner_id()[:160]
    )
    batch = ForumBatch.objects.select_related("tambon", "user").filter(pk=batch_id).first()
    if batch is None or not claimed:
        return batch  # gone, or already run by another worker
    started = time.monotonic()
    target = forum_batch_zip_path(batch)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".zip")
    os.close(fd)
    try:
        user = batch.user
        if user is None:
            raise BatchRefused("no user")
        tambon = area_get_for_user(user, batch.tambon_id)  # the scope may have changed since
        month = Month.of(batch.month)
        areas = [tambon, *batch_villages(tambon, month)]
        ForumBatch.objects.filter(pk=batch.pk).update(total=len(areas), done=0)
        font_config = new_font_config()
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, area in enumerate(areas):
                ForumBatch.objects.filter(pk=batch.pk).update(current=area.code, heartbeat_at=timezone.now())
                pack = forum_pack_build(area, month, user=user, lang=batch.lang)
                pdf, _pages = forum_pack_pdf(pack, font_config=font_config)
                stem = f"{done:02d}-{pack.filename_stem}"
                archive.writestr(f"{stem}.pdf", pdf)
                archive.writestr(f"{stem}.xlsx", forum_pack_xlsx(pack))
                ForumBatch.objects.filter(pk=batch.pk).update(done=done + 1, heartbeat_at=timezone.now())
        os.replace(tmp, target)
        ForumBatch.objects.filter(pk=batch.pk).update(
            status=ForumBatch.Status.DONE,
            current="",
            size=target.stat().st_size,
            finished_at=timezone.now(),
        )
        logger.info("forum batch %s: %s packs in %.1f s", batch.pk, len(areas), time.monotonic() - started)
    except Exception as exc:
        logger.exception("forum batch %s failed", batch_id)
        ForumBatch.objects.filter(pk=batch_id).update(
            status=ForumBatch.Status.FAILED, failure=type(exc).__name__[:200], finished_at=timezone.now()
        )
        raise
    finally:
        Path(tmp).unlink(missing_ok=True)
    batch.refresh_from_db()
    return batch


def forum_batch_record_download(*, actor: Actor, batch: ForumBatch) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="forum_batch",
        object_id=batch.token,
        area_code=batch.tambon_id,
        detail={"month": Month.of(batch.month).iso(), "format": "zip"},
    )


def forum_pack_record_export(
    *, actor: Actor, area: Area, month: Month, fmt: str, pages: int | None = None, internal: bool = False
) -> None:
    """Audit one pack given out (a download, or a file written by the command line);
    an internal (unsuppressed) copy says so."""
    detail: dict[str, object] = {"month": month.iso(), "format": fmt, "internal": internal}
    if pages is not None:
        detail["pages"] = pages
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="forum_pack",
        object_id=area.code,
        area_code=area.code,
        detail=detail,
    )
