"""Running an uploaded import in a child process whose memory is bounded.

The web server runs import jobs in a worker thread of its own process (see
``worker.py``). A thread cannot have a memory limit of its own, and python-calamine
loads a whole sheet into memory, so a file that got past the size checks of
:mod:`chumchon.core.spreadsheet.limits` could still take the whole server down. So a
job claimed by a worker runs in ``chumchon import_job ID``, a child process that sets
``RLIMIT_AS`` to the address space it has after starting plus
``settings.IMPORT_JOB_MEMORY_MB`` (environment ``CHUMCHON_IMPORT_MEMORY_MB``, default
1536) before it opens the file. Past that, an allocation fails: Python raises
``MemoryError`` and the child exits with :data:`EXIT_MEMORY`; Rust code (calamine)
aborts the process instead. Either way its transaction dies with it, and the worker
records the job as failed with ``failure = "memory"``, which the job page explains.

The child runs only under the database task backend (a real server): the immediate
backend of the tests runs a job inside the test's own transaction, which no other
process can see. ``IMPORT_JOB_MEMORY_MB = 0`` runs jobs in the worker thread, unbounded.
"""

from __future__ import annotations

import logging
import os
import resource
import subprocess
import sys

from django.conf import settings

logger = logging.getLogger(__name__)

EXIT_MEMORY = 75
MEMORY = "memory"  # the ``failure`` of a job that ran out of its memory


def budget_mb() -> int:
    return int(getattr(settings, "IMPORT_JOB_MEMORY_MB", 0) or 0)


def runs_in_child() -> bool:
    """Should a job run in a bounded child process (see the module's docstring)?"""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return budget_mb() > 0 and isinstance(task_backends["default"], DatabaseBackend)


def address_space() -> int:
    """This process's address space now, in bytes (``/proc/self/statm``; 0 where absent)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def limit_memory(extra_mb: int) -> int:
    """Cap this process's address space at what it uses now plus ``extra_mb``; returns
    the limit in bytes (0: no limit could be set on this system)."""
    used = address_space()
    if not used or extra_mb <= 0:
        return 0
    limit = used + extra_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit


def run_in_child(job_id: int) -> int:
    """Run ``chumchon import_job JOB_ID`` and wait for it; returns its exit code
    (negative: killed by that signal)."""
    command = [sys.executable, "-m", "chumchon.cli", "import_job", str(job_id)]
    completed = subprocess.run(command, env=os.environ.copy(), check=False)  # noqa: S603 - our own command
    if completed.returncode:
        logger.warning("import job %s: child process exited with %s", job_id, completed.returncode)
    return completed.returncode
