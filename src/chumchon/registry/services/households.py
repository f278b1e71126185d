"""Households and members: create, change, verify, consent, reveal, export, erase.

Rules kept here:
- a national ID belongs to one person in one household; a second use is refused with a
  message that names the other household only when it is within the user's scope;
- every change is kept as history (who, when, before, after) in ``HouseholdChange`` and
  as an audit event (which never holds personal values, only field names);
- national IDs are stored encrypted and shown masked; revealing one is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.scope import scope_of
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area, Level
from chumchon.core import national_id
from chumchon.registry.models import (
    Consent,
    Household,
    HouseholdChange,
    HouseholdStatus,
    Member,
    MemberStatus,
    Origin,
    Verification,
)


class RegistryError(Exception):
    """A refused registry change; the message (Thai) is shown to the user as it is."""


@dataclass
class MemberInput:
    first_name: str
    last_name: str
    national_id: str | None = None
    title: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    relation: str = ""
    is_head: bool = False
    education: str = ""
    occupation: str = ""
    disability: bool = False
    chronic_illness: bool = False
    bedridden: bool = False
    elderly_living_alone: bool = False


@dataclass
class HouseholdInput:
    code: str
    village: Area
    house_no: str = ""
    lat: Decimal | None = None
    lon: Decimal | None = None
    occupation_group: str = ""
    welfare_card: bool = False
    members_count: int | None = None
    housing: str = ""
    land_tenure: str = ""
    origin: str = Origin.TAMBON
    members: list[MemberInput] = field(default_factory=list)


# Fields a person may change on a household, and on a member.
HOUSEHOLD_FIELDS = (
    "house_no", "lat", "lon", "occupation_group", "welfare_card", "members_count", "housing", "land_tenure",
)  # fmt: skip
MEMBER_FIELDS = (
    "title", "first_name", "last_name", "birth_date", "sex", "relation", "education", "occupation",
    "disability", "chronic_illness", "bedridden", "elderly_living_alone", "status",
)  # fmt: skip


def _json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Area):
        return value.code
    return value


def _history(
    household: Household, actor: Actor, kind: str, before: dict[str, Any], after: dict[str, Any], note: str = ""
) -> None:
    HouseholdChange.objects.create(
        household=household,
        at=timezone.now(),
        by=actor.user,
        kind=kind,
        before={k: _json(v) for k, v in before.items()},
        after={k: _json(v) for k, v in after.items()},
        note=note[:300],
    )


def _audit(actor: Actor, action: str, household: Household, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="household",
        object_id=household.pk,
        area_code=household.village_id,
        detail=detail,
    )


def _require_write(actor: Actor, area_code: str) -> None:
    if actor.user is not None and not can(actor.user, Write.REGISTRY_EDIT, area_code):
        # Services called from the CLI (no user) are trusted; from the web, scope rules.
        raise RegistryError("ไม่มีสิทธิ์แก้ไขทะเบียนในพื้นที่นี้")


def _national_id_fields(raw: str | None, *, actor: Actor, exclude_member: int | None = None) -> dict[str, Any]:
    """Encrypted value and lookup hash, after refusing a number already in use."""
    if not raw:
        return {"national_id_encrypted": "", "national_id_hash": None}
    try:
        digits = national_id.normalize(raw)
    except national_id.InvalidNationalId as exc:
        raise RegistryError(str(exc)) from exc
    digest = national_id.lookup_hash(digits)
    same = Member.objects.filter(national_id_hash=digest).select_related("household__village")
    if exclude_member is not None:
        same = same.exclude(pk=exclude_member)
    other = same.first()
    if other is not None:
        household = other.household
        visible = actor.user is None or scope_of(actor.user).can_read_persons_in(household.village_id)
        if visible:
            raise RegistryError(
                f"เลขประจำตัวประชาชน {national_id.mask(digits)} มีอยู่แล้วในครัวเรือน {household.code} "
                f"({household.village.display_name}) หนึ่งคนอยู่ได้ครัวเรือนเดียว"
            )
        raise RegistryError(
            f"เลขประจำตัวประชาชน {national_id.mask(digits)} ขึ้นทะเบียนแล้วในครัวเรือนอื่นนอกพื้นที่ของท่าน กรุณาประสานผู้ดูแลระบบ"
        )
    return {"national_id_encrypted": national_id.encrypt(digits), "national_id_hash": digest}


def _new_member(household: Household, data: MemberInput, actor: Actor) -> Member:
    if not data.first_name.strip() or not data.last_name.strip():
        raise RegistryError("ต้องระบุชื่อและนามสกุล")
    values = asdict(data)
    raw_id = values.pop("national_id")
    member = Member(household=household, **values, **_national_id_fields(raw_id, actor=actor))
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        # Two rows racing for one national ID, or a second head of household.
        if data.is_head:
            raise RegistryError("ครัวเรือนมีหัวหน้าครัวเรือนได้คนเดียว") from exc
        raise RegistryError("เลขประจำตัวประชาชนนี้ขึ้นทะเบียนแล้ว") from exc
    return member


def household_create(*, actor: Actor, data: HouseholdInput) -> Household:
    village = data.village
    if village.level != Level.VILLAGE:
        raise RegistryError("ครัวเรือนต้องอยู่ในหมู่บ้าน")
    _require_write(actor, village.code)
    code = data.code.strip()
    if not code:
        raise RegistryError("ต้องระบุรหัสครัวเรือน")
    heads = [m for m in data.members if m.is_head]
    if len(heads) > 1:
        raise RegistryError("ครัวเรือนมีหัวหน้าครัวเรือนได้คนเดียว")
    with transaction.atomic():
        if Household.objects.filter(tambon_code=village.tambon_code, code=code).exists():
            raise RegistryError(f"รหัสครัวเรือน {code} มีอยู่แล้วในตำบลนี้")
        household = Household.objects.create(
            code=code,
            village=village,
            province_code=village.province_code,
            district_code=village.district_code or "",
            tambon_code=village.tambon_code or "",
            house_no=data.house_no,
            lat=data.lat,
            lon=data.lon,
            occupation_group=data.occupation_group,
            welfare_card=data.welfare_card,
            members_count=data.members_count or (len(data.members) or None),
            housing=data.housing,
            land_tenure=data.land_tenure,
            origin=data.origin,
            verification=Verification.VERIFIED if data.origin == Origin.FIELD else Verification.UNVERIFIED,
            verified_at=timezone.now() if data.origin == Origin.FIELD else None,
            verified_by=actor.user if data.origin == Origin.FIELD else None,
        )
        for member in data.members:
            _new_member(household, member, actor)
        _history(
            household,
            actor,
            HouseholdChange.Kind.CREATE,
            {},
            {"code": code, "village": village.code, "origin": data.origin},
        )
        _audit(actor, Action.CREATE, household, members=len(data.members), origin=data.origin)
    return household


def household_update(*, actor: Actor, household: Household, changes: dict[str, Any], note: str = "") -> Household:
    _require_write(actor, household.village_id)
    unknown = set(changes) - set(HOUSEHOLD_FIELDS) - {"village"}
    if unknown:
        raise RegistryError(f"แก้ไขช่องนี้ไม่ได้: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "village":
                if value.level != Level.VILLAGE or value.tambon_code != locked.tambon_code:
                    raise RegistryError("ย้ายครัวเรือนได้เฉพาะหมู่บ้านในตำบลเดียวกัน")
                _require_write(actor, value.code)
                current: Any = locked.village
            else:
                current = getattr(locked, name)
            if current != value:
                before[name], after[name] = current, value
                setattr(locked, name, value)
        if not after:
            return locked
        locked.save()
        _history(locked, actor, HouseholdChange.Kind.UPDATE, before, after, note)
        _audit(actor, Action.UPDATE, locked, fields=sorted(after))
    return locked


def member_add(*, actor: Actor, household: Household, data: MemberInput) -> Member:
    _require_write(actor, household.village_id)
    with transaction.atomic():
        if data.is_head and household.members.filter(is_head=True).exists():
            raise RegistryError("ครัวเรือนมีหัวหน้าครัวเรือนอยู่แล้ว")
        member = _new_member(household, data, actor)
        _history(household, actor, HouseholdChange.Kind.MEMBER, {}, {"added": member.full_name})
        _audit(actor, Action.UPDATE, household, member_added=member.pk)
    return member


def member_update(*, actor: Actor, member: Member, changes: dict[str, Any], note: str = "") -> Member:
    household = member.household
    _require_write(actor, household.village_id)
    unknown = set(changes) - set(MEMBER_FIELDS) - {"national_id"}
    if unknown:
        raise RegistryError(f"แก้ไขช่องนี้ไม่ได้: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "national_id":
                fields = _national_id_fields(value, actor=actor, exclude_member=locked.pk)
                if fields["national_id_hash"] != locked.national_id_hash:
                    # History never holds the number itself, only that it changed.
                    before["national_id"], after["national_id"] = "(เดิม)", "(ใหม่)"
                    locked.national_id_encrypted = fields["national_id_encrypted"]
                    locked.national_id_hash = fields["national_id_hash"]
                continue
            if name == "status" and value not in MemberStatus.values:
                raise RegistryError("สถานะสมาชิกไม่ถูกต้อง")
            current = getattr(locked, name)
            if current != value:
                before[name], after[name] = current, value
                setattr(locked, name, value)
        if not after:
            return locked
        locked.save()
        _history(
            household,
            actor,
            HouseholdChange.Kind.MEMBER,
            {"member": locked.pk, **before},
            {"member": locked.pk, **after},
            note,
        )
        _audit(actor, Action.UPDATE, household, member=locked.pk, fields=sorted(after))
    return locked


# A verification outcome sets the household's life-cycle status.
_STATUS_BY_OUTCOME = {
    Verification.VERIFIED: HouseholdStatus.ACTIVE,
    Verification.CORRECTED: HouseholdStatus.ACTIVE,
    Verification.MOVED: HouseholdStatus.MOVED,
    Verification.NOT_FOUND: HouseholdStatus.NOT_FOUND,
    Verification.DECEASED: HouseholdStatus.DISSOLVED,
}


def household_verify(
    *,
    actor: Actor,
    household: Household,
    outcome: str,
    corrections: dict[str, Any] | None = None,
    note: str = "",
    left_on: dt.date | None = None,
) -> Household:
    """Record what a social manager found on the ground.

    ``corrected`` requires the corrections (household fields), which are applied and
    kept in the history with the verification itself. An outcome that finds the
    household gone (moved away, deceased, not found) dates its leaving: ``left_on`` if
    the visit learnt the day (never after today), else the day of the visit; one found
    gone before keeps its day unless a new one is given. Found living here again, it
    has not left. The day is kept in the history with the status.
    """
    outcome = Verification(outcome)
    if outcome == Verification.UNVERIFIED:
        raise RegistryError("ผลการตรวจสอบไม่ถูกต้อง")
    if outcome == Verification.CORRECTED and not corrections:
        raise RegistryError("ตรวจสอบแล้วแก้ไข ต้องระบุสิ่งที่แก้ไข")
    _require_write(actor, household.village_id)
    with transaction.atomic():
        if corrections:
            household = household_update(
                actor=actor, household=household, changes=corrections, note="แก้ไขจากการตรวจสอบ"
            )
        locked = Household.objects.select_for_update().get(pk=household.pk)
        before = {"verification": locked.verification, "status": locked.status, "left_on": _json(locked.left_on)}
        status = _STATUS_BY_OUTCOME[outcome]
        locked.left_on = _left_on(locked, status, left_on)
        locked.verification = outcome
        locked.status = status
        locked.verified_at = timezone.now()
        locked.verified_by = actor.user
        locked.save(update_fields=["verification", "status", "left_on", "verified_at", "verified_by", "updated_at"])
        _history(
            locked, actor, HouseholdChange.Kind.VERIFY, before,
            {"verification": outcome.value, "status": locked.status, "left_on": _json(locked.left_on),
             "corrections": sorted(corrections or {})}, note,
        )  # fmt: skip
        _audit(actor, Action.UPDATE, locked, verification=outcome.value)
    return locked


def _left_on(household: Household, status: str, given: dt.date | None) -> dt.date | None:
    """The day a household with ``status`` left (None while active)."""
    if status == HouseholdStatus.ACTIVE:
        return None
    today = timezone.localdate()
    if given is not None:
        if given > today:
            raise RegistryError("วันที่ออกจากพื้นที่ต้องไม่เกินวันนี้")
        return given
    return household.left_on or today


def household_consent_record(*, actor: Actor, household: Household, consent: str, note: str = "") -> Household:
    consent = Consent(consent)
    _require_write(actor, household.village_id)
    with transaction.atomic():
        before = {"consent": household.consent}
        household.consent = consent
        household.consent_at = timezone.now()
        household.consent_note = note[:200]
        household.save(update_fields=["consent", "consent_at", "consent_note", "updated_at"])
        _history(household, actor, HouseholdChange.Kind.CONSENT, before, {"consent": consent.value}, note)
        _audit(actor, Action.UPDATE, household, consent=consent.value)
    return household


def national_id_reveal(*, actor: Actor, member: Member) -> str:
    """The member's national ID in full, for a tambon user who asked; always audited."""
    household = member.household
    _require_write(actor, household.village_id)
    if not member.national_id_encrypted:
        return ""
    digits = national_id.decrypt(member.national_id_encrypted)
    audit_record(
        actor=actor,
        action=Action.REVEAL,
        object_type="member",
        object_id=member.pk,
        area_code=household.village_id,
        detail={"household": household.pk},
    )
    return national_id.format_full(digits)


def household_export(*, actor: Actor, household: Household) -> dict[str, Any]:
    """Everything the registry holds about one household, for that household (PDPA
    access request). National IDs stay masked: they never leave the system in clear."""
    members = [
        {
            "title": m.title,
            "first_name": m.first_name,
            "last_name": m.last_name,
            "national_id": m.national_id_masked,
            **{f: _json(getattr(m, f)) for f in MEMBER_FIELDS if f not in ("title", "first_name", "last_name")},
            "is_head": m.is_head,
        }
        for m in household.members.all()
    ]
    document = {
        "household": {
            "code": household.code,
            "village": household.village_id,
            "village_name": household.village.name_th,
            **{f: _json(getattr(household, f)) for f in HOUSEHOLD_FIELDS},
            "origin": household.origin,
            "verification": household.verification,
            "verified_at": _json(household.verified_at),
            "consent": household.consent,
            "consent_at": _json(household.consent_at),
        },
        "members": members,
        "debts": [
            {
                "source": d.source,
                "principal": str(d.principal),
                "interest_rate": str(d.interest_rate),
                "monthly_payment": str(d.monthly_payment),
                "as_of": d.as_of.isoformat(),
            }
            for d in household.debts.all()
        ],
        "needs": {a.indicator.code: a.failed for a in household.indicators.select_related("indicator")},
        "organisations": [m.organisation.name for m in household.memberships.select_related("organisation")],
        "history": [
            {"at": c.at.isoformat(), "kind": c.kind, "before": c.before, "after": c.after, "note": c.note}
            for c in household.changes.all()
        ],
        "exported_at": timezone.now().isoformat(),
    }
    _audit(actor, Action.EXPORT, household, what="household data for the household")
    return document


def household_erase(*, actor: Actor, household: Household, reason: str) -> Household:
    """Erase a household's personal data on request (PDPA). The row stays as a
    tombstone so account totals keep adding up; names, IDs, location, history values,
    needs and memberships go. The audit record of the erasure remains."""
    if not reason.strip():
        raise RegistryError("ต้องระบุเหตุผลในการลบข้อมูล")
    _require_write(actor, household.village_id)
    with transaction.atomic():
        household.members.all().delete()
        household.debts.all().delete()
        household.indicators.all().delete()
        household.memberships.all().delete()
        household.changes.all().delete()
        household.code = f"ลบแล้ว-{household.pk}"
        household.house_no = ""
        household.lat = household.lon = None
        household.left_on = _left_on(household, HouseholdStatus.DISSOLVED, None)
        household.status = HouseholdStatus.DISSOLVED
        household.consent = Consent.WITHDRAWN
        household.erased_at = timezone.now()
        household.save()
        _history(household, actor, HouseholdChange.Kind.ERASE, {}, {"erased": True}, reason)
        _audit(actor, Action.DELETE, household, erased=True, reason=reason[:200])
    return household
