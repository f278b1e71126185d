"""Writes of the access app: audit records, assignments, API tokens (login throttling: throttle.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chumchon.access.models import (
    ROLE_AREA_LEVEL,
    Action,
    ApiToken,
    Assignment,
    AuditEvent,
    Role,
    User,
)
from chumchon.areas.models import Area


class AccessError(Exception):
    """A refused access operation; the message is shown to the user."""


@dataclass(frozen=True)
class Actor:
    """Who does something and from where: built from a request, the CLI or a task."""

    user: User | None
    ip: str | None = None
    path: str = ""
    user_agent: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def system(cls, what: str) -> Actor:
        return cls(user=None, path=what)


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str = "",
    object_id: object = "",
    area_code: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Runs inside the caller's transaction when there is one."""
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    return AuditEvent.objects.create(
        at=timezone.now(),
        user=user,
        username=user.get_username() if user else "",
        action=Action(action),
        object_type=object_type,
        object_id=str(object_id),
        area_code=area_code or "",
        ip=actor.ip,
        path=actor.path[:300],
        user_agent=actor.user_agent[:300],
        detail=detail or {},
    )


def assignment_create(
    *,
    user: User,
    role: str,
    area: Area | None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    actor: Actor,
) -> Assignment:
    role = Role(role)
    level = ROLE_AREA_LEVEL[role]
    if level is None and area is not None:
        raise AccessError("ผู้ดูแลระบบไม่ผูกกับพื้นที่")
    if level not in (None, "any") and (area is None or area.level != level):
        raise AccessError(f"บทบาทนี้ต้องผูกกับพื้นที่ระดับ {level}")
    if starts_on and ends_on and ends_on < starts_on:
        raise AccessError("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น")
    with transaction.atomic():
        assignment = Assignment.objects.create(user=user, role=role, area=area, starts_on=starts_on, ends_on=ends_on)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="assignment",
            object_id=assignment.pk,
            area_code=area.code if area else "",
            detail={"user": user.username, "role": role.value},
        )
    return assignment


# --- API tokens ------------------------------------------------------------------


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user: User, actor: Actor) -> str:
    """A new bearer token (returned once; only its hash is kept)."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            user=user,
            key_hash=_token_hash(key),
            expires_at=timezone.now() + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
        audit_record(actor=actor, action=Action.TOKEN, object_type="user", object_id=user.pk)
    return key


def token_authenticate(*, key: str) -> User | None:
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(key), revoked_at__isnull=True, expires_at__gt=now)
        .filter(Q(user__is_active=True))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    organisation: str = "",
) -> User:
    """A new user; the password must pass the configured password rules."""
    username = username.strip()
    if not username:
        raise AccessError("ต้องระบุชื่อผู้ใช้")
    if User.objects.filter(username__iexact=username).exists():
        raise AccessError(f"มีผู้ใช้ชื่อ {username} อยู่แล้ว")
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        organisation=organisation,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccessError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        audit_record(
            actor=actor, action=Action.CREATE, object_type="user", object_id=user.pk, detail={"username": username}
        )
    return user


def assignment_end(*, actor: Actor, assignment: Assignment, ends_on: dt.date) -> Assignment:
    """End an assignment on a day (kept for history; never deleted)."""
    if assignment.starts_on and ends_on < assignment.starts_on:
        raise AccessError("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น")
    with transaction.atomic():
        before = assignment.ends_on
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="assignment",
            object_id=assignment.pk,
            area_code=assignment.area_id or "",
            detail={"before": {"ends_on": str(before) if before else None}, "after": {"ends_on": str(ends_on)}},
        )
    return assignment
