from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chumchon.core.command import ChumchonCommand


class Command(ChumchonCommand):
    help = "Serve the web app and API (waitress; static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from chumchon.imports.services import import_jobs_fail_interrupted
        from chumchon.imports.worker import start_background_worker
        from chumchon.insights.forum.batch import forum_batches_fail_interrupted
        from chumchon.ledgers.statement_batches import statement_batches_fail_interrupted
        from chumchon.wsgi import application

        # Jobs a previous run of the server left "running" when it stopped are failed, so
        # their pages say so instead of waiting for ever.
        import_jobs_fail_interrupted()
        forum_batches_fail_interrupted()
        statement_batches_fail_interrupted()
        # Background work (imports, report batches) runs in a thread of this process, so
        # a tambon office needs no second program; `chumchon db_worker` may run as well.
        start_background_worker()

        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.t(f"เปิดใช้งานที่ {url}  (กด Ctrl+C เพื่อหยุด)", f"Serving on {url}  (Ctrl+C to stop)"))
        serve(application, host=options["host"], port=options["port"], threads=options["threads"], ident="chumchon")
