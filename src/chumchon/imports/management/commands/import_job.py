"""``chumchon import_job ID``: run one claimed upload job in this process, under the
memory limit of :mod:`chumchon.imports.process` (the worker starts it; not for people)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chumchon.imports.process import EXIT_MEMORY, budget_mb, limit_memory


class Command(BaseCommand):
    help = "Run one import job that a worker has claimed, with bounded memory (started by the worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        from chumchon.imports.services import import_job_execute

        limit_memory(budget_mb())
        try:
            import_job_execute(job_id=options["job_id"])
        except MemoryError:
            # Nothing more is allocated here: the worker that started us records the failure,
            # and the open transaction dies with this process.
            os._exit(EXIT_MEMORY)
