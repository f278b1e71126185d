from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from typing import Any

from django.core.management.base import CommandParser

from chumchon.core.command import ChumchonCommand, InputRejected


def default_workers() -> int:
    """One server process a core where processes can be forked (Linux, macOS); one
    process elsewhere (Windows). A page is Python work under one interpreter lock, so
    threads alone keep a server on one core: measured with 200 users on 2 cores, one
    process answered ~30 requests/s whatever its thread count (docs/BENCHMARKS.md)."""
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


class Command(ChumchonCommand):
    help = "Serve the web app and API (waitress; static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("CHUMCHON_WORKERS", "0")) or None,
            help="server processes sharing the port (default: one a core; 1 on Windows)",
        )
        # Worker threads a process: requests wait on the database part of the time, so
        # a few (CHUMCHON_THREADS or --threads). Waitress's default of 100 open
        # connections left users of a 200-person office unanswered; connections beyond
        # the threads wait in waitress's queue (cheap) instead of being refused.
        parser.add_argument("--threads", type=int, default=int(os.environ.get("CHUMCHON_THREADS", "6")))
        parser.add_argument(
            "--connection-limit", type=int, default=int(os.environ.get("CHUMCHON_CONNECTION_LIMIT", "1000"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chumchon.core.worker import start_background_worker
        from chumchon.imports.services import import_jobs_fail_interrupted
        from chumchon.insights.forum.batch import forum_batches_fail_interrupted
        from chumchon.ledgers.statement_batches import statement_batches_fail_interrupted
        from chumchon.ledgers.suggest import dictionary_warm
        from chumchon.wsgi import application

        workers = options["workers"] or default_workers()
        if workers < 1 or (workers > 1 and not hasattr(os, "fork")):
            raise InputRejected(
                self.t("--workers ต้องเป็น 1 ขึ้นไป (บน Windows ได้ 1)", "--workers must be 1 or more (1 on Windows)")
            )
        # Jobs a previous run of the server left "running" when it stopped are failed, so
        # their pages say so instead of waiting for ever.
        import_jobs_fail_interrupted()
        forum_batches_fail_interrupted()
        statement_batches_fail_interrupted()
        dictionary_warm()  # the category picker's word list, before the first keystroke

        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.t(f"เปิดใช้งานที่ {url}  (กด Ctrl+C เพื่อหยุด)", f"Serving on {url}  (Ctrl+C to stop)"))
        self.stdout.flush()
        if workers == 1:
            # Background work (imports, report batches) runs in a thread of this process,
            # so a tambon office needs no second program; `chumchon db_worker` may run too.
            start_background_worker()
            from waitress import serve

            serve(application, host=options["host"], port=options["port"], **serve_options(options))
            return
        serve_in_processes(application, options, workers, start_background_worker)


def serve_options(options: dict[str, Any]) -> dict[str, Any]:
    """Waitress's settings for each server process (see ``add_arguments``)."""
    return {
        "threads": options["threads"],
        "connection_limit": options["connection_limit"],
        "backlog": 2048,  # the listen queue: a burst of 200 logins is not refused
        "channel_timeout": 120,  # an idle keep-alive connection is closed after 2 minutes
        "asyncore_use_poll": True,  # poll(), not select(): no 1024 file-descriptor ceiling
        "ident": "chumchon",
    }


def listening_socket(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def serve_in_processes(application: Any, options: dict[str, Any], workers: int, start_background_worker: Any) -> None:
    """``workers`` waitress processes accepting on one socket (the kernel hands each
    connection to one of them), forked from this one after the app is loaded, so they
    share its memory until they write. This process keeps the background worker and
    watches: when a server process ends, it stops the others and exits with an error,
    for the service manager (systemd, Task Scheduler) to start the server again."""
    from django.db import connections

    sock = listening_socket(options["host"], options["port"])
    connections.close_all()  # no database connection crosses a fork
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a server process
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = 0
            try:
                from waitress import serve

                serve(application, sockets=[sock], **serve_options(options))
            except BaseException:  # a child reports and ends; the parent decides
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    sock.close()  # the children hold it
    start_background_worker()  # after the forks: no thread of this process is copied

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    failed = False
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid in children:
            children.remove(pid)
            if not stopping:
                failed = True
                stop(signal.SIGTERM, None)
    if failed:
        sys.exit(1)
