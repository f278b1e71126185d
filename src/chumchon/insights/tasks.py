"""Background tasks of the insights app (django-tasks; see ``core.worker`` for who runs them)."""

from __future__ import annotations

from django_tasks import task

from chumchon.insights.forum.batch import forum_batch_run


@task()
def run_forum_batch(batch_id: int) -> str | None:
    """Make one batch of forum packs; returns its final status for the task's own record."""
    batch = forum_batch_run(batch_id)
    return batch.status if batch is not None else None


@task()
def warm_dashboards() -> dict[str, float]:
    """The districts' and provinces' default dashboards, computed ahead (``insights.warm``)."""
    from chumchon.insights.warm import dashboards_warm

    done = dashboards_warm()
    return {"areas": done.areas, "results": done.results, "seconds": round(done.seconds, 2)}
