"""Lines waiting for a category: who sees them, confirming and rejecting them.

The review is tambon work: tambon staff of the line's tambon, and administrators. To
everyone else a line does not exist. Confirming goes through
``ledgers.services.ledger_entries_add`` — the entry gets the line's ``import_key``, and
the rules of every ledger write apply (rollups, audit, closed months, future dates).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.services import Actor, audit_record
from chumchon.ledgers.models import Category, EntrySource, LedgerEntry, PendingLine
from chumchon.ledgers.services import LedgerError, LineInput, ledger_entries_add


class ReviewError(Exception):
    """A refused confirmation or rejection; the message (Thai) is shown as it is."""


def pending_lines_qs_for_user(user: object, tambon_code: str) -> QuerySet[PendingLine]:
    """Every line (waiting or resolved) of a tambon the user may review; none otherwise."""
    if not can(user, Write.LEDGER_REVIEW, tambon_code):
        return PendingLine.objects.none()
    return PendingLine.objects.filter(tambon_code=tambon_code)


def pending_line_get_for_user(user: object, pk: int) -> PendingLine:
    """The line, or ``PendingLine.DoesNotExist`` when it does not exist *or* is out of scope."""
    line = PendingLine.objects.select_related("household", "suggested_category").get(pk=pk)
    if not can(user, Write.LEDGER_REVIEW, line.tambon_code):
        raise PendingLine.DoesNotExist
    return line


def pending_lines_count(tambon_code: str) -> int:
    """Lines of the tambon still waiting for a category."""
    return PendingLine.objects.filter(tambon_code=tambon_code, resolved_at__isnull=True).count()


def _require_review(actor: Actor, line: PendingLine) -> None:
    if actor.user is not None and not can(actor.user, Write.LEDGER_REVIEW, line.tambon_code):
        raise ReviewError("ไม่มีสิทธิ์ตรวจรายการของตำบลนี้")


def _lock_open(line: PendingLine) -> PendingLine:
    locked = PendingLine.objects.select_for_update().select_related("household").get(pk=line.pk)
    if locked.resolved_at is not None:
        raise ReviewError("รายการนี้ตรวจไปแล้ว")
    return locked


def pending_line_confirm(*, actor: Actor, line: PendingLine, category: str) -> LedgerEntry:
    """Write the line to the household's accounts under ``category`` (a code)."""
    _require_review(actor, line)
    if not category:
        raise ReviewError("เลือกหมวดก่อนยืนยัน")
    chosen = Category.objects.filter(code=category).first()
    if chosen is None:
        raise ReviewError(f"ไม่รู้จักหมวด {category}")
    with transaction.atomic():
        line = _lock_open(line)
        if line.kind and chosen.kind != line.kind:
            column = "รายรับ" if line.kind == "income" else "รายจ่าย"
            kind = "รายรับ" if chosen.kind == "income" else "รายจ่าย"
            raise ReviewError(f"หมวด {chosen.code} {chosen.name_th} เป็นหมวด{kind} แต่รายการนี้อยู่ในช่อง{column}")
        entry_line = LineInput(
            date=line.date, category=chosen.code, amount=line.amount, item=line.item, key=line.import_key
        )
        try:
            written = ledger_entries_add(
                actor=actor, household=line.household, lines=[entry_line], source=EntrySource.IMPORT
            )
        except LedgerError as exc:
            raise ReviewError(str(exc)) from None
        entry = written[0] if written else LedgerEntry.objects.get(import_key=line.import_key)
        line.resolution = PendingLine.Resolution.CONFIRMED
        line.resolved_at = timezone.now()
        line.resolved_by = actor.user
        line.category = chosen
        line.entry = entry
        line.save(update_fields=["resolution", "resolved_at", "resolved_by", "category", "entry"])
    return entry


def pending_line_reject(*, actor: Actor, line: PendingLine, reason: str) -> PendingLine:
    """Keep the line out of the accounts, with the reason; it is not imported again."""
    _require_review(actor, line)
    reason = " ".join(reason.split())[:200]
    if not reason:
        raise ReviewError("ต้องระบุเหตุผลที่ไม่นำรายการนี้เข้าบัญชี")
    with transaction.atomic():
        line = _lock_open(line)
        line.resolution = PendingLine.Resolution.REJECTED
        line.resolved_at = timezone.now()
        line.resolved_by = actor.user
        line.reason = reason
        line.save(update_fields=["resolution", "resolved_at", "resolved_by", "reason"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="pending_line",
            object_id=line.pk,
            area_code=line.village_id,
            detail={"rejected": True, "reason": reason},
        )
    return line
