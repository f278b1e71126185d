"""Reads of the imports app. Scope: a job is seen by the people who may import into its
tambon (tambon staff there, administrators) — its error report repeats the uploaded rows,
national IDs included, so seeing the tambon's figures is not enough."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet

from chumchon.access.permissions import Write, writable_areas
from chumchon.imports.models import ImportJob


def import_jobs_qs_for_user(user: object) -> QuerySet[ImportJob]:
    areas = writable_areas(user, Write.IMPORT)
    if areas is None:
        return ImportJob.objects.all()
    if not areas:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(reduce(or_, (Q(tambon__code__startswith=code) for code in sorted(areas))))


def import_job_get_for_user(user: object, pk: int) -> ImportJob:
    """The job, or ``ImportJob.DoesNotExist`` when it does not exist *or* is out of scope."""
    return import_jobs_qs_for_user(user).select_related("tambon").get(pk=pk)


def import_jobs_recent(user: object, tambon_code: str, *, limit: int = 10) -> list[ImportJob]:
    return list(import_jobs_qs_for_user(user).filter(tambon_id=tambon_code).select_related("user")[:limit])


def import_jobs_failed_for_user(user: object, tambon_code: str) -> QuerySet[ImportJob]:
    """The tambon's imports that failed or were not imported (a file with errors), where
    no later import of the same kind has since gone through: the ones still to redo."""
    done_later = ImportJob.objects.filter(
        tambon_id=OuterRef("tambon_id"), kind=OuterRef("kind"), status=ImportJob.Status.DONE,
        created_at__gt=OuterRef("created_at"),
    )  # fmt: skip
    return (
        import_jobs_qs_for_user(user)
        .filter(tambon_id=tambon_code, status__in=(ImportJob.Status.FAILED, ImportJob.Status.REJECTED))
        .exclude(Exists(done_later))
    )
