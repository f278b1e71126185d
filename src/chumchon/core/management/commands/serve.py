from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandParser

from chumchon.core.command import ChumchonCommand


class Command(ChumchonCommand):
    help = "Serve the web app and API (waitress; static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        # Worker threads: requests mostly wait on the database, so a few per core
        # (CHUMCHON_THREADS or --threads). Waitress's default of 100 open connections
        # left users of a 200-person office unanswered; connections beyond the threads
        # wait in waitress's queue (cheap) instead of being refused.
        parser.add_argument("--threads", type=int, default=int(os.environ.get("CHUMCHON_THREADS", "12")))
        parser.add_argument(
            "--connection-limit", type=int, default=int(os.environ.get("CHUMCHON_CONNECTION_LIMIT", "1000"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from chumchon.imports.services import import_jobs_fail_interrupted
        from chumchon.imports.worker import start_background_worker
        from chumchon.insights.forum.batch import forum_batches_fail_interrupted
        from chumchon.ledgers.statement_batches import statement_batches_fail_interrupted
        from chumchon.ledgers.suggest import dictionary_warm
        from chumchon.wsgi import application

        # Jobs a previous run of the server left "running" when it stopped are failed, so
        # their pages say so instead of waiting for ever.
        import_jobs_fail_interrupted()
        forum_batches_fail_interrupted()
        statement_batches_fail_interrupted()
        # Background work (imports, report batches) runs in a thread of this process, so
        # a tambon office needs no second program; `chumchon db_worker` may run as well.
        start_background_worker()
        dictionary_warm()  # the category picker's word list, before the first keystroke

        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.t(f"เปิดใช้งานที่ {url}  (กด Ctrl+C เพื่อหยุด)", f"Serving on {url}  (Ctrl+C to stop)"))
        serve(application, **serve_options(options))


def serve_options(options: dict[str, Any]) -> dict[str, Any]:
    """Waitress's settings for ``chumchon serve`` (see ``add_arguments``)."""
    return {
        "host": options["host"],
        "port": options["port"],
        "threads": options["threads"],
        "connection_limit": options["connection_limit"],
        "backlog": 2048,  # the listen queue: a burst of 200 logins is not refused
        "channel_timeout": 120,  # an idle keep-alive connection is closed after 2 minutes
        "asyncore_use_poll": True,  # poll(), not select(): no 1024 file-descriptor ceiling
        "ident": "chumchon",
    }
