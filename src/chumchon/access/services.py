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
from chumchon.areas.models import Area, Level, Zone
from chumchon.areas.selectors import area_by_code, areas_by_code
from chumchon.areas.services import AreaError, area_boundary_set, village_add, zone_write
from chumchon.core.maps import geometry_is_valid


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


# --- the area tree's writes a user makes (villages, zones, boundaries), audited ------------
# The area tree stands below access and knows no users; these writes do, and each leaves
# an audit event, so they live here.


def village_create(*, actor: Actor, tambon: Area, village_no: int, name_th: str) -> Area:
    if tambon.level != Level.TAMBON:
        raise AreaError("หมู่บ้านต้องอยู่ในตำบล")
    if not 1 <= village_no <= 99:
        raise AreaError("หมู่ที่ต้องอยู่ระหว่าง 1 ถึง 99")
    name_th = " ".join(name_th.split())
    if not name_th:
        raise AreaError("ต้องระบุชื่อหมู่บ้าน")
    with transaction.atomic():
        village = village_add(tambon, village_no, name_th)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="area",
            object_id=village.code,
            area_code=village.code,
            detail={"name_th": name_th},
        )
    return village


def village_rename(*, actor: Actor, village: Area, name_th: str) -> Area:
    name_th = " ".join(name_th.split())
    if not name_th:
        raise AreaError("ต้องระบุชื่อหมู่บ้าน")
    with transaction.atomic():
        before = village.name_th
        village.name_th = name_th
        village.save(update_fields=["name_th", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="area",
            object_id=village.code,
            area_code=village.code,
            detail={"before": {"name_th": before}, "after": {"name_th": name_th}},
        )
    return village


def zone_save(*, actor: Actor, province: Area, name: str, member_codes: list[str], zone: Zone | None = None) -> Zone:
    """Create or change a zone: a named group of districts or tambons of one province."""
    if province.level != Level.PROVINCE:
        raise AreaError("เขตพื้นที่ (โซน) ต้องอยู่ในจังหวัด")
    name = " ".join(name.split())
    if not name:
        raise AreaError("ต้องระบุชื่อโซน")
    members = list(areas_by_code(member_codes).values())
    missing = sorted(set(member_codes) - {a.code for a in members})
    if missing:
        raise AreaError(f"ไม่พบพื้นที่รหัส {', '.join(missing)}")
    for a in members:
        if a.level not in (Level.DISTRICT, Level.TAMBON) or a.province_code != province.code:
            raise AreaError(f"{a.display_name} ไม่ใช่อำเภอหรือตำบลของ{province.display_name}")
    with transaction.atomic():
        action = Action.CREATE if zone is None else Action.UPDATE
        zone = zone_write(province, name, members, zone)
        audit_record(
            actor=actor,
            action=action,
            object_type="zone",
            object_id=zone.pk,
            area_code=province.code,
            detail={"name": name, "members": sorted(a.code for a in members)},
        )
    return zone


@dataclass(frozen=True)
class BoundaryResult:
    matched: list[str]
    unmatched: list[str]  # a short description of each feature that matched no area


_CODE_KEYS = (
    "code",
    "area_code",
    "village_code",
    "tambon_code",
    "district_code",
    "province_code",
    "adm3_pcode",
    "adm2_pcode",
    "adm1_pcode",
    "pcode",
)


def _feature_code(properties: dict[str, object]) -> str | None:
    """The official code a feature names: known keys first, then any code-like value.
    ``TH370101``-style codes (OCHA P-codes) lose their prefix."""
    lowered = {str(k).lower(): v for k, v in (properties or {}).items()}
    values = [lowered[k] for k in _CODE_KEYS if k in lowered] + list(lowered.values())
    for value in values:
        text = str(value).strip().upper().removeprefix("TH")
        if text.isdigit() and len(text) in (2, 4, 6, 8):
            return text
    return None


def boundaries_import(*, actor: Actor, within: Area, document: dict[str, object]) -> BoundaryResult:
    """Store the boundary of every feature whose code is ``within`` or under it."""
    if document.get("type") != "FeatureCollection" or not isinstance(document.get("features"), list):
        raise AreaError("ไฟล์ต้องเป็น GeoJSON แบบ FeatureCollection")
    features: list[dict[str, object]] = document["features"]  # type: ignore[assignment]
    matched: list[str] = []
    unmatched: list[str] = []
    with transaction.atomic():
        for index, feature in enumerate(features, start=1):
            props = feature.get("properties") or {}
            code = _feature_code(props if isinstance(props, dict) else {})
            geometry = feature.get("geometry")
            if code is None or not code.startswith(within.code):
                unmatched.append(f"#{index}: {code or 'ไม่มีรหัสพื้นที่'}")
                continue
            if not geometry_is_valid(geometry):
                unmatched.append(f"#{index} ({code}): รูปร่างไม่ใช่ Polygon/MultiPolygon ที่ถูกต้อง")
                continue
            area = area_by_code(code)
            if area is None:
                unmatched.append(f"#{index}: ไม่พบพื้นที่รหัส {code}")
                continue
            area_boundary_set(area, geometry)
            matched.append(code)
        audit_record(
            actor=actor, action=Action.IMPORT, object_type="boundaries", area_code=within.code,
            detail={"matched": len(matched), "unmatched": len(unmatched)},
        )  # fmt: skip
    return BoundaryResult(matched=matched, unmatched=unmatched)
