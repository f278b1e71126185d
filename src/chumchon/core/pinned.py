"""Versions read once for a whole read: a page, an API answer, a figures call.

What is computed from the rollups and the registry is kept under their versions
(``ledgers.selectors.rollups_version``, ``registry.versions.registry_version``), and a
page asks for them many times: every selector that keeps something reads them again
(a figures call read the rollups' version twice and the registry's once — three of
its seven queries). Inside :func:`versions_pinned` each version is read once and the
same value serves the rest of the read, so everything it computes belongs to one
state of the data, as if read in one snapshot.

Only around reads: a write inside the block that bumps a version would not be seen
by what follows it. ``chumchon.core.middleware.VersionsPinnedMiddleware`` pins every
GET and HEAD request; outside a pin every read goes to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_pinned: ContextVar[dict[str, object] | None] = ContextVar("chumchon_versions_pinned", default=None)


@contextmanager
def versions_pinned() -> Iterator[None]:
    """Within, each :func:`version_read` of a name reads once (nested pins share the outer one)."""
    if _pinned.get() is not None:
        yield
        return
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def version_read(name: str, read: Callable[[], T]) -> T:
    """``read()``, once per ``name`` inside :func:`versions_pinned`; every time outside it."""
    memo = _pinned.get()
    if memo is None:
        return read()
    if name not in memo:
        memo[name] = read()
    return memo[name]  # type: ignore[return-value]
