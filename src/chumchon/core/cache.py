"""Results kept in two tiers (``settings.CACHES``): this process's memory (``default``)
in front of one table in the database (``shared``) that every process — each of
``chumchon serve``'s, the background worker, the commands — reads and writes. So what
one process computed (a request, or the warm task ahead of any request) serves all of
them and survives a restart. A key carries the version of the data its value was
computed from, so nothing expires by time; old versions age out by ``MAX_ENTRIES``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache, caches

T = TypeVar("T")
READABLE = 120  # characters of a key kept readable; the rest hashed (the table allows 255)


def key_of(text: str) -> str:
    """A key the shared table takes: short keys as they are, a long one's head and hash."""
    if len(text) <= READABLE:
        return text
    return f"{text[:READABLE]}~{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def kept_here(key: str, compute: Callable[[], T]) -> T:
    """The value under ``key`` from this process's memory, else computed and kept there
    only: for what costs less to compute than a round trip to the shared table (about
    5 ms a miss on PostgreSQL: the look-up, the write, its commit)."""
    return _in_memory(key_of(key), compute)


def kept_in_both(key: str, compute: Callable[[], T]) -> T:
    """The value under ``key`` from this process's memory, else from the shared table
    (and kept in memory), else computed and kept in both."""
    key = key_of(key)
    return _in_memory(key, lambda: _in_shared(key, compute))


def _in_memory(key: str, compute: Callable[[], T]) -> T:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def _in_shared(key: str, compute: Callable[[], T]) -> T:
    shared = caches["shared"]
    value = shared.get(key)
    if value is None:
        value = compute()
        shared.set(key, value)
    return value
