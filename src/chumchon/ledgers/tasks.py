"""Background tasks of the ledgers app (django-tasks; see ``core.worker`` for who runs them)."""

from __future__ import annotations

from django_tasks import task

from chumchon.ledgers.statement_batches import statement_batch_run


@task()
def run_statement_batch(batch_id: int) -> str | None:
    """Make one village batch of household statements; returns its final status for the
    task's own record."""
    batch = statement_batch_run(batch_id)
    return batch.status if batch is not None else None
