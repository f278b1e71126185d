"""Reads of the access app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from chumchon.access.models import Action, Assignment, AuditEvent, LoginThrottle, Role, User
from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, AreaQuerySet, Level, under_q
from chumchon.areas.selectors import area_ancestors, areas_qs, normalize_area_query


def audit_events_qs_for_user(user: object) -> QuerySet[AuditEvent]:
    """The audit log is for administrators only; others get nothing."""
    if not scope_of(user).is_admin:
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


def audit_events_filtered(
    qs: QuerySet[AuditEvent],
    *,
    username: str = "",
    action: str = "",
    area: str = "",
    object_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    if username:
        qs = qs.filter(username__iexact=username)
    if action:
        qs = qs.filter(action=action)
    if area:
        qs = qs.filter(area_code__startswith=area)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def users_qs_for_user(user: object) -> QuerySet[User]:
    """User administration is for administrators only."""
    if not scope_of(user).is_admin:
        return User.objects.none()
    return User.objects.prefetch_related("assignments__area").order_by("username")


def user_get_for_user(user: object, pk: int) -> User:
    return users_qs_for_user(user).get(pk=pk)


def login_throttles_for_username(username: str) -> list[LoginThrottle]:
    """An account's failure counters (account-wide and per address), for its admin page."""
    name = username.strip().lower()[:150]
    return list(LoginThrottle.objects.filter(username=name).order_by("scope", "address"))


@dataclass(frozen=True)
class AdminOverview:
    """What an administrator looks at first: who has which role, who is being slowed
    down at login, what happened lately."""

    users: int
    users_without_role: int
    roles: list[tuple[str, str, int]]  # (role, label, people holding it today)
    delayed: list[LoginThrottle]  # login delays still running
    failures_today: int
    recent: list[AuditEvent]


def admin_overview_for_user(user: object, *, today: dt.date | None = None, recent: int = 12) -> AdminOverview:
    """The administrator's overview; :class:`User.DoesNotExist` for anyone else (a 404)."""
    if not scope_of(user).is_admin:
        raise User.DoesNotExist
    today = today or timezone.localdate()
    current = Assignment.objects.active_on(today)
    held = dict(current.values("role").annotate(n=Count("user_id", distinct=True)).values_list("role", "n"))
    active_users = User.objects.filter(is_active=True)
    return AdminOverview(
        users=active_users.count(),
        users_without_role=active_users.exclude(pk__in=current.values("user_id")).count(),
        roles=[(role.value, str(role.label), held.get(role.value, 0)) for role in Role],
        delayed=list(LoginThrottle.objects.filter(delayed_until__gt=timezone.now()).order_by("-delayed_until")[:20]),
        failures_today=AuditEvent.objects.filter(action=Action.LOGIN_FAILED, at__date=today).count(),
        recent=list(AuditEvent.objects.all()[:recent]),
    )


# --- areas in scope: the areas at or under any of a user's areas ----------------------
# Scope is access's to say, and the area tree stands below it, so the one pair of scoped
# reads of areas lives here.


def areas_qs_for_user(user: object) -> AreaQuerySet:
    scope = scope_of(user)
    if scope.is_admin or scope.national_aggregates:
        return areas_qs()
    codes = sorted(scope.person_read | scope.aggregate_read)
    if not codes:
        return areas_qs().none()
    return areas_qs().filter(reduce(or_, (under_q(c) for c in codes)))


def area_get_for_user(user: object, code: str) -> Area:
    """The area, or ``Area.DoesNotExist`` when it does not exist *or* is out of scope."""
    return areas_qs_for_user(user).get(code=code)


def area_search_for_user(user: object, query: str, *, limit: int = 30) -> list[Area]:
    """Areas in scope whose Thai or English name contains the query.

    The words officials put before names (จ. อ. ต. จังหวัด อำเภอ ตำบล หมู่บ้าน บ้าน) are
    ignored, so "ต.ไก่คำ" finds ไก่คำ. A query of digits finds by code.
    """
    text = normalize_area_query(query)
    if not text:
        return []
    qs = areas_qs_for_user(user)
    if text.isdigit():
        qs = qs.filter(code__startswith=text)
    else:
        qs = qs.filter(Q(name_th__icontains=text) | Q(name_en__icontains=text))
    level_rank = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.TAMBON: 2, Level.VILLAGE: 3}
    rows = list(qs.order_by("code")[: limit * 4])
    rows.sort(key=lambda a: (level_rank[Level(a.level)], a.code))
    return rows[:limit]


@dataclass(frozen=True)
class Crumb:
    area: Area
    link: bool  # False when the area is above the user's scope: shown, not linked


def area_breadcrumbs_for_user(user: object, area: Area, *, include_self: bool = False) -> list[Crumb]:
    chain = [*area_ancestors(area), *([area] if include_self else [])]
    visible = set(areas_qs_for_user(user).filter(code__in=[a.code for a in chain]).values_list("code", flat=True))
    return [Crumb(area=a, link=a.code in visible) for a in chain]
