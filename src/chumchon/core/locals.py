"""Django's request-wide state without a lock on every read, for the threaded WSGI server.

Django keeps the active language, time zone, URL prefix and urlconf in
``asgiref.local.Local`` objects so that they follow a request across ``sync_to_async``
and ``async_to_sync``. asgiref (3.13) guards each read of such a Local with one
``RLock`` shared by every thread, and a rendered page reads the language thousands of
times (every ``{% translate %}``, ``{% url %}`` and date). Under ``chumchon serve``'s
threads that lock became the server's bottleneck: measured with py-spy during the
200-user load run, the worker threads spent most of their samples waiting in
``_DefaultLocal.__getattr__``, and the server answered 25 requests/s at p95 8.5 s.

Chumchon serves WSGI only: a request stays on one thread from start to end and never
enters an event loop, so per-thread storage is exactly the right scope.
``Local(thread_critical=True)`` is asgiref's own lock-free, per-thread variant.
``use_thread_locals`` swaps it in, once, before the first request.
"""

from __future__ import annotations

from asgiref.local import Local

_SWAPPED = False


def use_thread_locals() -> None:
    global _SWAPPED
    if _SWAPPED:
        return
    from django.urls import base as url_base
    from django.utils import timezone
    from django.utils.translation import trans_real

    trans_real._active = Local(thread_critical=True)  # type: ignore[attr-defined]
    timezone._active = Local(thread_critical=True)  # type: ignore[attr-defined]
    url_base._prefixes = Local(thread_critical=True)  # type: ignore[attr-defined]
    url_base._urlconfs = Local(thread_critical=True)  # type: ignore[attr-defined]
    _SWAPPED = True
