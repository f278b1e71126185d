"""Which process runs a background job, so that a job whose process died can be told
from one still at work.

A job claimed by a worker records :func:`runner_id` — host, pid and a token of this
start of the process (a restarted server may be given the same pid). Whether that
process is certainly gone can be answered only on its own host.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from typing import Any, Protocol

from django.utils import timezone

logger = logging.getLogger(__name__)

BOOT = uuid.uuid4().hex[:12]


def runner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{BOOT}"


def runner_gone(runner: str) -> bool:
    """Is the process named by ``runner`` certainly gone? ``False`` when it cannot be told
    (another host), so a job another machine's worker runs is never failed from here."""
    host, _, rest = runner.partition(":")
    pid_text, _, boot = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return boot != BOOT  # this pid, but a later start of the server
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # pragma: no cover - someone else's live process
        return False
    return False


INTERRUPTED = "interrupted"  # the ``failure`` of a job whose process died


class _Job(Protocol):
    pk: Any
    status: str
    runner: str
    created_at: dt.datetime
    started_at: dt.datetime | None

    def refresh_from_db(self) -> None: ...


def job_fail_if_interrupted(
    job: _Job,
    *,
    running: str,
    failed: str,
    stale_after: dt.timedelta | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Fail a job left ``running`` by a process that is certainly gone (a stopped or
    restarted server) or, with ``stale_after``, that has written no progress for that
    long, as ``interrupted``. Only the row still running under the same runner is
    changed, so a worker that finishes meanwhile wins. Returns whether this call failed
    it; ``job`` is refreshed either way when it was running."""
    if job.status != running:
        return False
    now = now or timezone.now()
    last = getattr(job, "heartbeat_at", None) or job.started_at or job.created_at  # the last sign of life
    stale = stale_after is not None and last is not None and now - last > stale_after
    if not (runner_gone(job.runner) or stale):
        return False
    model = type(job)._default_manager  # type: ignore[attr-defined]
    changed = model.filter(pk=job.pk, status=running, runner=job.runner).update(
        status=failed, failure=INTERRUPTED, finished_at=now
    )
    if changed:
        logger.warning("%s %s was interrupted (runner %r)", type(job).__name__, job.pk, job.runner)
    job.refresh_from_db()
    return bool(changed)
