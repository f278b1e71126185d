"""Background tasks of the imports app (django-tasks; see ``worker.py`` for who runs them)."""

from __future__ import annotations

from django_tasks import task

from chumchon.imports.services import import_job_run


@task()
def run_import_job(job_id: int) -> str | None:
    """Run one uploaded import; returns its final status for the task's own record."""
    job = import_job_run(job_id=job_id)
    return job.status if job is not None else None
