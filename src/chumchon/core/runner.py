"""Which process runs a background job, so that a job whose process died can be told
from one still at work.

A job claimed by a worker records :func:`runner_id` — host, pid and a token of this
start of the process (a restarted server may be given the same pid). Whether that
process is certainly gone can be answered only on its own host.
"""

from __future__ import annotations

import os
import socket
import uuid

BOOT = uuid.uuid4().hex[:12]


def runner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{BOOT}"


def runner_gone(runner: str) -> bool:
    """Is the process named by ``runner`` certainly gone? ``False`` when it cannot be told
    (another host), so a job another machine's worker runs is never failed from here."""
    host, _, rest = runner.partition(":")
    pid_text, _, boot = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return boot != BOOT  # this pid, but a later start of the server
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # pragma: no cover - someone else's live process
        return False
    return False
