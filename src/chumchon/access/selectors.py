"""Reads of the access app."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from chumchon.access.models import AuditEvent, LoginThrottle, User
from chumchon.access.scope import scope_of


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
