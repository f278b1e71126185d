"""What a user may see and do, computed once from their active assignments.

This is the single source of area scope. Entity selectors (``<entity>_qs_for_user``)
turn it into a filter; nothing else decides who sees what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from chumchon.access.models import Assignment, Role
from chumchon.areas.models import under_q


@dataclass(frozen=True)
class Scope:
    """Area codes per capability. ``national`` grants the capability everywhere."""

    user_id: int | None
    roles: frozenset[str] = frozenset()
    is_admin: bool = False
    # Person-level data (households, members, ledger rows) may be read here.
    person_read: frozenset[str] = frozenset()
    # The registry (households, members, verification) may be changed here.
    registry_write: frozenset[str] = frozenset()
    # Ledger entries may be added here.
    ledger_write: frozenset[str] = frozenset()
    # Aggregates (figures, counts) may be read here.
    aggregate_read: frozenset[str] = frozenset()
    national_aggregates: bool = False
    assignments: tuple[tuple[str, str | None], ...] = field(default=())

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def has_person_access(self) -> bool:
        return self.is_admin or bool(self.person_read)

    def _q(self, codes: frozenset[str], *, everywhere: bool, prefix: str, village_field: str) -> Q:
        if everywhere:
            return Q()
        if not codes:
            # Matches nothing, without a query round-trip.
            return Q(pk__in=[])
        return reduce(or_, (under_q(c, prefix=prefix, village_field=village_field) for c in sorted(codes)))

    def person_q(self, *, prefix: str = "", village_field: str = "village_id") -> Q:
        return self._q(self.person_read, everywhere=self.is_admin, prefix=prefix, village_field=village_field)

    def registry_write_q(self, *, prefix: str = "", village_field: str = "village_id") -> Q:
        return self._q(self.registry_write, everywhere=self.is_admin, prefix=prefix, village_field=village_field)

    def ledger_write_q(self, *, prefix: str = "", village_field: str = "village_id") -> Q:
        return self._q(self.ledger_write, everywhere=self.is_admin, prefix=prefix, village_field=village_field)

    def aggregate_q(self, *, prefix: str = "", village_field: str = "village_code") -> Q:
        return self._q(
            self.aggregate_read,
            everywhere=self.is_admin or self.national_aggregates,
            prefix=prefix,
            village_field=village_field,
        )

    def covers(self, codes: frozenset[str], area_code: str, *, everywhere: bool) -> bool:
        """Is ``area_code`` at or under one of ``codes``? (Codes nest by prefix.)"""
        return everywhere or any(area_code.startswith(c) for c in codes)

    def can_read_persons_in(self, area_code: str) -> bool:
        return self.covers(self.person_read, area_code, everywhere=self.is_admin)

    def can_write_registry_in(self, area_code: str) -> bool:
        return self.covers(self.registry_write, area_code, everywhere=self.is_admin)

    def can_write_ledger_in(self, area_code: str) -> bool:
        return self.covers(self.ledger_write, area_code, everywhere=self.is_admin)

    def can_manage_province(self, province_code: str) -> bool:
        """Province-wide settings (zones, village boundaries): an administrator or that
        province's coordinator."""
        return self.is_admin or (Role.PROVINCE_COORDINATOR, province_code[:2]) in self.assignments

    def can_read_aggregates_in(self, area_code: str) -> bool:
        return self.covers(self.aggregate_read, area_code, everywhere=self.is_admin or self.national_aggregates)

    @property
    def root_codes(self) -> list[str]:
        """The top areas a user works in (for a home page), without nested duplicates."""
        codes = sorted(self.aggregate_read | self.person_read)
        return [c for c in codes if not any(c != o and c.startswith(o) for o in codes)]


ANONYMOUS = Scope(user_id=None)


def scope_for(user: object, *, today: dt.date | None = None) -> Scope:
    """The scope of ``user`` on ``today`` (default: today in Bangkok)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ANONYMOUS
    day = today or timezone.localdate()
    rows = list(
        Assignment.objects.active_on(day).filter(user_id=user.pk).values_list("role", "area_id")  # type: ignore[attr-defined]
    )
    roles = frozenset(r for r, _ in rows)
    person: set[str] = set()
    registry: set[str] = set()
    ledger: set[str] = set()
    aggregate: set[str] = set()
    national = False
    for role, area in rows:
        if role == Role.AGENCY:
            if area is None:
                national = True
            else:
                aggregate.add(area)
            continue
        if area is None:
            continue
        if role in (Role.PROVINCE_COORDINATOR, Role.DISTRICT_COORDINATOR):
            person.add(area)
            aggregate.add(area)
        elif role == Role.TAMBON_STAFF:
            person.add(area)
            aggregate.add(area)
            registry.add(area)
            ledger.add(area)
        elif role == Role.VOLUNTEER:
            person.add(area)
            aggregate.add(area)
            ledger.add(area)
    is_admin = Role.ADMIN in roles or bool(getattr(user, "is_superuser", False))
    return Scope(
        user_id=user.pk,  # type: ignore[attr-defined]
        roles=roles | ({Role.ADMIN.value} if is_admin else set()),
        is_admin=is_admin,
        person_read=frozenset(person),
        registry_write=frozenset(registry),
        ledger_write=frozenset(ledger),
        aggregate_read=frozenset(aggregate),
        national_aggregates=national,
        assignments=tuple(sorted(rows, key=lambda row: (row[0], row[1] or ""))),
    )


def scope_of(user: object) -> Scope:
    """Scope cached on the user object for the length of one request."""
    cached = getattr(user, "_chumchon_scope", None)
    if isinstance(cached, Scope):
        return cached
    scope = scope_for(user)
    if user is not None and getattr(user, "is_authenticated", False):
        user._chumchon_scope = scope  # type: ignore[attr-defined]
    return scope


class _Reader:
    """A reader that is not a request's user, with a fixed scope: the system, or the
    public holding a printed page."""

    is_authenticated = True
    is_active = True

    def __init__(self, name: str, scope: Scope) -> None:
        self.pk = scope.user_id
        self.is_superuser = scope.is_admin
        self._chumchon_scope = scope
        self._name = name

    def __str__(self) -> str:
        return self._name


# The command line, the demo and background work reading as the system: every area,
# person-level. Never a request's user.
SYSTEM = _Reader("system", Scope(user_id=0, roles=frozenset({Role.ADMIN.value}), is_admin=True))
# Whoever holds a printed page (a community plan handed out at a forum): the aggregates
# of every area, no person. The caller scopes the area with the user's own scope first.
PUBLIC = _Reader("public", Scope(user_id=None, national_aggregates=True))
