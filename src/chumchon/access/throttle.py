"""Login throttling: the services (writes) that guard every password check.

Policy (OWASP Authentication Cheat Sheet, ASVS 2.2.1) — delays, never a lock a
stranger can trigger:

* per (account, address) pair: after ``LOGIN_THROTTLE_PAIR_LIMIT`` (5) failures each
  further attempt waits 30 s, 60 s, 120 s … up to 15 minutes; forgotten after a day
  without failures, cleared by a successful login from that address;
* per account from any address: the same growing delay from
  ``LOGIN_THROTTLE_ACCOUNT_LIMIT`` (20) failures within 15 minutes;
* per address for any account: from ``LOGIN_THROTTLE_ADDRESS_LIMIT`` (100) failures
  within 15 minutes, so one office behind one router is not shut out by a few
  colleagues' typing mistakes.

An attempt *reserves* its slot before the password is checked: in one transaction the
three counter rows are locked (SELECT … FOR UPDATE; on SQLite the IMMEDIATE
transaction serialises writers), a delayed key refuses the attempt without checking
the password, otherwise the attempt is counted as a failure in advance, including the
delay it would cause. Concurrent attempts therefore queue on the rows and only the
allowed number reach the password check. A success takes its reservation back. An
attempt whose process dies between the two steps stays counted as a failure (the safe
side). Unknown usernames are counted exactly like real ones: no enumeration.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.access.models import Action, LoginThrottle, ThrottleScope, User
from chumchon.access.services import AccessError, Actor, audit_record


class LoginRefused(AccessError):
    """Too many failures: the attempt was refused without checking the password."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(login_refused_message(retry_after))


class LoginFailed(AccessError):
    """Wrong username or password (the same answer for both)."""

    def __init__(self) -> None:
        super().__init__(_("Wrong username or password."))


def login_refused_message(seconds: int) -> str:
    return _("Too many failed attempts. Try again in %(seconds)s seconds.") % {"seconds": seconds}


@dataclass(frozen=True, order=True)
class ThrottleKey:
    scope: str
    username: str
    address: str


@dataclass(frozen=True)
class LoginAttempt:
    """A reserved attempt: its keys and those whose delay it set in advance."""

    username: str
    keys: tuple[ThrottleKey, ...]
    delayed: frozenset[ThrottleKey]


def normalise_username(username: str) -> str:
    return username.strip().lower()[:150]


def normalise_address(ip: str | None) -> str:
    """An IPv4 address as is; an IPv6 address by its /64 (one household or office)."""
    if not ip:
        return ""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)


def throttle_keys(*, username: str, ip: str | None) -> tuple[ThrottleKey, ...]:
    user, addr = normalise_username(username), normalise_address(ip)
    keys = [ThrottleKey(ThrottleScope.ACCOUNT.value, user, "")]
    if addr:
        keys += [ThrottleKey(ThrottleScope.PAIR.value, user, addr), ThrottleKey(ThrottleScope.ADDRESS.value, "", addr)]
    return tuple(sorted(keys))  # one lock order for everyone: no deadlocks


def _policy(scope: str) -> tuple[int, int]:
    """(failures before delays start, seconds the count lasts).

    A pair's count is forgotten after that long without a failure; an account's or an
    address's count covers a fixed window from its first failure ("20 in 15 minutes").
    """
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    return {
        ThrottleScope.PAIR: (settings.LOGIN_THROTTLE_PAIR_LIMIT, settings.LOGIN_THROTTLE_PAIR_FORGET_SECONDS),
        ThrottleScope.ACCOUNT: (settings.LOGIN_THROTTLE_ACCOUNT_LIMIT, window),
        ThrottleScope.ADDRESS: (settings.LOGIN_THROTTLE_ADDRESS_LIMIT, window),
    }[ThrottleScope(scope)]


def _count_expired(row: LoginThrottle, *, lasts: int, now: dt.datetime) -> bool:
    if row.last_failure_at is None:
        return True
    since = row.last_failure_at if row.scope == ThrottleScope.PAIR else row.window_start
    return since + dt.timedelta(seconds=lasts) <= now


def login_delay_seconds(*, failures: int, limit: int) -> int:
    """No delay below the limit; then 30 s, doubling with each failure, capped (15 min)."""
    if failures < limit:
        return 0
    base, cap = settings.LOGIN_THROTTLE_BASE_DELAY_SECONDS, settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS
    return int(min(base * 2 ** min(failures - limit, 30), cap))


def _key_filter(keys: tuple[ThrottleKey, ...]) -> Q:
    q = Q(pk__in=[])
    for key in keys:
        q |= Q(scope=key.scope, username=key.username, address=key.address)
    return q


def _locked_rows(keys: tuple[ThrottleKey, ...]) -> list[LoginThrottle]:
    return list(
        LoginThrottle.objects.select_for_update().filter(_key_filter(keys)).order_by("scope", "username", "address")
    )


def _key_of(row: LoginThrottle) -> ThrottleKey:
    return ThrottleKey(row.scope, row.username, row.address)


def _waits(rows: list[LoginThrottle], now: dt.datetime) -> dict[str, int]:
    """The running delays, in whole seconds, by scope."""
    return {
        row.scope: math.ceil((row.delayed_until - now).total_seconds())
        for row in rows
        if row.delayed_until is not None and row.delayed_until > now
    }


def login_attempt_begin(*, username: str, actor: Actor) -> LoginAttempt:
    """Reserve one attempt, or raise LoginRefused (audited) while a delay runs."""
    now = timezone.now()
    keys = throttle_keys(username=username, ip=actor.ip)
    retry_after = 0
    with transaction.atomic():
        rows = _locked_rows(keys)
        waits = _waits(rows, now)
        missing = set(keys) - {_key_of(row) for row in rows}
        if missing and not waits:  # a refused attempt adds no rows
            LoginThrottle.objects.bulk_create(
                [
                    LoginThrottle(scope=k.scope, username=k.username, address=k.address, window_start=now)
                    for k in sorted(missing)
                ],
                ignore_conflicts=True,  # a concurrent attempt may have just added it
            )
            rows = _locked_rows(keys)
            waits = _waits(rows, now)
        if waits:
            retry_after = max(waits.values())
            audit_record(
                actor=actor,
                action=Action.LOGIN_REFUSED,
                object_type="user",
                detail={"username": username[:150], "retry_after": retry_after, "scopes": sorted(waits)},
            )
        else:
            delayed = set()
            for row in rows:
                limit, lasts = _policy(row.scope)
                if _count_expired(row, lasts=lasts, now=now):
                    row.failures, row.window_start = 0, now
                row.failures += 1
                row.last_failure_at = now
                delay = login_delay_seconds(failures=row.failures, limit=limit)
                row.delayed_until = now + dt.timedelta(seconds=delay) if delay else None
                if delay:
                    delayed.add(_key_of(row))
                row.save(update_fields=["failures", "window_start", "last_failure_at", "delayed_until"])
    if retry_after:
        raise LoginRefused(retry_after)
    return LoginAttempt(username=username[:150], keys=keys, delayed=frozenset(delayed))


def login_attempt_failed(*, attempt: LoginAttempt, actor: Actor) -> None:
    """The reserved attempt failed: it is already counted; record it."""
    audit_record(actor=actor, action=Action.LOGIN_FAILED, object_type="user", detail={"username": attempt.username})


def login_attempt_succeeded(*, attempt: LoginAttempt, user: User, actor: Actor) -> None:
    """Take the reservation back: the pair is forgotten, the wider counters lose one."""
    with transaction.atomic():
        for row in _locked_rows(attempt.keys):
            if row.scope == ThrottleScope.PAIR:
                row.delete()
                continue
            row.failures = max(row.failures - 1, 0)
            if _key_of(row) in attempt.delayed:
                row.delayed_until = None
            row.save(update_fields=["failures", "delayed_until"])
        audit_record(actor=actor, action=Action.LOGIN, object_type="user", object_id=user.pk)


def login_authenticate(*, username: str, password: str, actor: Actor) -> User:
    """Reserve, check the password, settle. Raises LoginRefused or LoginFailed."""
    attempt = login_attempt_begin(username=username, actor=actor)
    user = authenticate(None, username=username, password=password)
    if not isinstance(user, User):
        login_attempt_failed(attempt=attempt, actor=actor)
        raise LoginFailed
    login_attempt_succeeded(attempt=attempt, user=user, actor=dataclasses.replace(actor, user=user))
    return user


def login_throttles_clear(*, actor: Actor, username: str = "", address: str = "") -> int:
    """An administrator clears delays: an account's (all its pairs and the account-wide
    count) and/or an address's (all its pairs and the address-wide count)."""
    name, addr = normalise_username(username), normalise_address(address) if address else ""
    if not name and not addr:
        raise AccessError(_("Give a username or an address."))
    which = Q(pk__in=[])
    if name:
        which |= Q(username=name)
    if addr:
        which |= Q(address=addr)
    with transaction.atomic():
        rows = LoginThrottle.objects.select_for_update().filter(which).order_by("scope", "username", "address")
        cleared = [
            {"scope": r.scope, "username": r.username, "address": r.address, "failures": r.failures} for r in rows
        ]
        LoginThrottle.objects.filter(pk__in=[r.pk for r in rows]).delete()
        audit_record(
            actor=actor,
            action=Action.LOGIN_UNLOCK,
            object_type="user" if name else "address",
            detail={"username": name, "address": addr, "cleared": cleared},
        )
    return len(cleared)
