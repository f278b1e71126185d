"""Writes of the ledgers app."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.ledgers.models import Category, Enterprise, EnterpriseKind, EntrySource, LedgerEntry, MonthStatusChange
from chumchon.ledgers.rollups import category_kinds_reset, fact_of, rollups_apply, rollups_version_bump
from chumchon.registry.models import Household


@dataclass(frozen=True)
class CategoryLoadResult:
    created: int
    updated: int


def categories_load_standard() -> CategoryLoadResult:
    """Load the standard category codes shipped with the package (idempotent)."""
    text = resources.files("chumchon.ledgers").joinpath("data/categories.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    existing = {c.code: c for c in Category.objects.filter(code__in=[r["code"] for r in rows])}
    created = updated = 0
    with transaction.atomic():
        for order, row in enumerate(rows, start=1):
            values = {
                "group": row["group"],
                "kind": row["kind"],
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "flags": " ".join(row["flags"].split()),
                "is_standard": True,
                "sort_order": order * 10,
            }
            current = existing.get(row["code"])
            if current is None:
                Category.objects.create(code=row["code"], **values)
                created += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                current.save()
                updated += 1
    if created or updated:
        category_kinds_reset()  # the rollups' cached rule follows the new flags
    return CategoryLoadResult(created=created, updated=updated)


# --- ledger entries ------------------------------------------------------------------


class LedgerError(Exception):
    """A refused ledger write; the message (Thai) is shown to the user as it is."""


@dataclass(frozen=True)
class LineInput:
    date: dt.date
    category: str  # code
    amount: Decimal  # positive
    item: str = ""
    enterprise_id: int | None = None
    key: str | None = None  # the client's idempotency key (phone form, imports)


def month_is_closed(village_code: str, month: dt.date) -> bool:
    last = (
        MonthStatusChange.objects.filter(village_id=village_code, month=month.replace(day=1))
        .order_by("-at", "-id")
        .values_list("action", flat=True)
        .first()
    )
    return last == MonthStatusChange.Action.CLOSE


def _closed_months(village_code: str, months: set[dt.date]) -> set[dt.date]:
    return {m for m in months if month_is_closed(village_code, m)}


def _require_ledger_write(actor: Actor, household: Household) -> None:
    if actor.user is not None and not can(actor.user, Write.LEDGER_ENTRY, household.village_id):
        raise LedgerError("ไม่มีสิทธิ์บันทึกบัญชีของครัวเรือนนี้")


def ledger_entries_add(
    *, actor: Actor, household: Household, lines: list[LineInput], source: str = EntrySource.KEYED
) -> list[LedgerEntry]:
    """Add lines to a household's accounts in one transaction, rollups included.

    Lines whose ``key`` was already saved are skipped (a phone resending after a lost
    connection), so sending the same lines twice adds them once.
    """
    _require_ledger_write(actor, household)
    if not lines:
        return []
    categories = {c.code: c for c in Category.objects.filter(code__in={line.category for line in lines})}
    today = timezone.localdate()
    problems = []
    for n, line in enumerate(lines, start=1):
        if line.category not in categories:
            problems.append(f"บรรทัด {n}: ไม่รู้จักหมวด {line.category}")
        if line.amount is None or line.amount <= 0:
            problems.append(f"บรรทัด {n}: จำนวนเงินต้องมากกว่า 0")
        elif line.amount != line.amount.quantize(Decimal("0.01")) or line.amount >= Decimal("1e12"):
            problems.append(f"บรรทัด {n}: จำนวนเงินไม่ถูกต้อง")
        if line.date > today:
            problems.append(f"บรรทัด {n}: วันที่อยู่ในอนาคต")
    if problems:
        raise LedgerError("; ".join(problems))
    closed = _closed_months(household.village_id, {line.date.replace(day=1) for line in lines})
    if closed:
        labels = ", ".join(Month.of(m).label(full=False) for m in sorted(closed))
        raise LedgerError(f"เดือน {labels} ปิดบัญชีแล้ว ต้องเปิดเดือนใหม่ก่อนแก้ไข")
    keys = [line.key for line in lines if line.key]
    seen = set(LedgerEntry.objects.filter(import_key__in=keys).values_list("import_key", flat=True)) if keys else set()
    with transaction.atomic():
        entries = [
            LedgerEntry(
                household=household,
                date=line.date,
                category_id=line.category,
                item=line.item[:200],
                amount=line.amount,
                enterprise_id=line.enterprise_id,
                province_code=household.province_code,
                district_code=household.district_code,
                tambon_code=household.tambon_code,
                village_id=household.village_id,
                source=source,
                import_key=line.key,
                created_by=actor.user,
            )
            for line in lines
            if not (line.key and line.key in seen)
        ]
        LedgerEntry.objects.bulk_create(entries)
        rollups_apply(fact_of(e) for e in entries)
        audit_record(
            actor=actor, action=Action.CREATE, object_type="ledger_entries", object_id=household.pk,
            area_code=household.village_id, detail={"lines": len(entries), "source": source},
        )  # fmt: skip
    return entries


def ledger_entry_reverse(*, actor: Actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Take a line back out with a reversing line; the original stays as it was."""
    reason = " ".join(reason.split())
    if not reason:
        raise LedgerError("ต้องระบุเหตุผลในการแก้ไข")
    household = entry.household
    _require_ledger_write(actor, household)
    if (
        actor.user is not None
        and entry.created_by_id != actor.user.pk
        and not can(actor.user, Write.LEDGER_CORRECT_OTHERS, household.village_id)
    ):
        raise LedgerError("แก้ได้เฉพาะรายการที่ท่านบันทึกเอง รายการของผู้อื่นให้เจ้าหน้าที่ตำบลแก้")
    if entry.reverses_id is not None:
        raise LedgerError("รายการนี้เป็นรายการกลับรายการอยู่แล้ว")
    if month_is_closed(household.village_id, entry.date):
        raise LedgerError("เดือนนี้ปิดบัญชีแล้ว ต้องเปิดเดือนใหม่ก่อนแก้ไข")
    with transaction.atomic():
        if LedgerEntry.objects.select_for_update().filter(reverses=entry).exists():
            raise LedgerError("รายการนี้ถูกกลับรายการไปแล้ว")
        reversal = LedgerEntry.objects.create(
            household=household, date=entry.date, category_id=entry.category_id, item=entry.item,
            amount=-entry.amount, enterprise_id=entry.enterprise_id, province_code=entry.province_code,
            district_code=entry.district_code, tambon_code=entry.tambon_code, village_id=entry.village_id,
            reverses=entry, reason=reason[:200], source=entry.source, created_by=actor.user,
        )  # fmt: skip
        rollups_apply([fact_of(reversal)])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="ledger_entry", object_id=entry.pk,
            area_code=household.village_id, detail={"reversed_by": reversal.pk, "reason": reason[:200]},
        )  # fmt: skip
    return reversal


def ledger_entry_correct(*, actor: Actor, entry: LedgerEntry, line: LineInput, reason: str) -> LedgerEntry:
    """A correction: reverse the old line and add the right one, with the reason. A
    "correction" that changes nothing is refused: it would only add two lines that cancel."""
    if (line.date, line.category, line.amount, " ".join(line.item.split())) == (
        entry.date,
        entry.category_id,
        entry.amount,
        " ".join(entry.item.split()),
    ):
        raise LedgerError("ไม่มีอะไรเปลี่ยน: แก้วันที่ หมวด รายการ หรือจำนวนเงินก่อนบันทึกการแก้ไข")
    with transaction.atomic():
        ledger_entry_reverse(actor=actor, entry=entry, reason=reason)
        (new,) = ledger_entries_add(actor=actor, household=entry.household, lines=[line], source=entry.source)
    return new


def month_has_ended(month: dt.date, *, today: dt.date | None = None) -> bool:
    """A month can be closed once it is over: never this month or a later one (lines of
    this month are still coming in). The completeness page offers "close" by this rule."""
    today = today or timezone.localdate()
    return month.replace(day=1) < today.replace(day=1)


def month_close(*, actor: Actor, village: Area, month: dt.date) -> None:
    if actor.user is not None and not can(actor.user, Write.MONTH_CLOSE, village.code):
        raise LedgerError("ปิดเดือนได้เฉพาะเจ้าหน้าที่ตำบล")
    first = month.replace(day=1)
    if not month_has_ended(first):
        raise LedgerError("ปิดได้เฉพาะเดือนที่สิ้นสุดแล้ว")
    if month_is_closed(village.code, first):
        raise LedgerError("เดือนนี้ปิดอยู่แล้ว")
    with transaction.atomic():
        MonthStatusChange.objects.create(village=village, month=first, action="close", by=actor.user, at=timezone.now())
        rollups_version_bump()  # the default month of cached pages may change
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="month",
            object_id=f"{village.code}:{first:%Y-%m}",
            area_code=village.code,
            detail={"closed": True},
        )


def month_reopen(*, actor: Actor, village: Area, month: dt.date, reason: str) -> None:
    if actor.user is not None and not can(actor.user, Write.MONTH_CLOSE, village.code):
        raise LedgerError("เปิดเดือนได้เฉพาะเจ้าหน้าที่ตำบล")
    reason = " ".join(reason.split())
    if not reason:
        raise LedgerError("ต้องระบุเหตุผลในการเปิดเดือน")
    first = month.replace(day=1)
    if not month_is_closed(village.code, first):
        raise LedgerError("เดือนนี้ยังไม่ได้ปิด")
    with transaction.atomic():
        MonthStatusChange.objects.create(
            village=village, month=first, action="reopen", reason=reason[:200], by=actor.user, at=timezone.now()
        )
        rollups_version_bump()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="month",
            object_id=f"{village.code}:{first:%Y-%m}",
            area_code=village.code,
            detail={"closed": False, "reason": reason[:200]},
        )


def category_add(*, actor: Actor, parent: Category, code: str, name_th: str, name_en: str = "") -> Category:
    """A deployment's own sub-category under a standard one: same group, kind and flags."""
    code = code.strip().upper()
    if not code or len(code) > 8 or not code.isalnum():
        raise LedgerError("รหัสหมวดต้องเป็นตัวอักษรหรือตัวเลข ไม่เกิน 8 ตัว")
    if Category.objects.filter(code=code).exists():
        raise LedgerError(f"มีหมวดรหัส {code} อยู่แล้ว")
    if not name_th.strip():
        raise LedgerError("ต้องระบุชื่อหมวด")
    with transaction.atomic():
        category = Category.objects.create(
            code=code, group=parent.group, kind=parent.kind, name_th=name_th.strip(), name_en=name_en.strip(),
            flags=parent.flags, parent=parent, is_standard=False, sort_order=parent.sort_order + 1,
        )  # fmt: skip
        rollups_version_bump()  # the figures kept under it have no such category yet
        audit_record(
            actor=actor, action=Action.CREATE, object_type="category", object_id=code, detail={"parent": parent.code}
        )
    category_kinds_reset()
    return category


# --- household enterprises (business and crop-season accounts) --------------------------


@dataclass(frozen=True)
class EnterpriseInput:
    name: str
    kind: str = "other"  # an EnterpriseKind
    season: str = ""
    area_rai: Decimal | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


@dataclass(frozen=True)
class TagResult:
    tagged: int  # lines now tagged with the enterprise (reversals that follow them not counted)
    untagged: int


def enterprise_create(*, actor: Actor, household: Household, data: EnterpriseInput) -> Enterprise:
    """A household business or crop season (e.g. นาปี 2567 on 12 rai), for its own profit
    and loss. Whoever may write the household's accounts may create one."""
    _require_ledger_write(actor, household)
    name = " ".join(data.name.split())
    season = " ".join(data.season.split())
    problems = []
    if not name:
        problems.append("ต้องระบุชื่อกิจการ")
    elif len(name) > 120:
        problems.append("ชื่อกิจการยาวเกิน 120 ตัวอักษร")
    if len(season) > 60:
        problems.append("ฤดูกาล/รอบการผลิตยาวเกิน 60 ตัวอักษร")
    if data.area_rai is not None and not (Decimal(0) < data.area_rai < Decimal("1000000")):
        problems.append("พื้นที่ต้องมากกว่า 0 ไร่")
    elif data.area_rai is not None and data.area_rai != data.area_rai.quantize(Decimal("0.01")):
        problems.append("พื้นที่มีทศนิยมได้ไม่เกิน 2 ตำแหน่ง")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        problems.append("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น")
    if data.kind not in EnterpriseKind.values:
        problems.append("ประเภทกิจการไม่ถูกต้อง")
    if problems:
        raise LedgerError("; ".join(problems))
    with transaction.atomic():
        if Enterprise.objects.filter(household=household, name=name, season=season).exists():
            raise LedgerError("ครัวเรือนนี้มีกิจการชื่อนี้ในฤดูกาลนี้อยู่แล้ว")
        enterprise = Enterprise.objects.create(
            household=household, name=name, kind=data.kind, season=season, area_rai=data.area_rai,
            starts_on=data.starts_on, ends_on=data.ends_on,
        )  # fmt: skip
        audit_record(
            actor=actor, action=Action.CREATE, object_type="enterprise", object_id=enterprise.pk,
            area_code=household.village_id,
            detail={"household": household.pk, "name": name, "season": season,
                    "area_rai": str(data.area_rai) if data.area_rai is not None else None},
        )  # fmt: skip
    return enterprise


def enterprise_tag_entries(
    *, actor: Actor, enterprise: Enterprise, tag: Iterable[int] = (), untag: Iterable[int] = ()
) -> TagResult:
    """Tag lines of the enterprise's household to it (``tag``) or take the tag off
    (``untag``). A tag does not change a line's amount, date or category, so it is not
    a correction; it is recorded in the audit log (who, when, which lines, and the
    enterprise a moved line came from). A line's reversal follows its tag, so the
    profit and loss stays net of corrections. Lines of another household are refused."""
    household = enterprise.household
    _require_ledger_write(actor, household)
    tag_ids, untag_ids = set(tag), set(untag)
    if tag_ids & untag_ids:
        raise LedgerError("รายการเดียวกันจะติดป้ายและเอาป้ายออกพร้อมกันไม่ได้")
    wanted = tag_ids | untag_ids
    if not wanted:
        return TagResult(tagged=0, untagged=0)
    with transaction.atomic():
        lines = {
            e.pk: e
            for e in LedgerEntry.objects.select_for_update().filter(
                pk__in=wanted, household=household, reverses__isnull=True
            )
        }
        if set(lines) != wanted:
            raise LedgerError("มีรายการที่ไม่ใช่ของครัวเรือนนี้ หรือเป็นรายการกลับรายการ")
        to_tag = sorted(pk for pk in tag_ids if lines[pk].enterprise_id != enterprise.pk)
        to_untag = sorted(pk for pk in untag_ids if lines[pk].enterprise_id == enterprise.pk)
        moved = {str(pk): lines[pk].enterprise_id for pk in to_tag if lines[pk].enterprise_id is not None}
        if to_tag:
            LedgerEntry.objects.filter(Q(pk__in=to_tag) | Q(reverses_id__in=to_tag)).update(enterprise=enterprise)
        if to_untag:
            LedgerEntry.objects.filter(Q(pk__in=to_untag) | Q(reverses_id__in=to_untag)).update(enterprise=None)
        if to_tag or to_untag:
            audit_record(
                actor=actor, action=Action.UPDATE, object_type="enterprise", object_id=enterprise.pk,
                area_code=household.village_id,
                detail={"household": household.pk, "tagged": to_tag, "untagged": to_untag, "moved_from": moved},
            )  # fmt: skip
    return TagResult(tagged=len(to_tag), untagged=len(to_untag))
