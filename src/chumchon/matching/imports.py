"""Importing programmes and budgets (``chumchon import programmes FILE --province CODE``).

One row per programme a body offers for one fiscal year (``plan-template.md``); headers
in Thai or English, in any order. The key of a row is its programme code + fiscal year
(within the province): a key repeated inside the file is refused on its later row; a
key already in the database is the same programme, updated when the row says something
else and left as it is when it says the same, so importing the same file again writes
nothing. The offering body is found by its name in the province, or created.

Lists (``ผู้ดำเนินการที่รับ``, ``ด้านที่รับ``, ``พื้นที่``, ``กลุ่มเป้าหมาย`` — the codes
of ``matching.targets`` or their Thai names) are separated by commas,
semicolons or new lines; each part is a code or its Thai name. Every row goes through
``services.programme_save`` in a savepoint of one transaction: all-or-nothing by
default, ``skip_invalid`` keeps the good rows and reports the bad ones.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction

from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core import spreadsheet as ss
from chumchon.core.thai import arabic_digits
from chumchon.matching import services, targets
from chumchon.matching.models import CODI_TYPES, BodyKind
from chumchon.matching.services import MatchingError, ProgrammeInput
from chumchon.plans.imports import DOMAINS, parse_fiscal_year
from chumchon.plans.models import Actor as Who

BODY_KINDS = ss.Choices(
    {
        BodyKind.LOCAL_GOVERNMENT: ["อปท.", "อปท", "อบต.", "เทศบาล", "องค์กรปกครองส่วนท้องถิ่น"],
        BodyKind.AGENCY: ["ส่วนราชการ", "หน่วยงานราชการ"],
        BodyKind.PROVINCE: ["จังหวัด", "อบจ.", "อบจ"],
        BodyKind.CODI: ["พอช.", "พอช", "สถาบันพัฒนาองค์กรชุมชน"],
        BodyKind.FUND: ["กองทุน"],
        BodyKind.BUSINESS: ["ภาคเอกชน", "เอกชน", "บริษัท"],
    }
)
ASKING_ACTORS = ss.Choices(
    {Who.LOCAL_GOVERNMENT: [str(Who.LOCAL_GOVERNMENT.label), "อปท."], Who.AGENCY: [str(Who.AGENCY.label), "ส่วนราชการ"]}
)
_SPLIT = re.compile(r"\s*[,;،\n]\s*")
_CODE = re.compile(r"^\d{2}(\d{2}){0,3}$")


def _list_of(parse: Callable[[ss.Cell], str | None]) -> Callable[[ss.Cell], list[str]]:
    def read(value: ss.Cell) -> list[str]:
        text = ss.parse_text(value)
        if text is None:
            return []
        out = []
        for part in _SPLIT.split(arabic_digits(text)):
            if part:
                code = parse(part)
                if code is not None and code not in out:
                    out.append(code)
        return out

    return read


def _area_code(value: ss.Cell) -> str | None:
    text = ss.parse_text(value)
    if text is None:
        return None
    code = text.replace(" ", "")
    if not _CODE.fullmatch(code):
        raise ss.CellError(
            ss.Text(
                f"'{text}' ไม่ใช่รหัสพื้นที่ (จังหวัด 2 หลัก อำเภอ 4 ตำบล 6 หรือหมู่บ้าน 8 หลัก)",
                f"'{text}' is not an area code (2, 4, 6 or 8 digits)",
            )
        )
    return code


def _percent(value: ss.Cell) -> Decimal | None:
    if isinstance(value, str):
        value = value.replace("%", "").replace("ร้อยละ", "").strip()
    amount = ss.parse_money(value, allow_zero=False)
    if amount is not None and not Decimal(0) < amount <= 100:
        raise ss.CellError(ss.Text("สัดส่วนต้องมากกว่า 0 และไม่เกิน 100", "a share is more than 0 and at most 100"))
    return amount


def _programme_type(value: ss.Cell) -> str | None:
    text = ss.parse_text(value, max_length=200)
    if text is None:
        return None
    code = text.strip().upper()
    if code in CODI_TYPES:
        return code
    named = {ss.canonical(name): c for c, name in CODI_TYPES.items()}
    return named.get(ss.canonical(text), text)


PROGRAMMES = ss.SheetSpec(
    [
        ss.Column("code", "รหัสโครงการ", "code", partial(ss.parse_text, max_length=40), required=True),
        ss.Column("body", "หน่วยงาน", "body", partial(ss.parse_text, max_length=200), required=True),
        ss.Column("body_kind", "ประเภทหน่วยงาน", "body_kind", BODY_KINDS, required=True),
        ss.Column("name", "ชื่อโครงการ", "name", partial(ss.parse_text, max_length=300), required=True),
        ss.Column("programme_type", "ประเภทโครงการ", "programme_type", _programme_type),
        ss.Column("fiscal_year", "ปีงบประมาณ", "fiscal_year", parse_fiscal_year, required=True, aliases=("ปีงบ",)),
        ss.Column("budget", "งบประมาณทั้งหมด", "budget", ss.parse_money, required=True, aliases=("งบประมาณ",)),
        ss.Column("max_share", "สัดส่วนสูงสุดต่อโครงการ", "max_share", _percent, aliases=("สัดส่วนสูงสุด",)),
        ss.Column("max_amount", "จำนวนเงินสูงสุดต่อโครงการ", "max_amount", partial(ss.parse_money, allow_zero=False)),
        ss.Column("unit_cost", "ต้นทุนต่อหน่วย", "unit_cost", partial(ss.parse_money, allow_zero=False)),
        ss.Column("actors", "ผู้ดำเนินการที่รับ", "actors", _list_of(ASKING_ACTORS), required=True),
        ss.Column("domains", "ด้านที่รับ", "domains", _list_of(DOMAINS)),
        ss.Column("areas", "พื้นที่", "areas", _list_of(_area_code)),
        ss.Column("target_group", "กลุ่มเป้าหมาย", "target_group", _list_of(targets.CHOICES)),
        ss.Column("request_deadline", "กำหนดยื่นข้อเสนอ", "request_deadline", ss.parse_date),
        ss.Column("description", "รายละเอียด", "description", partial(ss.parse_text, max_length=4000)),
        ss.Column("contact", "ผู้ประสานงาน", "contact", partial(ss.parse_text, max_length=300), aliases=("ติดต่อ",)),
    ]
)


@dataclass
class ProgrammeImportResult:
    report: ss.ImportReport = field(default_factory=ss.ImportReport)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    completed: bool = False

    @property
    def rejected(self) -> bool:
        return not self.completed

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        body = self.report.to_json(lang)
        return {
            "accepted": body.pop("accepted"),
            "rejected": body.pop("rejected"),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            **body,
        }


def _input(values: dict[str, Any]) -> ProgrammeInput:
    return ProgrammeInput(
        code=values["code"],
        body=values["body"],
        body_kind=values["body_kind"],
        name=values["name"],
        fiscal_year=values["fiscal_year"],
        budget=values["budget"] if values["budget"] is not None else Decimal(0),
        actors=values["actors"],
        programme_type=values.get("programme_type") or "",
        max_share=values.get("max_share") or Decimal(100),
        max_amount=values.get("max_amount"),
        unit_cost=values.get("unit_cost"),
        domains=values.get("domains") or [],
        areas=values.get("areas") or [],
        target_group=values.get("target_group") or [],
        description=values.get("description") or "",
        request_deadline=values.get("request_deadline"),
        contact=values.get("contact") or "",
    )


def programmes_import(
    *,
    actor: Actor,
    province: Area,
    path: str | os.PathLike[str],
    filename: str | None = None,
    skip_invalid: bool = False,
) -> ProgrammeImportResult:
    """Read ``path`` and write the programmes it lists in ``province``."""
    result = ProgrammeImportResult()
    report = result.report
    rows: list[tuple[ss.RowResult, list[ss.RowError]]] = []
    try:
        with ss.open_workbook(path, filename=filename) as book:
            reader = book.sheet().read(PROGRAMMES)
            report.warn(reader.warnings)
            first: dict[tuple[str, int], int] = {}
            for parsed in reader:
                errors: list[ss.RowError] = []
                if parsed.ok:
                    key = (parsed.values["code"].strip().upper(), parsed.values["fiscal_year"])
                    if key in first:
                        errors.append(
                            parsed.error(
                                "code",
                                ss.Text(
                                    f"ซ้ำกับแถว {first[key]} (รหัสโครงการและปีงบประมาณเดียวกัน)",
                                    f"repeats row {first[key]} (the same code and fiscal year)",
                                ),
                            )
                        )
                    else:
                        first[key] = parsed.row
                    if not parsed.values["actors"]:
                        errors.append(parsed.error("actors", ss.Text("ต้องระบุผู้ดำเนินการที่รับ", "actors is required")))
                rows.append((parsed, errors))
    except ss.SpreadsheetError as exc:
        report.fail(exc)
        return result

    with transaction.atomic():
        for parsed, errors in rows:
            if parsed.ok and not errors:
                data = _input(parsed.values)
                problems = services.programme_problems(province, data)
                for name, th, en in problems:
                    errors.append(parsed.error(name, ss.Text(th, en)))
                if not problems:
                    try:
                        with transaction.atomic():
                            _, outcome = services.programme_save(actor=actor, province=province, data=data)
                    except MatchingError as error:
                        errors.append(parsed.error("body_kind", ss.Text(str(error), str(error))))
                    else:
                        setattr(result, outcome, getattr(result, outcome) + 1)
            if parsed.ok and not errors:
                report.accept()
            else:
                report.reject(parsed, *errors)
        if not report.ok and (not skip_invalid or not report.accepted):
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
            return result
    result.completed = True
    return result
