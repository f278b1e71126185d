"""Running background tasks inside the web process, so that a tambon office with one
``chumchon serve`` and no separate worker still gets its imports done.

``start_background_worker()`` starts django-tasks-db's own worker loop (the one behind
``chumchon db_worker``) in a daemon thread of this process: it polls the task table
every second and runs queued tasks one at a time. It is idempotent, so the import page
also calls it when it queues a job (a server started some other way — ``runserver``, a
WSGI server — gets a worker on its first import). Several processes, or a separate
``chumchon db_worker``, may run at once: each task is claimed by exactly one worker.

Nothing starts unless the default task backend is the database backend (a ``TASKS``
setting of the immediate backend runs each task as soon as it is queued instead). The
tests keep the database backend and start no worker: a queued task stays queued unless
a test starts one.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from typing import Any

from django.db import connection

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None
_stopping = threading.Event()
_current: Any = None  # the running django_tasks_db Worker, so it can be stopped
RESTART_DELAY = 5.0


def uses_database_backend() -> bool:
    """Whether tasks go through the database (a worker runs them later), not at once."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def _loop(interval: float) -> None:
    global _current
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
    from django_tasks_db.management.commands.db_worker import Worker

    while not _stopping.is_set():
        _current = worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=interval,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"chumchon-{os.getpid()}-{uuid.uuid4().hex[:12]}",
            excluded_queue_names=[],
        )
        if _stopping.is_set():  # stopped while this worker was being made
            return
        try:
            worker.run()  # signals are not installed: a thread cannot, and need not
            return
        except Exception:
            # A database hiccup (locked, restarted): log it and poll again shortly.
            logger.exception("background task worker stopped; restarting in %s s", RESTART_DELAY)
            _stopping.wait(RESTART_DELAY)
        finally:
            connection.close()


def start_background_worker(*, interval: float = 1.0) -> threading.Thread | None:
    """Start the in-process task worker once; returns its thread (``None`` when tasks
    do not go through the database, e.g. in tests)."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return _thread
        if not uses_database_backend():
            return None
        _stopping.clear()
        _thread = threading.Thread(target=_loop, args=(interval,), name="chumchon-tasks", daemon=True)
        _thread.start()
        logger.info("background task worker started")
        return _thread


def stop_background_worker(timeout: float = 30.0) -> None:
    """Stop the in-process worker after the task it is running, if any (for a clean
    shutdown, and for tests)."""
    global _thread
    with _lock:
        thread, _thread = _thread, None
        _stopping.set()
        if _current is not None:
            _current.running = False
    if thread is not None:
        thread.join(timeout)
